/**
 * TF-IDF featuriser: word 1–2-grams, character n-grams inside word boundaries, and location indicator features.
 * Each block is sublinear-TF × IDF and L2-normalised, weighted, and the whole vector is L2-normalised again.
 */
import { normalizeLocationValue, STOPWORDS, tokenize, tokenizeStandard } from './normalize';

export interface FeatureOptions {
  /** Word n-gram orders (default [1, 2]). */
  wordNgrams: [number, number];
  /** Character n-gram orders inside word boundaries (default [2, 5]). */
  charNgrams: [number, number];
  /** Minimum document frequency of a feature (default 2). */
  minDf: number;
  /** Keep at most this many features per block, most frequent first (0 = no limit). */
  maxFeaturesPerBlock: number;
  /** Weights of the word, char and location blocks before the final L2 normalisation. */
  wordWeight: number;
  charWeight: number;
  locationWeight: number;
  /** Drop Indonesian stopwords and greetings before building n-grams (default true). */
  stopwords: boolean;
  /** Map informal spellings and chat abbreviations to the standard word first (normalize.ts `SLANG`; default true, absent in older model files = false). */
  slang: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordNgrams: [1, 2],
  charNgrams: [2, 5],
  minDf: 2,
  maxFeaturesPerBlock: 0,
  wordWeight: 1,
  charWeight: 1,
  locationWeight: 0.25,
  stopwords: true,
  slang: true,
};

/** A sparse vector: sorted feature indices and their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

type Block = 0 | 1 | 2;

/** Raw feature counts of one document, per block. */
type RawFeatures = [Map<string, number>, Map<string, number>, Map<string, number>];

export function extractRaw(
  text: string,
  location: Record<string, string> | undefined,
  opt: FeatureOptions,
): RawFeatures {
  const words = new Map<string, number>();
  const chars = new Map<string, number>();
  const locs = new Map<string, number>();
  let toks = opt.slang ? tokenizeStandard(text) : tokenize(text);
  if (opt.stopwords) toks = toks.filter((t) => !STOPWORDS.has(t));
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const [wMin, wMax] = opt.wordNgrams;
  for (let n = wMin; n <= wMax; n++) {
    for (let i = 0; i + n <= toks.length; i++) add(words, n === 1 ? toks[i]! : toks.slice(i, i + n).join(' '));
  }
  const [cMin, cMax] = opt.charNgrams;
  if (cMax > 0) {
    for (const t of toks) {
      if (t.startsWith('_')) continue; // placeholders are word features only
      const w = ` ${t} `;
      for (let n = cMin; n <= cMax; n++) {
        if (n > w.length) break;
        for (let i = 0; i + n <= w.length; i++) add(chars, w.substring(i, i + n));
      }
    }
  }
  if (location) {
    for (const key of Object.keys(location).sort()) {
      const v = location[key];
      if (v && v.trim()) add(locs, `${key.toLowerCase()}=${normalizeLocationValue(v)}`);
    }
  }
  return [words, chars, locs];
}

export interface VectorizerState {
  options: FeatureOptions;
  /** Feature names per block, in index order (block offsets follow from the lengths). */
  vocab: [string[], string[], string[]];
  idf: number[];
}

export class Vectorizer {
  readonly options: FeatureOptions;
  private readonly index: [Map<string, number>, Map<string, number>, Map<string, number>];
  private readonly vocab: [string[], string[], string[]];
  private readonly offsets: [number, number, number];
  readonly idf: Float32Array;
  readonly dim: number;

  private constructor(options: FeatureOptions, vocab: [string[], string[], string[]], idf: ArrayLike<number>) {
    this.options = options;
    this.vocab = vocab;
    this.offsets = [0, vocab[0].length, vocab[0].length + vocab[1].length];
    this.dim = vocab[0].length + vocab[1].length + vocab[2].length;
    this.index = [new Map(), new Map(), new Map()];
    for (let b = 0; b < 3; b++) vocab[b]!.forEach((f, i) => this.index[b as Block].set(f, this.offsets[b as Block] + i));
    this.idf = Float32Array.from(idf);
  }

  /** Builds the vocabulary and IDF weights from already extracted raw features. */
  static fit(raw: RawFeatures[], options: FeatureOptions): Vectorizer {
    const n = raw.length;
    const vocab: [string[], string[], string[]] = [[], [], []];
    const idf: number[] = [];
    for (let b = 0; b < 3; b++) {
      const df = new Map<string, number>();
      for (const r of raw) for (const k of r[b]!.keys()) df.set(k, (df.get(k) ?? 0) + 1);
      const minDf = b === 2 ? 1 : options.minDf;
      let feats = [...df.entries()].filter(([, d]) => d >= minDf);
      // Deterministic order: by document frequency desc, then name.
      feats.sort((a, b2) => b2[1] - a[1] || (a[0] < b2[0] ? -1 : a[0] > b2[0] ? 1 : 0));
      if (options.maxFeaturesPerBlock > 0 && b !== 2) feats = feats.slice(0, options.maxFeaturesPerBlock);
      for (const [k, d] of feats) {
        vocab[b]!.push(k);
        idf.push(Math.log((1 + n) / (1 + d)) + 1);
      }
    }
    return new Vectorizer(options, vocab, idf);
  }

  static fromState(s: VectorizerState): Vectorizer {
    // a model file written before an option existed was trained without it
    return new Vectorizer({ ...DEFAULT_FEATURE_OPTIONS, ...s.options, slang: (s.options as Partial<FeatureOptions>).slang ?? false }, s.vocab, s.idf);
  }

  toState(): VectorizerState {
    return { options: this.options, vocab: this.vocab, idf: Array.from(this.idf, (x) => Math.fround(x)) };
  }

  transformRaw(raw: RawFeatures): SparseVector {
    const weights = [this.options.wordWeight, this.options.charWeight, this.options.locationWeight];
    const idx: number[] = [];
    const val: number[] = [];
    for (let b = 0; b < 3; b++) {
      const start = idx.length;
      let norm = 0;
      for (const [k, c] of raw[b]!) {
        const j = this.index[b as Block].get(k);
        if (j === undefined) continue;
        const v = (1 + Math.log(c)) * this.idf[j]!;
        idx.push(j);
        val.push(v);
        norm += v * v;
      }
      if (norm > 0) {
        const s = weights[b]! / Math.sqrt(norm);
        for (let i = start; i < val.length; i++) val[i]! *= s;
      }
    }
    let total = 0;
    for (const v of val) total += v * v;
    const s = total > 0 ? 1 / Math.sqrt(total) : 0;
    const order = idx.map((_, i) => i).sort((a, b) => idx[a]! - idx[b]!);
    return {
      idx: Int32Array.from(order, (i) => idx[i]!),
      val: Float32Array.from(order, (i) => val[i]! * s),
    };
  }

  transform(text: string, location?: Record<string, string>): SparseVector {
    return this.transformRaw(extractRaw(text, location, this.options));
  }
}
