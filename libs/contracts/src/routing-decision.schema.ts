import { z } from 'zod';
import { SubmissionTypeDecision } from './submission-type';

/** Level of the body a complaint is assigned to; `triage` is the national queue worked by people. */
export const BodyKind = z.enum(['province', 'kota', 'kabupaten', 'agency', 'triage']);
export type BodyKind = z.infer<typeof BodyKind>;

/** Who a complaint is with now: the body and, when level 2 is confident, the unit inside it. */
export const Assignment = z.object({ kind: BodyKind, code: z.string(), name: z.string(), unit: z.string().nullable().optional() });
export type Assignment = z.infer<typeof Assignment>;

/** One piece of evidence behind a decision: a place matched, a rule fired, a model score. */
export const Evidence = z.object({
  type: z.enum(['form_region', 'gps', 'place_name', 'rule', 'model', 'connection', 'edition', 'note']),
  detail: z.string(),
  /** The text span, region code, rule id or class the evidence is about. */
  ref: z.string().optional(),
  weight: z.number().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Alternative = z.object({
  kind: BodyKind,
  code: z.string(),
  name: z.string(),
  confidence: z.number().min(0).max(1),
});
export type Alternative = z.infer<typeof Alternative>;

/** Level 2: the unit inside the body (dinas/OPD, kecamatan or kelurahan office), learned per body. */
export const UnitDecision = z.object({
  unit: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  /** True when below the body's threshold: the body's own admin picks from `alternatives`. */
  needsReview: z.boolean(),
  alternatives: z.array(z.object({ unit: z.string(), confidence: z.number().min(0).max(1) })),
  model: z.string(),
});
export type UnitDecision = z.infer<typeof UnitDecision>;

/**
 * The router's answer to "who is responsible". `code` is the Kemendagri region code
 * (e.g. "32.73") or the agency slug from the reference data; empty for triage.
 */
export const RoutingDecision = z.object({
  kind: BodyKind,
  code: z.string(),
  name: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(Evidence),
  alternatives: z.array(Alternative),
  /** When the responsible body is not connected yet, the body it was forwarded to instead. */
  redirectedFrom: z.object({ kind: BodyKind, code: z.string(), name: z.string() }).optional(),
  /** The kecamatan and desa/kelurahan inside the body, when known (current-edition codes): what level 2 and offices use. */
  place: z
    .object({
      districtCode: z.string().optional(),
      districtName: z.string().optional(),
      villageCode: z.string().optional(),
      villageName: z.string().optional(),
    })
    .optional(),
  unit: UnitDecision.optional(),
  edition: z.enum(['2019', 'current']).optional(),
  /** Pengaduan / permintaan informasi / aspirasi as routing proposes it (officers correct it with `classify`). */
  submissionType: SubmissionTypeDecision.optional(),
});
export type RoutingDecision = z.infer<typeof RoutingDecision>;
