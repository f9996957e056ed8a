import * as fs from 'fs';
import * as path from 'path';

/** Environment variable pointing at libs/routing/data (the folder holding regions/ and the rules file). */
export const DATA_DIR_ENV = 'LAPOR_ROUTING_DATA_DIR';

/**
 * Finds the routing data folder (the one containing `regions/`).
 * Order: LAPOR_ROUTING_DATA_DIR, next to this source file (ts under Jest / swc-node),
 * and `process.cwd()/libs/routing/data` (webpack bundle run from the repo root).
 */
export function resolveDataRoot(): string {
  const candidates = [
    process.env[DATA_DIR_ENV],
    path.join(__dirname, '../../data'),
    path.join(process.cwd(), 'libs/routing/data'),
  ].filter((p): p is string => !!p);
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, 'regions', 'regencies.csv'))) return c;
  }
  throw new Error(
    `routing data not found; looked in ${candidates.join(', ')}. Set ${DATA_DIR_ENV} to the folder holding regions/.`,
  );
}

export function defaultRegionsDir(): string {
  return path.join(resolveDataRoot(), 'regions');
}

export function defaultRulesFile(): string {
  const root = resolveDataRoot();
  for (const f of ['responsibility-rules.yaml', 'responsibility-rules.yml', 'responsibility-rules.json']) {
    const p = path.join(root, f);
    if (fs.existsSync(p)) return p;
  }
  return path.join(root, 'responsibility-rules.yaml');
}
