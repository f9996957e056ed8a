import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DATA_DIR_ENV } from '@lapor/routing';
import { parse } from 'csv-parse/sync';
import type { BodyKind as BodyKindType } from '@lapor/contracts';

export interface Body {
  kind: Exclude<BodyKindType, 'triage'>;
  code: string;
  name: string;
}

/**
 * The bodies officials belong to: provinces, kota/kabupaten (Kemendagri region codes) and
 * national agencies (slugs), read from the routing reference data (only the three small
 * lists: the desk does not need the gazetteer or the polygons).
 */
@Injectable()
export class BodyDirectory {
  private readonly bodies = new Map<string, Body>();

  constructor() {
    const dir = regionsDir();
    const rows = (file: string) => parse(readFileSync(join(dir, file)), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    for (const p of rows('provinces.csv')) this.bodies.set(p.code, { kind: 'province', code: p.code, name: p.name });
    for (const r of rows('regencies.csv')) this.bodies.set(r.code, { kind: r.type === 'kota' ? 'kota' : 'kabupaten', code: r.code, name: r.name });
    for (const a of rows('agencies.csv')) if (a.status === 'active') this.bodies.set(a.slug, { kind: 'agency', code: a.slug, name: a.name });
  }

  describe(code: string): Body | undefined {
    return this.bodies.get(code.trim());
  }
}

function regionsDir(): string {
  const candidates = [process.env[DATA_DIR_ENV], join(__dirname, '../../../../libs/routing/data'), join(process.cwd(), 'libs/routing/data')].filter((p): p is string => !!p);
  const found = candidates.find((c) => existsSync(join(c, 'regions', 'regencies.csv')));
  if (!found) throw new Error(`routing reference data not found; looked in ${candidates.join(', ')}. Set ${DATA_DIR_ENV}.`);
  return join(found, 'regions');
}
