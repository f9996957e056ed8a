/**
 * The learning loop's side of the routing CLI: officials' returns, forwards and
 * dispositions, which the desk stores as labeled examples (desk_routing_examples), become
 * a body's unit model (`train --from-db`) and a report of the routing rules officials
 * corrected most (`corrections`). Reads DATABASE_URL, or the embedded store in DATA_DIR
 * (PGlite is single-process: stop `npm start` first).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ParseArgsConfig, parseArgs } from 'node:util';
import { dataSourceOptions } from '@lapor/persistence';
import { UnitClassifier } from '@lapor/routing';
import { loadConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { UsageError } from './data';

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: ParseArgsConfig['options']): Values {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function withStore<T>(work: (db: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (!config.database.databaseUrl && existsSync(join(resolve(config.env.DATA_DIR), 'desk-cli.json'))) {
    throw new UsageError(`the embedded store in ${config.env.DATA_DIR} is in use by npm start (PGlite is single-process): stop it first, or use DATABASE_URL`);
  }
  const db = new DataSource({ ...dataSourceOptions({ ...config.database, entities: [], migrations: [], migrationsTableName: 'desk_migrations', poolSize: 2 }), migrationsRun: false, logging: ['error'] });
  await db.initialize();
  try {
    const [{ present }] = (await db.query(`SELECT to_regclass('desk_routing_examples') IS NOT NULL AS present`)) as { present: boolean }[];
    if (!present) throw new UsageError('no desk tables in this database: officials\' corrections are stored by the desk (apps/desk)');
    return await work(db);
  } finally {
    await db.destroy();
  }
}

interface ExampleRow {
  text: string;
  chosen_unit: string;
  district_name: string | null;
  village_name: string | null;
}

/** `train --from-db --body <code> [--out <file>] [--seed n]`: the body's unit model from its dispositions. */
export async function trainFromDb(args: string[]): Promise<void> {
  const values = parse(args, { 'from-db': { type: 'boolean' }, body: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, 'min-examples': { type: 'string' } });
  const body = values.body as string | undefined;
  if (!body) throw new UsageError('train --from-db needs --body <region code or agency slug>');
  const out = (values.out as string | undefined) ?? join(loadConfig().env.ROUTING_MODELS_DIR, `${body}.model.json`);
  const minExamples = Number(values['min-examples'] ?? 20);
  // The latest disposition of each complaint is its label (a re-disposition corrects the first).
  const rows = await withStore((db) =>
    db.query(
      `SELECT DISTINCT ON (tracking_id) text, chosen_unit, district_name, village_name
         FROM desk_routing_examples
        WHERE action = 'dispose' AND body_code = $1 AND chosen_unit IS NOT NULL
        ORDER BY tracking_id, sequence DESC`,
      [body],
    ) as Promise<ExampleRow[]>,
  );
  const classes = new Set(rows.map((r) => r.chosen_unit));
  if (rows.length < minExamples || classes.size < 2) {
    throw new UsageError(`${body}: ${rows.length} disposition(s) to ${classes.size} unit(s); training needs at least ${minExamples} and 2 units (--min-examples to change)`);
  }
  const examples = rows.map((r) => ({
    text: r.text,
    label: r.chosen_unit,
    // The router passes kecamatan/kelurahan under these keys (README: --location-columns kecamatan,kelurahan).
    location: { ...(r.district_name ? { kecamatan: r.district_name } : {}), ...(r.village_name ? { kelurahan: r.village_name } : {}) },
  }));
  const t0 = Date.now();
  const model = UnitClassifier.train(examples, { seed: Number(values.seed ?? 1), name: `${body}-from-db` });
  mkdirSync(dirname(resolve(out)), { recursive: true });
  model.save(out);
  console.log(`trained ${out} from the desk's dispositions: ${rows.length} complaints, ${model.classes.length} units, auto-route threshold ${model.autoRouteThreshold.toFixed(4)}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** `corrections [--body <code>] [--limit n] [--json]`: the routing rules and unit suggestions officials corrected most. */
export async function corrections(args: string[]): Promise<void> {
  const values = parse(args, { body: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
  const limit = Number(values.limit ?? 20);
  const body = values.body as string | undefined;
  const report = await withStore(async (db) => {
    const where = body ? `AND e.body_code = $2` : '';
    const params: unknown[] = body ? [limit, body] : [limit];
    const rules = (await db.query(
      `SELECT rule, count(*)::int AS corrections,
              count(*) FILTER (WHERE e.action = 'return')::int AS returned,
              count(*) FILTER (WHERE e.action = 'forward')::int AS forwarded
         FROM desk_routing_examples e, jsonb_array_elements_text(e.routed_rules) AS rule
        WHERE e.action IN ('return', 'forward') ${where}
        GROUP BY rule ORDER BY corrections DESC, rule LIMIT $1`,
      params,
    )) as { rule: string; corrections: number; returned: number; forwarded: number }[];
    const units = (await db.query(
      `SELECT e.body_code, e.routed_unit, e.chosen_unit, count(*)::int AS corrections
         FROM desk_routing_examples e
        WHERE e.action = 'dispose' AND e.routed_unit IS NOT NULL AND lower(e.routed_unit) <> lower(e.chosen_unit) ${where}
        GROUP BY 1, 2, 3 ORDER BY corrections DESC, 1, 2 LIMIT $1`,
      params,
    )) as { body_code: string; routed_unit: string; chosen_unit: string; corrections: number }[];
    return { rules, units };
  });
  if (values.json) return void console.log(JSON.stringify(report));
  console.log('Level-1 rules whose body officials returned or forwarded (most first):');
  for (const r of report.rules) console.log(`  ${r.rule}\t${r.corrections}\t(returned ${r.returned}, forwarded ${r.forwarded})`);
  if (!report.rules.length) console.log('  (none)');
  console.log('Level-2 unit suggestions officials disposed elsewhere:');
  for (const u of report.units) console.log(`  ${u.body_code}\t${u.routed_unit} → ${u.chosen_unit}\t${u.corrections}`);
  if (!report.units.length) console.log('  (none)');
}
