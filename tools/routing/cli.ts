/**
 * Routing CLI.
 *
 *   npm run routing -- train --data <csv> --text <column>[,<column>…] --label <column> [--location-columns a,b] --out <model file>
 *   npm run routing -- evaluate --model <model file> --data <csv> --text <column> --label <column> [--location-columns a,b] [--json]
 *   npm run routing -- train --from-db --body <code> [--out <model file>]
 *   npm run routing -- corrections [--body <code>] [--json]
 *   npm run routing -- route "<text>" [--region <code>] [--lat .. --lon ..] [--json] [--edition 2019|current] [--models <dir>]
 *   npm run routing -- route --data <csv> --text <column> [--region-column c] [--lat-column c --lon-column c] [--models <dir>]
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import type { RoutingDecision, UnitDecision } from '@lapor/contracts';
import {
  evaluateUnitClassifier,
  formatMetrics,
  UnitClassifier,
  UnitClassifierOptions,
  UnitModelRegistry,
} from '@lapor/routing/level2';
import { CsvRecord, readCsv, requireColumns, splitList, toExamples, UsageError } from './data';
import { corrections, trainFromDb } from './from-db';

const USAGE = `Usage:
  routing train --data <csv> --text <column> --label <column> [--location-columns a,b] --out <model file>
                [--time-column <column>] [--seed n] [--c <svm C>] [--validation-fraction f] [--name <model name>]
  routing train --from-db --body <code> [--out <model file>] [--min-examples n]
  routing corrections [--body <code>] [--limit n] [--json]
  routing evaluate --model <model file> --data <csv> --text <column> --label <column> [--location-columns a,b] [--json]
  routing route "<text>" [--region <code>] [--lat <lat> --lon <lon>] [--json] [--edition 2019|current]
                [--models <dir> [--location key=value,...]]
  routing route --data <csv> --text <column> [--region-column c] [--lat-column c --lon-column c]
                [--location-columns a,b] [--edition 2019|current] [--models <dir>]

train     learns a level-2 (unit inside a body) model from past dispositions; rows are held out for calibration
          from the end of the file (or of the --time-column order).
evaluate  prints rows, classes, accuracy, top3_accuracy, macro_f1, coverage_at_precision_95, ms_per_complaint.
train --from-db  learns a body's unit model from its officials' dispositions in the desk (DATABASE_URL or DATA_DIR);
          default output ROUTING_MODELS_DIR/<code>.model.json, where the router loads it.
corrections  the level-1 rules whose body officials returned or forwarded most, and the unit suggestions they disposed elsewhere.
route     level-1 decision (which body) with its evidence; with --models also level 2 for the decided body
          (model files <bodyCode>.model.json).`;

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: ParseArgsConfig['options']): { values: Values; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as Values, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function need(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

function num(values: Values, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

const s = { type: 'string' } as const;
const b = { type: 'boolean' } as const;

function train(args: string[]): void {
  const { values } = parse(args, {
    data: s, text: s, label: s, 'location-columns': s, out: s, 'time-column': s, seed: s, c: s,
    'validation-fraction': s, name: s,
  });
  if (values.help) return void console.log(USAGE);
  const data = need(values, 'data');
  const text = need(values, 'text');
  const label = need(values, 'label');
  const out = need(values, 'out');
  const locationColumns = splitList(values['location-columns'] as string | undefined);
  const timeColumn = values['time-column'] as string | undefined;
  const { columns, records } = readCsv(data);
  requireColumns(data, columns, [...splitList(text), label, ...locationColumns, timeColumn]);
  let rows = records.filter((r) => (r[label] ?? '').trim() !== '');
  if (timeColumn) rows = rows.map((r, i) => ({ r, i })).sort((x, y) => cmp(x.r[timeColumn]!, y.r[timeColumn]!) || x.i - y.i).map((x) => x.r);
  if (rows.length === 0) throw new UsageError(`${data}: no rows with a value in column ${label}`);
  const options: UnitClassifierOptions = { seed: num(values, 'seed') ?? 1 };
  const c = num(values, 'c');
  if (c !== undefined) options.svm = { C: c };
  const vf = num(values, 'validation-fraction');
  if (vf !== undefined) options.validationFraction = vf;
  if (values.name) options.name = values.name as string;
  const t0 = Date.now();
  const model = UnitClassifier.train(toExamples(rows, text, label, locationColumns), options);
  mkdirSync(dirname(resolve(out)), { recursive: true });
  model.save(out);
  console.log(
    `trained ${out}: ${rows.length} rows, ${model.classes.length} classes, ${model.dim} features, ` +
      `auto-route threshold ${model.autoRouteThreshold.toFixed(4)}, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}

function cmp(a: string, b2: string): number {
  return a < b2 ? -1 : a > b2 ? 1 : 0;
}

function evaluate(args: string[]): void {
  const { values } = parse(args, { model: s, data: s, text: s, label: s, 'location-columns': s, json: b });
  if (values.help) return void console.log(USAGE);
  const modelFile = need(values, 'model');
  const data = need(values, 'data');
  const text = need(values, 'text');
  const label = need(values, 'label');
  const locationColumns = splitList(values['location-columns'] as string | undefined);
  const model = loadModel(modelFile);
  const { columns, records } = readCsv(data);
  requireColumns(data, columns, [...splitList(text), label, ...locationColumns]);
  const rows = toExamples(records.filter((r) => (r[label] ?? '').trim() !== ''), text, label, locationColumns);
  if (rows.length === 0) throw new UsageError(`${data}: no rows with a value in column ${label}`);
  const { metrics } = evaluateUnitClassifier(model, rows);
  console.log(values.json ? JSON.stringify(metrics) : formatMetrics(metrics));
}

function loadModel(file: string): UnitClassifier {
  try {
    return UnitClassifier.load(file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

interface Level1Router {
  route(input: { text: string; regionCode?: string; point?: { lat: number; lon: number } }): RoutingDecision;
}

async function route(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, {
    region: s, lat: s, lon: s, json: b, edition: s, models: s, location: s, data: s, text: s,
    'region-column': s, 'lat-column': s, 'lon-column': s, 'location-columns': s,
  });
  if (values.help) return void console.log(USAGE);
  const edition = values.edition as string | undefined;
  if (edition !== undefined && edition !== '2019' && edition !== 'current') throw new UsageError('--edition must be 2019 or current');
  const registry = values.models ? loadRegistry(values.models as string) : undefined;

  // Validate input before loading level 1 (which reads reference data).
  let rows: { text: string; regionCode?: string; point?: { lat: number; lon: number }; location?: Record<string, string> }[];
  const data = values.data as string | undefined;
  if (data) {
    if (positionals.length) throw new UsageError('give either a text or --data, not both');
    const text = need(values, 'text');
    const regionCol = values['region-column'] as string | undefined;
    const latCol = values['lat-column'] as string | undefined;
    const lonCol = values['lon-column'] as string | undefined;
    if (!!latCol !== !!lonCol) throw new UsageError('--lat-column and --lon-column go together');
    const locationColumns = splitList(values['location-columns'] as string | undefined);
    const { columns, records } = readCsv(data);
    requireColumns(data, columns, [...splitList(text), regionCol, latCol, lonCol, ...locationColumns]);
    rows = records.map((r) => ({
      text: splitList(text).map((c) => r[c] ?? '').filter((v) => v.trim()).join('\n'),
      regionCode: regionCol && r[regionCol]?.trim() ? r[regionCol]!.trim() : undefined,
      point: latCol && lonCol ? point(r, latCol, lonCol) : undefined,
      location: locationColumns.length ? pick(r, locationColumns) : undefined,
    }));
  } else {
    if (positionals.length !== 1) throw new UsageError('route needs exactly one complaint text (quote it), or --data <csv>');
    const lat = num(values, 'lat');
    const lon = num(values, 'lon');
    if ((lat === undefined) !== (lon === undefined)) throw new UsageError('--lat and --lon go together');
    rows = [{
      text: positionals[0]!,
      regionCode: values.region as string | undefined,
      point: lat !== undefined && lon !== undefined ? { lat, lon } : undefined,
      location: parseLocation(values.location as string | undefined),
    }];
  }

  const level1 = (await import('@lapor/routing/level1')) as unknown as {
    BodyRouter: { load(options?: { edition?: '2019' | 'current' }): Promise<Level1Router> };
  };
  const router = await level1.BodyRouter.load(edition ? { edition: edition as '2019' | 'current' } : undefined);
  const decide = (r: (typeof rows)[number]): RoutingDecision => {
    const input: { text: string; regionCode?: string; point?: { lat: number; lon: number } } = { text: r.text };
    if (r.regionCode) input.regionCode = r.regionCode;
    if (r.point) input.point = r.point;
    const d = router.route(input);
    const model = registry && d.kind !== 'triage' ? registry.forBody(d.code) : undefined;
    if (model) {
      const p = model.predict(r.text, r.location, 3);
      const unit: UnitDecision = { ...p, model: model.modelId };
      return { ...d, unit };
    }
    return d;
  };
  if (data) {
    for (const r of rows) process.stdout.write(JSON.stringify(decide(r)) + '\n');
    return;
  }
  const d = decide(rows[0]!);
  console.log(values.json ? JSON.stringify(d, null, 2) : describe(d));
}

function point(r: CsvRecord, latCol: string, lonCol: string): { lat: number; lon: number } | undefined {
  const lat = Number(r[latCol]);
  const lon = Number(r[lonCol]);
  return r[latCol]?.trim() && r[lonCol]?.trim() && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : undefined;
}

function pick(r: CsvRecord, cols: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (const c of cols) if (r[c]) o[c] = r[c]!;
  return o;
}

function parseLocation(s2: string | undefined): Record<string, string> | undefined {
  if (!s2) return undefined;
  const o: Record<string, string> = {};
  for (const part of splitList(s2)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`--location expects key=value pairs, got "${part}"`);
    o[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return o;
}

function loadRegistry(dir: string): UnitModelRegistry {
  try {
    return UnitModelRegistry.load(dir);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function describe(d: RoutingDecision): string {
  const lines = [`${d.kind} ${d.code || '-'} ${d.name} (confidence ${d.confidence.toFixed(3)})${d.edition ? ` [edition ${d.edition}]` : ''}`];
  if (d.redirectedFrom) lines.push(`  redirected from: ${d.redirectedFrom.kind} ${d.redirectedFrom.code} ${d.redirectedFrom.name}`);
  lines.push('evidence:');
  for (const e of d.evidence) {
    lines.push(`  - ${e.type}: ${e.detail}${e.ref ? ` [${e.ref}]` : ''}${e.weight !== undefined ? ` (weight ${e.weight})` : ''}`);
  }
  if (d.alternatives.length) {
    lines.push('alternatives:');
    for (const a of d.alternatives) lines.push(`  - ${a.kind} ${a.code} ${a.name} (${a.confidence.toFixed(3)})`);
  }
  if (d.unit) {
    const u = d.unit;
    lines.push(`unit: ${u.unit ?? '-'} (confidence ${u.confidence.toFixed(3)}${u.needsReview ? ', needs review' : ', auto-route'}; ${u.model})`);
    for (const a of u.alternatives) lines.push(`  - ${a.unit} (${a.confidence.toFixed(3)})`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train':
        if (rest.includes('--from-db')) await trainFromDb(rest);
        else train(rest);
        return 0;
      case 'corrections':
        await corrections(rest);
        return 0;
      case 'evaluate':
        evaluate(rest);
        return 0;
      case 'route':
        await route(rest);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`routing: ${e.message}`);
      console.error('Run "npm run routing -- --help" for usage.');
      return 2;
    }
    console.error(`routing: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
