/**
 * Level-2 routing benchmark on the Surabaya 2022 complaints (development data, never copied into the repo).
 *
 *   npm run bench:routing [-- --data <csv>] [-- --out models/35.78.model.json] [-- --no-grid]
 *
 * Protocol (no tuning on the test months):
 *   1. model selection: train January–July, validate August–September, over a small grid of hyper-parameters;
 *   2. the chosen configuration is trained on January–September (tanggal_keluhan < 2022-10-01); inside that training
 *      the classifier holds out its own last 20 % (time order) to fit the temperature and the auto-route threshold;
 *   3. test once on October–December.
 * Inputs: text + alamat (the typed address) + kecamatan/kelurahan location fields. `topik` is never used.
 * `--ablation` instead measures each change of issue 14 on its own (validation and test), as in the README table.
 * Model defaults chosen on rolling-origin validation inside Jan–Sep (Jan–May → Jun–Jul and Jan–Jul → Aug–Sep):
 * location weight 0.25, margin confidence (logistic on log(p1/p2)), local-office boost 0.1 for the alternatives,
 * int8 weights. The grid's "previous" entry is the earlier release's configuration.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  evaluateUnitClassifier,
  formatMetrics,
  UnitClassifier,
  UnitClassifierOptions,
  UnitExample,
  UnitMetrics,
} from '@lapor/routing/level2';
import { readCsv, requireColumns, toExamples } from '../tools/routing/data';

const ROOT = resolve(__dirname, '..');
const { values } = parseArgs({
  options: { data: { type: 'string' }, out: { type: 'string' }, 'no-grid': { type: 'boolean' }, ablation: { type: 'boolean' }, 'ablation-from': { type: 'string' } },
  allowPositionals: false,
});
const dataFile = resolve(
  ROOT,
  values.data ?? process.env.COMPLAINTS_CSV ?? [resolve(ROOT, '../shared/data/complaints/surabaya-2022.csv'), '/work/shared/data/complaints/surabaya-2022.csv'].find((f) => existsSync(f)) ?? '../shared/data/complaints/surabaya-2022.csv',
);
const outFile = resolve(ROOT, values.out ?? 'models/35.78.model.json');

const BASELINE = { accuracy: 0.7, top3_accuracy: 0.8, coverage_at_precision_95: 0.35, accuracy_with_location: 0.74 };
const TARGET = { accuracy: 0.8, top3_accuracy: 0.92, coverage_at_precision_95: 0.5 };
const LOCATION = ['kecamatan', 'kelurahan'];
/** The complaint text and the address the reporter typed (it names streets, kampung and landmarks). */
const TEXT_COLUMNS = 'text,alamat';

const f4 = (x: number) => x.toFixed(4);

function main(): void {
  const { columns, records } = readCsv(dataFile);
  requireColumns(dataFile, columns, ['text', 'instansi', 'kecamatan', 'kelurahan', 'tanggal_keluhan']);
  // Time order (stable), so that every internal hold-out is "later" than what it is trained on.
  const sorted = records
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.tanggal_keluhan! < b.r.tanggal_keluhan! ? -1 : a.r.tanggal_keluhan! > b.r.tanggal_keluhan! ? 1 : a.i - b.i))
    .map((x) => x.r);
  const rowsOf = (textColumns: string) => (from: string, to: string, loc: string[]) =>
    toExamples(sorted.filter((r) => r.tanggal_keluhan! >= from && r.tanggal_keluhan! < to), textColumns, 'instansi', loc);
  const rows = rowsOf(TEXT_COLUMNS);
  console.log(`data: ${dataFile} (${records.length} rows)`);
  if (values.ablation) return ablation(rowsOf);

  // 1. Model selection on the training months only.
  // Issue 14 defaults (see --ablation): text + alamat, slang map (feature default), recency weighting.
  const base: UnitClassifierOptions = { seed: 1, validationFraction: 0.2, validationSplit: 'tail', recencyHalfLife: 1 };
  const grid: { name: string; options: UnitClassifierOptions }[] = values['no-grid']
    ? [{ name: 'default', options: base }]
    : [
        // defaults: location weight 0.25, margin confidence, local-office boost 0.1 for alternatives, int8 weights
        { name: 'C=1', options: { ...base, svm: { C: 1 } } },
        { name: 'C=0.5', options: { ...base, svm: { C: 0.5 } } },
        { name: 'C=2', options: { ...base, svm: { C: 2 } } },
        { name: 'C=1 loc-weight=0.5', options: { ...base, svm: { C: 1 }, features: { locationWeight: 0.5 } } },
        {
          // the previous release: softmax confidence, no local boost, int16 weights, location weight 0.5
          name: 'previous',
          options: {
            ...base,
            recencyHalfLife: 0,
            svm: { C: 1 },
            features: { locationWeight: 0.5, slang: false },
            confidence: 'softmax',
            localAlternativesBoost: 0,
            weightsDtype: 'int16',
          },
        },
      ];
  const selTrain = rows('2022-01-01', '2022-08-01', LOCATION);
  const selVal = rows('2022-08-01', '2022-10-01', LOCATION);
  console.log(`\n# model selection: train Jan–Jul (${selTrain.length} rows), validate Aug–Sep (${selVal.length} rows)`);
  let best = grid[0]!;
  let bestScore = -Infinity;
  let bestMetrics: UnitMetrics | undefined;
  for (const g of grid) {
    const m = evaluateUnitClassifier(UnitClassifier.train(selTrain, g.options), selVal).metrics;
    // Selection score: top-1 accuracy plus half the coverage at 95 % precision.
    const score = m.accuracy + 0.5 * m.coverage_at_precision_95;
    console.log(
      `  ${g.name.padEnd(22)} accuracy ${f4(m.accuracy)}  top3 ${f4(m.top3_accuracy)}  macro_f1 ${f4(m.macro_f1)}  ` +
        `coverage@P95 ${f4(m.coverage_at_precision_95)}  score ${f4(score)}`,
    );
    if (score > bestScore) {
      bestScore = score;
      best = g;
      bestMetrics = m;
    }
  }
  console.log(`  chosen: ${best.name}`);
  if (bestMetrics) {
    console.log('\n# validation (Aug–Sep) of the chosen configuration, trained on Jan–Jul');
    console.log(formatMetrics(bestMetrics));
  }

  // 2. Final model on January–September, 3. test on October–December.
  const train = rows('2022-01-01', '2022-10-01', LOCATION);
  const test = rows('2022-10-01', '2023-01-01', LOCATION);
  const t0 = process.hrtime.bigint();
  const model = UnitClassifier.train(train, best.options);
  const trainSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  mkdirSync(dirname(outFile), { recursive: true });
  model.save(outFile);
  const size = statSync(outFile).size;
  const ev = evaluateUnitClassifier(model, test);

  // Same configuration without the location fields (text only), for comparison with the text-only baseline.
  const textOnly = evaluateUnitClassifier(
    UnitClassifier.train(stripLocation(train), best.options),
    stripLocation(test),
  ).metrics;

  console.log(`\n# test: train Jan–Sep (${train.length} rows) → test Oct–Dec (${test.length} rows), text + kecamatan/kelurahan`);
  console.log(formatMetrics(ev.metrics));
  console.log(`\ntrain_seconds: ${trainSeconds.toFixed(1)}`);
  console.log(`model_file: ${outFile}`);
  console.log(`model_bytes: ${size} (${(size / 1e6).toFixed(1)} MB), ${model.classes.length} classes, ${model.dim} features`);
  console.log(
    `auto_route_threshold: ${f4(model.autoRouteThreshold)} (internal Jan–Sep hold-out: accuracy ${f4(model.trainingInfo.validationAccuracy ?? 0)}, ` +
      `coverage@P95 ${f4(model.trainingInfo.validationCoverage ?? 0)})`,
  );
  console.log(`auto_routed_share: ${f4(ev.autoRouted)}  auto_routed_precision: ${f4(ev.autoRoutedPrecision)}`);
  console.log(`text_only: accuracy ${f4(textOnly.accuracy)}  top3 ${f4(textOnly.top3_accuracy)}  coverage@P95 ${f4(textOnly.coverage_at_precision_95)}`);

  console.log('\n# vs baseline (TF-IDF + linear SVM) and target');
  const row = (name: string, ours: number, baseline: number, target?: number) =>
    console.log(
      `  ${name.padEnd(34)} ours ${f4(ours)}  baseline ${baseline.toFixed(2)}  ratio ${(ours / baseline).toFixed(3)}` +
        (target !== undefined ? `  target ${target.toFixed(2)} ${ours >= target ? 'MET' : 'not met'}` : ''),
    );
  row('top-1 (with location)', ev.metrics.accuracy, BASELINE.accuracy_with_location, TARGET.accuracy);
  row('top-1 (text only vs text baseline)', textOnly.accuracy, BASELINE.accuracy);
  row('top-3', ev.metrics.top3_accuracy, BASELINE.top3_accuracy, TARGET.top3_accuracy);
  row('coverage@P95', ev.metrics.coverage_at_precision_95, BASELINE.coverage_at_precision_95, TARGET.coverage_at_precision_95);
}

/**
 * Each change of issue 14, added one at a time to the previous release's defaults, measured on the validation
 * split (train Jan–Jul, validate Aug–Sep: what decides whether a change is kept) and on the test split
 * (train Jan–Sep, test Oct–Dec: reported, never used to decide).
 */
function ablation(rowsOf: (textColumns: string) => (from: string, to: string, loc: string[]) => UnitExample[]): void {
  const base: UnitClassifierOptions = { seed: 1, validationFraction: 0.2, validationSplit: 'tail' };
  const steps: { name: string; text: string; options: UnitClassifierOptions }[] = [
    { name: 'previous defaults (text only, no slang map)', text: 'text', options: { ...base, features: { slang: false } } },
    { name: '+ alamat as a second text column', text: 'text,alamat', options: { ...base, features: { slang: false } } },
    { name: '+ slang/abbreviation normalisation', text: 'text,alamat', options: { ...base, features: { slang: true } } },
    { name: '+ recency weighting (half-life = all rows)', text: 'text,alamat', options: { ...base, features: { slang: true }, recencyHalfLife: 1 } },
    // not cumulative: the slang map alone on the previous inputs (alamat did not help on validation)
    { name: 'slang map alone (text only, no recency)', text: 'text', options: { ...base, features: { slang: true } } },
  ];
  const from = Math.max(0, Number(values['ablation-from'] ?? 0) || 0);
  console.log('\n# ablation: each change added to the previous line');
  console.log('| change | validation top-1 | Δ | test top-1 | Δ | test top-3 | test coverage@P95 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  let prevVal: number | undefined;
  let prevTest: number | undefined;
  for (const st of steps.slice(from)) {
    const r = rowsOf(st.text);
    const val = evaluateUnitClassifier(UnitClassifier.train(r('2022-01-01', '2022-08-01', LOCATION), st.options), r('2022-08-01', '2022-10-01', LOCATION)).metrics;
    const test = evaluateUnitClassifier(UnitClassifier.train(r('2022-01-01', '2022-10-01', LOCATION), st.options), r('2022-10-01', '2023-01-01', LOCATION)).metrics;
    const d = (x: number, p?: number) => (p === undefined ? '' : `${x - p >= 0 ? '+' : ''}${(x - p).toFixed(4)}`);
    console.log(`| ${st.name} | ${f4(val.accuracy)} | ${d(val.accuracy, prevVal)} | ${f4(test.accuracy)} | ${d(test.accuracy, prevTest)} | ${f4(test.top3_accuracy)} | ${f4(test.coverage_at_precision_95)} |`);
    prevVal = val.accuracy;
    prevTest = test.accuracy;
  }
}

function stripLocation(rows: UnitExample[]): UnitExample[] {
  return rows.map(({ text, label }) => ({ text, label }));
}

export type { UnitMetrics };
main();
