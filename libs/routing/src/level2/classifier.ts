/**
 * Level 2 of routing: which unit inside a body (dinas/OPD, kecamatan or kelurahan office) handles a complaint,
 * learned from the body's own history of dispositions.
 *
 * Model: TF-IDF (word 1–2-grams + char 2–5-grams within word boundaries + location indicators), L2-normalised,
 * one-vs-rest L2-loss linear SVM (dual coordinate descent), softmax over margins with a temperature fitted on a
 * held-out split of the training data (calibration), and an auto-route threshold chosen on the same split.
 *
 * Location templates: a label "Kelurahan X" whose X is the row's own `kelurahan` is learned as the generic class
 * "Kelurahan {kelurahan}" and resolved at prediction time from the complaint's location fields.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_FEATURE_OPTIONS, extractRaw, FeatureOptions, SparseVector, Vectorizer, VectorizerState } from './features';
import { normalizeLocationValue, normalizeUnit } from './normalize';
import { DEFAULT_SVM_OPTIONS, margins, rng, SvmOptions, trainOneVsRest } from './svm';

export interface UnitExample {
  text: string;
  label: string;
  location?: Record<string, string>;
  /** Optional training weight (default 1), e.g. to favour recent complaints. */
  weight?: number;
}

export interface UnitPrediction {
  unit: string | null;
  confidence: number;
  needsReview: boolean;
  alternatives: { unit: string; confidence: number }[];
}

export interface UnitClassifierOptions {
  /** Seed of every random choice in training (default 1). Same data + options + seed → same model file. */
  seed?: number;
  features?: Partial<FeatureOptions>;
  svm?: Partial<SvmOptions>;
  /** Share of the training rows held out for calibration and the auto-route threshold (default 0.2). */
  validationFraction?: number;
  /**
   * `tail` (default): the last rows in the given order are held out — pass rows sorted by time for an honest,
   * time-ordered split. `random`: a seeded random subset.
   */
  validationSplit?: 'tail' | 'random';
  /** Precision that auto-routed complaints must reach on the held-out split (default 0.95). */
  targetPrecision?: number;
  /** A location template ("Kelurahan {kelurahan}") becomes a class when it explains at least this many rows (default 2). */
  templateMinCount?: number;
  /**
   * Favour recent complaints (rows must be in time order): the weight of a row halves every
   * `recencyHalfLife` × (number of rows) rows back from the newest; 0 = off (default). Multiplies `UnitExample.weight`.
   */
  recencyHalfLife?: number;
  /** Retrain on all rows after calibration (default true). */
  refit?: boolean;
  /** Model name written into the model file and `modelId` (default "unit-svm"). */
  name?: string;
  /**
   * How the confidence of the top unit is computed. `margin` (default): a logistic function of log(p1 / p2), the
   * log-ratio of the two best calibrated probabilities, fitted on the held-out split (falls back to `softmax` when the
   * held-out split has fewer than 10 right or 10 wrong predictions). `softmax`: the top softmax probability.
   */
  confidence?: 'margin' | 'softmax';
  /** Storage of the weight matrix: `int8` (default, one scale per class) or `int16`. */
  weightsDtype?: 'int8' | 'int16';
  /**
   * Added to the decision value of location-template classes (the complaint's own kelurahan/kecamatan office) when
   * ranking the alternatives only (default 0.1; the top unit is unchanged). Local offices take a growing share of
   * dispositions that the text alone rarely makes the single best guess, so they are offered more often as a
   * second or third choice.
   */
  localAlternativesBoost?: number;
}

/** P(top unit is right) = sigmoid(a · log(p1 / p2) + b), fitted on held-out rows. */
export interface ConfidenceModel {
  kind: 'margin-logistic';
  a: number;
  b: number;
}

export const MODEL_FORMAT = 'lapor-unit-classifier';
export const MODEL_FORMAT_VERSION = 1;

interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  name: string;
  classes: string[];
  temperature: number;
  autoRouteThreshold: number;
  targetPrecision: number;
  svm: SvmOptions;
  /** Absent in older files: the confidence is then the top softmax probability. */
  confidenceModel?: ConfidenceModel;
  /** See `UnitClassifierOptions.localAlternativesBoost` (absent = 0). */
  localAlternativesBoost?: number;
  /** Per template class: compact location value → canonical unit name. */
  spellings: Record<string, Record<string, string>>;
  training: {
    rows: number;
    seed: number;
    validationRows: number;
    validationSplit: string;
    validationAccuracy: number | null;
    validationCoverage: number | null;
  };
  vectorizer: VectorizerState;
  /** Class-major weights, int8 or int16 with one scale per class, base64 little-endian. */
  weights: { dtype: WeightsDtype; rows: number; cols: number; scales: number[]; data: string };
}

type WeightsDtype = 'int8' | 'int16';
const QMAX: Record<WeightsDtype, number> = { int8: 127, int16: 32767 };

/** A class name with a `{field}` placeholder, e.g. "Kelurahan {kelurahan}". */
const TEMPLATE = /\{([^{}]+)\}/;

/** Location value compared without case, punctuation or spaces ("Tambak Rejo" ~ "Tambakrejo"). */
export function compactLocation(value: string): string {
  return normalizeLocationValue(value).replace(/[\s-]+/g, '');
}

/**
 * The location template a label follows for this row: "Kelurahan {kelurahan}" when the label is "Kelurahan X"
 * and X is the row's own `kelurahan` (compared by `compactLocation`). The prefix has 1–3 words.
 */
export function locationTemplate(label: string, location?: Record<string, string>): string | null {
  if (!location) return null;
  const words = normalizeUnit(label).split(' ');
  let best: string | null = null;
  let bestLen = 0;
  for (const key of Object.keys(location).sort()) {
    const v = location[key];
    if (!v || !v.trim()) continue;
    const value = compactLocation(v);
    for (let k = 1; k <= Math.min(3, words.length - 1); k++) {
      if (compactLocation(words.slice(k).join(' ')) !== value) continue;
      if (value.length > bestLen) {
        best = `${words.slice(0, k).join(' ')} {${key}}`;
        bestLen = value.length;
      }
    }
  }
  return best;
}

function softmax(m: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (const v of m) if (v > max) max = v;
  const p = new Float64Array(m.length);
  let s = 0;
  for (let i = 0; i < m.length; i++) {
    p[i] = Math.exp((m[i]! - max) / temperature);
    s += p[i]!;
  }
  for (let i = 0; i < m.length; i++) p[i]! /= s;
  return p;
}

/** Largest confidence-sorted prefix whose precision is ≥ target: its size and the confidence at its end. */
export function coverageAtPrecision(
  items: { confidence: number; correct: boolean }[],
  target: number,
): { covered: number; threshold: number } {
  const sorted = [...items].sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let covered = 0;
  let threshold = Number.POSITIVE_INFINITY;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.correct) correct++;
    // only cut between distinct confidences, so the threshold is a real decision rule
    if (i + 1 < sorted.length && sorted[i + 1]!.confidence === sorted[i]!.confidence) continue;
    if (correct / (i + 1) >= target) {
      covered = i + 1;
      threshold = sorted[i]!.confidence;
    }
  }
  return { covered, threshold };
}

function quantize(
  W: Float32Array,
  rows: number,
  cols: number,
  dtype: WeightsDtype = 'int16',
): { q: Int16Array | Int8Array; scales: number[] } {
  const q = dtype === 'int8' ? new Int8Array(rows * cols) : new Int16Array(rows * cols);
  const scales: number[] = [];
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(W[r * cols + c]!));
    const scale = Math.fround(max > 0 ? max / QMAX[dtype] : 1);
    scales.push(scale);
    for (let c = 0; c < cols; c++) q[r * cols + c] = Math.round(W[r * cols + c]! / scale);
  }
  return { q, scales };
}

function dequantize(q: Int16Array | Int8Array, scales: number[], rows: number, cols: number): Float32Array {
  const W = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const s = scales[r]!;
    for (let c = 0; c < cols; c++) W[r * cols + c] = q[r * cols + c]! * s;
  }
  return W;
}

interface Fitted {
  vectorizer: Vectorizer;
  classes: string[];
  W: Float32Array;
}

export class UnitClassifier {
  readonly classes: string[];
  readonly autoRouteThreshold: number;
  readonly temperature: number;
  readonly name: string;
  private readonly vectorizer: Vectorizer;
  private readonly W: Float32Array;
  private readonly svm: SvmOptions;
  private readonly confidenceModel: ConfidenceModel | undefined;
  private readonly weightsDtype: WeightsDtype;
  private readonly localAlternativesBoost: number;
  private readonly meta: ModelFile['training'];
  private readonly targetPrecision: number;
  /** For each class: the location field of its template, or null for a concrete unit. */
  private readonly templateKey: (string | null)[];
  /** Per template class: compact location value → the unit's spelling seen in training labels. */
  private readonly spellings: Record<string, Record<string, string>>;

  private constructor(args: {
    name: string;
    classes: string[];
    vectorizer: Vectorizer;
    W: Float32Array;
    svm: SvmOptions;
    temperature: number;
    autoRouteThreshold: number;
    targetPrecision: number;
    meta: ModelFile['training'];
    spellings: Record<string, Record<string, string>>;
    confidenceModel?: ConfidenceModel;
    weightsDtype: WeightsDtype;
    localAlternativesBoost?: number;
  }) {
    this.localAlternativesBoost = args.localAlternativesBoost ?? 0;
    this.confidenceModel = args.confidenceModel;
    this.weightsDtype = args.weightsDtype;
    this.spellings = args.spellings;
    this.name = args.name;
    this.classes = args.classes;
    this.vectorizer = args.vectorizer;
    this.W = args.W;
    this.svm = args.svm;
    this.temperature = args.temperature;
    this.autoRouteThreshold = args.autoRouteThreshold;
    this.targetPrecision = args.targetPrecision;
    this.meta = args.meta;
    this.templateKey = this.classes.map((c) => TEMPLATE.exec(c)?.[1] ?? null);
  }

  /** `name@version` for `UnitDecision.model`. */
  get modelId(): string {
    return `${this.name}@${MODEL_FORMAT_VERSION}`;
  }

  get dim(): number {
    return this.vectorizer.dim;
  }

  /** Facts about the training run stored with the model. */
  get trainingInfo(): Readonly<ModelFile['training']> {
    return this.meta;
  }

  static train(rows: UnitExample[], options: UnitClassifierOptions = {}): UnitClassifier {
    if (rows.length === 0) throw new Error('UnitClassifier.train: no training rows');
    const seed = options.seed ?? 1;
    const featOpt: FeatureOptions = { ...DEFAULT_FEATURE_OPTIONS, ...options.features };
    const svmOpt: SvmOptions = { ...DEFAULT_SVM_OPTIONS, ...options.svm };
    const target = options.targetPrecision ?? 0.95;
    const valFraction = options.validationFraction ?? 0.2;
    const split = options.validationSplit ?? 'tail';
    const templateMin = options.templateMinCount ?? 2;
    const dtype: WeightsDtype = options.weightsDtype ?? 'int8';
    const confidenceKind = options.confidence ?? 'margin';

    // Class of every row: a location template when it explains enough rows, else the normalised unit.
    const templ = rows.map((r) => locationTemplate(r.label, r.location));
    const templCount = new Map<string, number>();
    for (const t of templ) if (t) templCount.set(t, (templCount.get(t) ?? 0) + 1);
    const target_ = rows.map((r, i) => {
      const t = templ[i];
      return t && templCount.get(t)! >= templateMin ? t : normalizeUnit(r.label);
    });
    const raw = rows.map((r) => extractRaw(r.text, r.location, featOpt));
    const spellings: Record<string, Record<string, string>> = {};
    rows.forEach((r, i) => {
      const t = templ[i];
      if (!t || target_[i] !== t) return;
      const key = TEMPLATE.exec(t)![1]!;
      (spellings[t] ??= {})[compactLocation(r.location![key]!)] ??= normalizeUnit(r.label);
    });

    // Held-out split for calibration and threshold.
    const n = rows.length;
    const nVal = valFraction > 0 && n >= 10 ? Math.max(1, Math.round(n * valFraction)) : 0;
    const order = Array.from({ length: n }, (_, i) => i);
    if (split === 'random') {
      const r = rng(seed ^ 0x5eed);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    const valIdx = order.slice(n - nVal);
    const fitIdx = order.slice(0, n - nVal);
    const allIdx = Array.from({ length: n }, (_, i) => i);

    const fit = (idx: number[]): Fitted => {
      const vectorizer = Vectorizer.fit(idx.map((i) => raw[i]!), featOpt);
      const classes = [...new Set(idx.map((i) => target_[i]!))].sort();
      const classIndex = new Map(classes.map((c, k) => [c, k]));
      const X = idx.map((i) => vectorizer.transformRaw(raw[i]!));
      const labels = Int32Array.from(idx, (i) => classIndex.get(target_[i]!)!);
      const hl = options.recencyHalfLife ?? 0;
      const last = idx.length - 1;
      const weights = Float64Array.from(idx, (i, k) => (rows[i]!.weight ?? 1) * (hl > 0 ? Math.pow(0.5, (last - k) / (hl * idx.length)) : 1));
      const W = trainOneVsRest(X, labels, classes.length, vectorizer.dim, svmOpt, seed, weights);
      const { q, scales } = quantize(W, classes.length, vectorizer.dim + 1, dtype);
      return { vectorizer, classes, W: dequantize(q, scales, classes.length, vectorizer.dim + 1) };
    };

    let temperature = 1;
    let threshold = 1;
    let confidenceModel: ConfidenceModel | undefined;
    let valAcc: number | null = null;
    let valCov: number | null = null;
    let final: Fitted;
    const build = (f: Fitted, t: number, thr: number, cm?: ConfidenceModel) =>
      new UnitClassifier({
        confidenceModel: cm,
        localAlternativesBoost: options.localAlternativesBoost ?? 0.1,
        weightsDtype: dtype,
        name: options.name ?? 'unit-svm',
        classes: f.classes,
        vectorizer: f.vectorizer,
        W: f.W,
        svm: svmOpt,
        temperature: t,
        autoRouteThreshold: thr,
        targetPrecision: target,
        spellings,
        meta: {
          rows: n,
          seed,
          validationRows: nVal,
          validationSplit: split,
          validationAccuracy: valAcc,
          validationCoverage: valCov,
        },
      });
    if (nVal > 0 && fitIdx.length > 0) {
      const heldOut = fit(fitIdx);
      const probe = build(heldOut, 1, 1);
      const m = valIdx.map((i) => probe.marginsOf(probe.vectorizer.transformRaw(raw[i]!)));
      const gold = valIdx.map((i) => heldOut.classes.indexOf(target_[i]!));
      temperature = fitTemperature(m, gold);
      const calibrated = build(heldOut, temperature, 1);
      const ranked = valIdx.map((i, k) => calibrated.rank(m[k]!, rows[i]!.location, 2));
      const right = valIdx.map((i, k) => !!ranked[k]![0] && ranked[k]![0]!.unit === normalizeUnit(rows[i]!.label));
      if (confidenceKind === 'margin') {
        const z = ranked.map(logRatio);
        const nRight = right.filter(Boolean).length;
        if (nRight >= 10 && right.length - nRight >= 10) confidenceModel = { kind: 'margin-logistic', ...fitLogistic1d(z, right) };
      }
      const withConf = build(heldOut, temperature, 1, confidenceModel);
      const judged = ranked.map((r, k) => ({ confidence: r[0] ? withConf.topConfidence(r) : 0, correct: right[k]! }));
      const cov = coverageAtPrecision(judged, target);
      threshold = Number.isFinite(cov.threshold) ? cov.threshold : 1;
      valAcc = judged.filter((j) => j.correct).length / judged.length;
      valCov = cov.covered / judged.length;
      final = options.refit === false ? heldOut : fit(allIdx);
    } else {
      final = fit(allIdx);
    }
    return build(final, temperature, threshold, confidenceModel);
  }

  /** Confidence of the top unit of a ranked list (at least its two best entries when there are two). */
  private topConfidence(ranked: { confidence: number }[]): number {
    const top = ranked[0];
    if (!top) return 0;
    const cm = this.confidenceModel;
    if (!cm) return Math.min(1, Math.max(0, top.confidence));
    return 1 / (1 + Math.exp(-(cm.a * logRatio(ranked) + cm.b)));
  }

  private marginsOf(x: SparseVector): Float64Array {
    return margins(this.W, this.classes.length, this.vectorizer.dim, x, this.svm.biasValue);
  }

  /** Raw SVM decision values per class (diagnostics). */
  decisionValues(text: string, location?: Record<string, string>): Float64Array {
    return this.marginsOf(this.vectorizer.transform(text, location));
  }

  /** Ranked concrete units: templates resolved from `location`, duplicates merged, unresolved templates dropped. */
  private rank(m: Float64Array, location: Record<string, string> | undefined, topK: number) {
    const p = softmax(m, this.temperature);
    const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
    const merged = new Map<string, number>();
    for (const c of order) {
      const key = this.templateKey[c];
      let unit = this.classes[c]!;
      if (key !== null && key !== undefined) {
        const v = location?.[key];
        if (!v || !v.trim()) continue;
        unit = this.spellings[unit]?.[compactLocation(v)] ?? normalizeUnit(unit.replace(TEMPLATE, v));
      }
      merged.set(unit, (merged.get(unit) ?? 0) + p[c]!);
      if (merged.size >= topK && p[c]! < 1e-6) break;
    }
    return [...merged.entries()]
      .map(([unit, confidence]) => ({ unit, confidence }))
      .sort((a, b) => b.confidence - a.confidence || (a.unit < b.unit ? -1 : 1))
      .slice(0, topK);
  }

  /**
   * The most likely unit, its confidence and up to `topK - 1` alternatives. With a margin confidence model the
   * alternatives share the remaining probability mass (1 − confidence) in proportion to their calibrated
   * probabilities, capped at the top confidence, so the list stays ordered and sums to at most 1.
   */
  predict(text: string, location?: Record<string, string>, topK = 3): UnitPrediction {
    const k = Math.max(1, topK);
    const m = this.decisionValues(text, location);
    const ranked = this.rank(m, location, Math.max(2, k));
    const top = ranked[0];
    if (!top) return { unit: null, confidence: 0, needsReview: true, alternatives: [] };
    const confidence = this.topConfidence(ranked);
    const clamp = (x: number) => Math.min(1, Math.max(0, x));
    let alternatives = ranked.slice(1, k);
    let topMass = top.confidence;
    if (this.localAlternativesBoost !== 0 && k > 1) {
      const boosted = Float64Array.from(m, (v, c) => (this.templateKey[c] != null ? v + this.localAlternativesBoost : v));
      const all = this.rank(boosted, location, k + 1);
      topMass = all.find((a) => a.unit === top.unit)?.confidence ?? 0;
      alternatives = all.filter((a) => a.unit !== top.unit).slice(0, k - 1);
    }
    // the alternatives share what the top unit leaves, in proportion to their (possibly boosted) probabilities
    const scale = topMass < 1 ? (1 - confidence) / (1 - topMass) : 0;
    return {
      unit: top.unit,
      confidence,
      needsReview: confidence < this.autoRouteThreshold,
      alternatives: alternatives.map((a) => ({
        unit: a.unit,
        confidence: clamp(Math.min(confidence, a.confidence * scale)),
      })),
    };
  }

  toJSON(): ModelFile {
    const cols = this.vectorizer.dim + 1;
    const { q, scales } = quantize(this.W, this.classes.length, cols, this.weightsDtype);
    return {
      format: MODEL_FORMAT,
      version: MODEL_FORMAT_VERSION,
      name: this.name,
      classes: this.classes,
      temperature: this.temperature,
      autoRouteThreshold: this.autoRouteThreshold,
      targetPrecision: this.targetPrecision,
      svm: this.svm,
      ...(this.confidenceModel ? { confidenceModel: this.confidenceModel } : {}),
      ...(this.localAlternativesBoost ? { localAlternativesBoost: this.localAlternativesBoost } : {}),
      training: this.meta,
      spellings: this.spellings,
      vectorizer: this.vectorizer.toState(),
      weights: {
        dtype: this.weightsDtype,
        rows: this.classes.length,
        cols,
        scales,
        data: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('base64'),
      },
    };
  }

  save(file: string): void {
    writeFileSync(file, JSON.stringify(this.toJSON()));
  }

  static fromJSON(json: unknown, source = 'model'): UnitClassifier {
    const m = json as Partial<ModelFile>;
    if (!m || m.format !== MODEL_FORMAT) throw new Error(`${source}: not a ${MODEL_FORMAT} model file`);
    if (m.version !== MODEL_FORMAT_VERSION) {
      throw new Error(`${source}: model format version ${m.version} is not supported (expected ${MODEL_FORMAT_VERSION})`);
    }
    const w = m.weights!;
    const dtype: WeightsDtype = w.dtype ?? 'int16';
    if (dtype !== 'int8' && dtype !== 'int16') throw new Error(`${source}: unsupported weight dtype ${String(dtype)}`);
    const bytes = dtype === 'int8' ? 1 : 2;
    const buf = Buffer.from(w.data, 'base64');
    if (buf.byteLength !== w.rows * w.cols * bytes) throw new Error(`${source}: weight array has the wrong size`);
    const aligned = new Uint8Array(buf.byteLength);
    aligned.set(buf);
    const q = dtype === 'int8' ? new Int8Array(aligned.buffer) : new Int16Array(aligned.buffer);
    const vectorizer = Vectorizer.fromState(m.vectorizer!);
    if (vectorizer.dim + 1 !== w.cols || m.classes!.length !== w.rows) throw new Error(`${source}: inconsistent dimensions`);
    return new UnitClassifier({
      name: m.name!,
      classes: m.classes!,
      vectorizer,
      W: dequantize(q, w.scales, w.rows, w.cols),
      svm: m.svm!,
      temperature: m.temperature!,
      autoRouteThreshold: m.autoRouteThreshold!,
      targetPrecision: m.targetPrecision ?? 0.95,
      meta: m.training!,
      spellings: m.spellings ?? {},
      confidenceModel: m.confidenceModel,
      weightsDtype: dtype,
      localAlternativesBoost: m.localAlternativesBoost ?? 0,
    });
  }

  static load(file: string): UnitClassifier {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`cannot read model ${file}: ${(e as Error).message}`);
    }
    return UnitClassifier.fromJSON(json, file);
  }
}

/** Temperature minimising the negative log-likelihood of the held-out labels (golden-section search on log T). */
export function fitTemperature(m: Float64Array[], gold: number[]): number {
  const pairs = m.map((x, i) => [x, gold[i]!] as const).filter(([, g]) => g >= 0);
  if (pairs.length === 0) return 1;
  const nll = (logT: number) => {
    const t = Math.exp(logT);
    let s = 0;
    for (const [x, g] of pairs) s -= Math.log(Math.max(softmax(x, t)[g]!, 1e-12));
    return s;
  };
  let a = Math.log(0.01);
  let b = Math.log(10);
  const gr = (Math.sqrt(5) - 1) / 2;
  let c = b - gr * (b - a);
  let d = a + gr * (b - a);
  let fc = nll(c);
  let fd = nll(d);
  for (let i = 0; i < 40; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - gr * (b - a);
      fc = nll(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + gr * (b - a);
      fd = nll(d);
    }
  }
  return Math.exp((a + b) / 2);
}

/** log(p1 / p2) of a ranked list: the evidence gap between the best and the second-best unit (capped at 30). */
function logRatio(ranked: { confidence: number }[]): number {
  const p1 = ranked[0]?.confidence ?? 0;
  const p2 = ranked[1]?.confidence ?? 0;
  return Math.min(30, Math.log(Math.max(p1, 1e-300)) - Math.log(Math.max(p2, 1e-13)));
}

/**
 * One-feature logistic regression P(y) = sigmoid(a·z + b), by Newton's method with a small L2 penalty on a
 * (z is standardised internally, so the penalty does not depend on its scale).
 */
export function fitLogistic1d(z: number[], y: boolean[], l2 = 1e-3): { a: number; b: number } {
  const n = z.length;
  const mean = z.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(z.reduce((s, v) => s + (v - mean) ** 2, 0) / n) || 1;
  const x = z.map((v) => (v - mean) / sd);
  let a = 0;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let ga = l2 * n * a;
    let gb = 0;
    let haa = l2 * n;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(a * x[i]! + b)));
      const r = p - (y[i] ? 1 : 0);
      const w = p * (1 - p);
      ga += r * x[i]!;
      gb += r;
      haa += w * x[i]! * x[i]!;
      hab += w * x[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  // back to the unstandardised feature: a·(z − mean)/sd + b
  return { a: a / sd, b: b - (a * mean) / sd };
}
