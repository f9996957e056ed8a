import { z } from 'zod';
import { DeadlineStage } from './lifecycle';
import { SubmissionType } from './submission-type';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'tanggal YYYY-MM-DD');

/**
 * One year's cuti bersama (libs/calendar/data/cuti-bersama/<year>.yaml): the joint ministerial
 * decree (SKB 3 Menteri) it comes from, and corrections to the national holidays the
 * `date-holidays` library computes (its Islamic dates are astronomical; the SKB's can be a day later).
 */
export const CutiBersamaYear = z.object({
  year: z.number().int().min(2000).max(2100),
  /** false: the SKB was not available when the file was written (the year uses date-holidays only). */
  verified: z.boolean(),
  decree: z.string().nullable(),
  source: z.string().url().nullable(),
  cutiBersama: z.array(z.object({ date: IsoDate, name: z.string().min(1) })),
  nationalHolidayCorrections: z
    .object({
      add: z.array(z.object({ date: IsoDate, name: z.string().min(1) })).default([]),
      remove: z.array(z.object({ date: IsoDate, reason: z.string().min(1) })).default([]),
    })
    .default({ add: [], remove: [] }),
});
export type CutiBersamaYear = z.infer<typeof CutiBersamaYear>;

/**
 * How long a stage may take: working days in the body's calendar (the norm), or clock hours
 * (fast lanes for emergencies, where a weekend must not pause the clock).
 */
export const DeadlineDuration = z.union([
  z.object({ workingDays: z.number().int().min(0).max(365) }).strict(),
  z.object({ hours: z.number().positive().max(24 * 365) }).strict(),
]);
export type DeadlineDuration = z.infer<typeof DeadlineDuration>;

/** Why a duration is what it is: a regulation (cited) or the operator's own policy. */
export const LegalBasis = z.union([
  z.object({ regulation: z.string().min(3).max(300), article: z.string().max(200).optional(), url: z.string().url().optional(), note: z.string().max(500).optional() }).strict(),
  z.object({ localPolicy: z.literal(true), note: z.string().min(3).max(500) }).strict(),
]);
export type LegalBasis = z.infer<typeof LegalBasis>;

export const DeadlineRule = DeadlineDuration.and(z.object({ basis: LegalBasis }));
export type DeadlineRule = z.infer<typeof DeadlineRule>;

/**
 * When the responsible officials are reminded before a deadline: at a fraction of the time
 * allowed (0.5 = half time), or N working days before it.
 */
export const ReminderRule = z.union([
  z.object({ fraction: z.number().gt(0).lt(1) }).strict(),
  z.object({ workingDaysBefore: z.number().int().min(1).max(30) }).strict(),
]);
export type ReminderRule = z.infer<typeof ReminderRule>;

const StageRules = z.object({
  /** The default for the stage. */
  default: DeadlineRule,
  /** Overrides per submission type (pengaduan, permintaan informasi, aspirasi). */
  bySubmissionType: z.partialRecord(SubmissionType, DeadlineRule).default({}),
});

/** A fast lane's shorter deadlines (lane ids are the lanes' own; a lane missing here uses the normal policy). */
const LaneRules = z.object({
  name: z.string().max(200).optional(),
  stages: z.partialRecord(DeadlineStage, DeadlineRule),
});

/**
 * The deadline policy (libs/deadlines/policy/deadline-policy.yaml; the national admin edits it at
 * runtime through `PUT /desk/v1/deadline-policy`): per stage, per submission type, per fast lane,
 * each with its legal basis or marked local policy. A stage's deadline is computed from the
 * policy in force when the stage starts and stored; later changes apply to new stages only.
 */
export const DeadlinePolicy = z.object({
  version: z.literal(1),
  stages: z.object({
    verification: StageRules,
    acceptance: StageRules,
    'first-response': StageRules,
    'follow-up': StageRules,
  }),
  lanes: z.record(z.string().min(1).max(80), LaneRules).default({}),
  reminders: z.array(ReminderRule).max(5).default([{ fraction: 0.5 }, { workingDaysBefore: 1 }]),
});
export type DeadlinePolicy = z.infer<typeof DeadlinePolicy>;
export type DeadlinePolicyInput = z.input<typeof DeadlinePolicy>;

/** `GET/PUT /desk/v1/deadline-policy` (national admin): the policy in force and its version number. */
export const DeadlinePolicyDocument = z.object({
  version: z.number().int().positive(),
  policy: DeadlinePolicy,
  changedAt: z.string().datetime({ offset: true }).nullable(),
  changedBy: z.string().nullable(),
});
export type DeadlinePolicyDocument = z.infer<typeof DeadlinePolicyDocument>;
