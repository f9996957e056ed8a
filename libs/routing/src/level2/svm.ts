/**
 * One-vs-rest L2-regularised L2-loss (squared hinge) linear SVM trained by dual coordinate descent with shrinking
 * (Hsieh et al. 2008, the LIBLINEAR `-s 1` solver), with an unregularised-ish bias feature of value `biasValue`.
 */
import type { SparseVector } from './features';

export interface SvmOptions {
  /** Inverse regularisation strength (default 1). */
  C: number;
  /** Multiply C of the positive examples of a class by (n / (k · n_c))^classWeightPower (0 = unweighted). */
  classWeightPower: number;
  /** Stopping tolerance on the projected-gradient gap (default 0.1, as LIBLINEAR). */
  eps: number;
  maxIter: number;
  biasValue: number;
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = { C: 1, classWeightPower: 0, eps: 0.1, maxIter: 200, biasValue: 1 };

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Trains one binary SVM. `y[i]` is ±1. Returns weights of length dim + 1 (the last one is the bias weight).
 */
export function trainBinary(
  X: SparseVector[],
  y: Int8Array,
  dim: number,
  cPos: number,
  cNeg: number,
  opt: SvmOptions,
  random: () => number,
  sampleWeight?: Float64Array,
): Float64Array {
  const n = X.length;
  const w = new Float64Array(dim + 1);
  const alpha = new Float64Array(n);
  const QD = new Float64Array(n);
  // D_ii = 1 / (2 C_i) of the squared-hinge dual, C_i = C_class · weight_i
  const D = new Float64Array(n);
  for (let i = 0; i < n; i++) D[i] = 0.5 / ((y[i]! > 0 ? cPos : cNeg) * (sampleWeight ? sampleWeight[i]! : 1));
  const b2 = opt.biasValue * opt.biasValue;
  for (let i = 0; i < n; i++) {
    const v = X[i]!.val;
    let s = b2;
    for (let k = 0; k < v.length; k++) s += v[k]! * v[k]!;
    QD[i] = s + D[i]!;
  }
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  let active = n;
  let pgMaxOld = Infinity;
  let pgMinOld = -Infinity;
  for (let iter = 0; iter < opt.maxIter; iter++) {
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    for (let i = 0; i < active; i++) {
      const j = i + Math.floor(random() * (active - i));
      const t = index[i]!;
      index[i] = index[j]!;
      index[j] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = index[s]!;
      const yi = y[i]!;
      const xi = X[i]!;
      const ix = xi.idx;
      const vx = xi.val;
      let g = w[dim]! * opt.biasValue;
      for (let k = 0; k < ix.length; k++) g += w[ix[k]!]! * vx[k]!;
      g = g * yi - 1 + alpha[i]! * D[i]!;
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          active--;
          index[s] = index[active]!;
          index[active] = i;
          s--;
          continue;
        } else if (g < 0) pg = g;
      } else pg = g;
      if (pg > pgMaxNew) pgMaxNew = pg;
      if (pg < pgMinNew) pgMinNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const a = Math.max(old - g / QD[i]!, 0);
        alpha[i] = a;
        const d = (a - old) * yi;
        for (let k = 0; k < ix.length; k++) w[ix[k]!]! += d * vx[k]!;
        w[dim]! += d * opt.biasValue;
      }
    }
    if (pgMaxNew - pgMinNew <= opt.eps) {
      if (active === n) break;
      active = n; // re-check all examples without shrinking
      pgMaxOld = Infinity;
      pgMinOld = -Infinity;
      continue;
    }
    pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
    pgMinOld = pgMinNew >= 0 ? -Infinity : pgMinNew;
  }
  void pgMinOld;
  return w;
}

/**
 * Trains one-vs-rest SVMs. Returns a class-major weight matrix W[c * (dim + 1) + f] (bias at f = dim).
 */
export function trainOneVsRest(
  X: SparseVector[],
  labels: Int32Array,
  numClasses: number,
  dim: number,
  opt: SvmOptions,
  seed: number,
  sampleWeight?: Float64Array,
): Float32Array {
  const n = X.length;
  const W = new Float32Array(numClasses * (dim + 1));
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < n; i++) counts[labels[i]!]!++;
  const y = new Int8Array(n);
  for (let c = 0; c < numClasses; c++) {
    for (let i = 0; i < n; i++) y[i] = labels[i] === c ? 1 : -1;
    const weight = opt.classWeightPower > 0 && counts[c]! > 0 ? Math.pow(n / (numClasses * counts[c]!), opt.classWeightPower) : 1;
    const w = trainBinary(X, y, dim, opt.C * Math.max(weight, 1), opt.C, opt, rng(seed * 7919 + c), sampleWeight);
    W.set(w, c * (dim + 1));
  }
  return W;
}

/** Decision values of all classes for one example. */
export function margins(W: Float32Array, numClasses: number, dim: number, x: SparseVector, biasValue: number): Float64Array {
  const out = new Float64Array(numClasses);
  const stride = dim + 1;
  for (let c = 0; c < numClasses; c++) {
    const base = c * stride;
    let s = W[base + dim]! * biasValue;
    for (let k = 0; k < x.idx.length; k++) s += W[base + x.idx[k]!]! * x.val[k]!;
    out[c] = s;
  }
  return out;
}
