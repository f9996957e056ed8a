/** Evaluation of a unit classifier: the metric lines printed by `routing evaluate` and the benchmark. */
import { performance } from 'node:perf_hooks';
import { coverageAtPrecision, UnitClassifier, UnitExample } from './classifier';
import { normalizeUnit } from './normalize';

export interface UnitMetrics {
  rows: number;
  /** Distinct (normalised) units among the evaluated rows' labels. */
  classes: number;
  accuracy: number;
  top3_accuracy: number;
  /** Unweighted mean F1 over every unit that is a label or a prediction (as scikit-learn's macro average). */
  macro_f1: number;
  /** Largest share of rows that can be auto-routed (most confident first) with precision ≥ 0.95. */
  coverage_at_precision_95: number;
  ms_per_complaint: number;
}

export const METRIC_NAMES: (keyof UnitMetrics)[] = [
  'rows',
  'classes',
  'accuracy',
  'top3_accuracy',
  'macro_f1',
  'coverage_at_precision_95',
  'ms_per_complaint',
];

export interface EvaluationDetail {
  metrics: UnitMetrics;
  /** Share of rows the model's own threshold auto-routes, and the precision of those. */
  autoRouted: number;
  autoRoutedPrecision: number;
}

export function evaluateUnitClassifier(model: UnitClassifier, rows: UnitExample[]): EvaluationDetail {
  const gold = rows.map((r) => normalizeUnit(r.label));
  const start = performance.now();
  const preds = rows.map((r) => model.predict(r.text, r.location, 3));
  const ms = rows.length ? (performance.now() - start) / rows.length : 0;
  let top1 = 0;
  let top3 = 0;
  const tp = new Map<string, number>();
  const predCount = new Map<string, number>();
  const goldCount = new Map<string, number>();
  const judged: { confidence: number; correct: boolean }[] = [];
  let auto = 0;
  let autoCorrect = 0;
  preds.forEach((p, i) => {
    const g = gold[i]!;
    const ok = p.unit === g;
    if (ok) top1++;
    if (ok || p.alternatives.slice(0, 2).some((a) => a.unit === g)) top3++;
    goldCount.set(g, (goldCount.get(g) ?? 0) + 1);
    if (p.unit !== null) predCount.set(p.unit, (predCount.get(p.unit) ?? 0) + 1);
    if (ok) tp.set(g, (tp.get(g) ?? 0) + 1);
    judged.push({ confidence: p.unit === null ? 0 : p.confidence, correct: ok });
    if (!p.needsReview) {
      auto++;
      if (ok) autoCorrect++;
    }
  });
  const labels = new Set([...goldCount.keys(), ...predCount.keys()]);
  let f1sum = 0;
  for (const l of labels) {
    const t = tp.get(l) ?? 0;
    const denom = (goldCount.get(l) ?? 0) + (predCount.get(l) ?? 0);
    f1sum += denom ? (2 * t) / denom : 0;
  }
  const n = rows.length || 1;
  return {
    metrics: {
      rows: rows.length,
      classes: goldCount.size,
      accuracy: top1 / n,
      top3_accuracy: top3 / n,
      macro_f1: labels.size ? f1sum / labels.size : 0,
      coverage_at_precision_95: coverageAtPrecision(judged, 0.95).covered / n,
      ms_per_complaint: ms,
    },
    autoRouted: auto / n,
    autoRoutedPrecision: auto ? autoCorrect / auto : 0,
  };
}

/** `name: value` lines, numbers rounded to 4 decimals. */
export function formatMetrics(m: UnitMetrics): string {
  return METRIC_NAMES.map((k) => `${k}: ${Number.isInteger(m[k]) ? m[k] : round(m[k], 4)}`).join('\n');
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
