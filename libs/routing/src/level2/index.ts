// Level 2 of routing: the unit inside a body (dinas/OPD, kecamatan or kelurahan office).
export { normalizeUnit, normalizeLocationValue, tokenize } from './normalize';
export {
  UnitClassifier,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  coverageAtPrecision,
  locationTemplate,
} from './classifier';
export type { UnitExample, UnitPrediction, UnitClassifierOptions } from './classifier';
export type { FeatureOptions } from './features';
export type { SvmOptions } from './svm';
export { UnitModelRegistry } from './registry';
export { evaluateUnitClassifier, formatMetrics, METRIC_NAMES } from './metrics';
export type { UnitMetrics, EvaluationDetail } from './metrics';
