import { z } from 'zod';
import { Channel } from '../common.schema';
import { DeadlineStage } from '../lifecycle';
import { SubmissionType } from '../submission-type';

/**
 * The monitoring statistics (issue 10; docs/monitoring.md): the public `GET /api/v1/stats`, the
 * public dashboard `/statistik` and the console's `/desk/statistik` answer with these shapes.
 * Counts only: no complaint, no identity; a Rahasia complaint is only a number in `confidential`.
 */

/** SP4N-LAPOR!'s four shares used in monitoring and evaluation (the mapping from statuses is in docs/monitoring.md). */
export const StatsShare = z.enum(['selesai', 'dalam_proses', 'belum_terverifikasi', 'belum_ditindaklanjuti']);
export type StatsShare = z.infer<typeof StatsShare>;
export const STATS_SHARE_LABELS: Record<StatsShare, string> = {
  selesai: 'Selesai',
  dalam_proses: 'Dalam proses',
  belum_terverifikasi: 'Belum terverifikasi',
  belum_ditindaklanjuti: 'Belum ditindaklanjuti',
};

export const StatsScope = z.enum(['national', 'province', 'body']);
export type StatsScope = z.infer<typeof StatsScope>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'format YYYY-MM-DD');

export const StatsQuery = z
  .object({
    /** national (default), province (`code` = two-digit province code) or body (`code` = region code or agency slug). */
    scope: StatsScope.default('national'),
    code: z.string().trim().min(1).max(80).optional(),
    /** Complaints registered from this day (WIB); statistics are kept per ISO week, so the whole week of `from` counts. */
    from: IsoDate.optional(),
    /** Up to this day (WIB), again the whole week. */
    to: IsoDate.optional(),
    channel: Channel.optional(),
    submissionType: SubmissionType.optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  .refine((q) => q.scope === 'national' || !!q.code, { message: 'code is required for scope province or body', path: ['code'] })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type StatsQuery = z.infer<typeof StatsQuery>;

/** A percentile read from the fixed duration buckets: the bucket's bounds and an interpolated estimate (minutes). */
export const StatsPercentile = z.object({
  bucket: z.number().int().nonnegative(),
  lowerMinutes: z.number().nonnegative(),
  upperMinutes: z.number().positive().nullable(),
  estimateMinutes: z.number().nonnegative(),
});
const Duration = z.object({ count: z.number().int().nonnegative(), median: StatsPercentile.nullable(), p90: StatsPercentile.nullable() });
const ShareFigure = z.object({ count: z.number().int(), percent: z.number().nullable() });

/** Counts and the four shares: what every group (week, channel, type, province, body) carries. */
export const StatsCounts = z.object({
  complaints: z.number().int().nonnegative(),
  /** Rahasia complaints among them (a count, never more). */
  confidential: z.number().int().nonnegative(),
  shares: z.object({ selesai: ShareFigure, dalam_proses: ShareFigure, belum_terverifikasi: ShareFigure, belum_ditindaklanjuti: ShareFigure }),
});
export type StatsCounts = z.infer<typeof StatsCounts>;

/** The full figures of the scope (durations and deadlines of a province or body: ask for that scope). */
export const StatsFigures = StatsCounts.extend({
  /** From registration to distribution to a body, to the first response, to closing. */
  durations: z.object({ distribution: Duration, firstResponse: Duration, close: Duration }),
  /** Per deadline stage: complaints that reached it, how many were escalated (deadline missed), the share on time. */
  deadlineCompliance: z.record(DeadlineStage, z.object({ reached: z.number().int(), escalated: z.number().int(), percent: z.number().nullable() })),
  escalations: z.number().int().nonnegative(),
  ombudsmanForwards: z.number().int().nonnegative(),
});
export type StatsFigures = z.infer<typeof StatsFigures>;

export const StatsGroup = StatsCounts.extend({ key: z.string(), label: z.string() });
export type StatsGroup = z.infer<typeof StatsGroup>;

export const StatsReport = z.object({
  scope: StatsScope,
  code: z.string().nullable(),
  name: z.string(),
  filters: z.object({ from: IsoDate.nullable(), to: IsoDate.nullable(), channel: Channel.nullable(), submissionType: SubmissionType.nullable() }),
  /** The ISO weeks (Mondays, WIB) the figures cover. */
  weeks: z.object({ from: IsoDate.nullable(), to: IsoDate.nullable() }),
  summary: StatsFigures,
  weekly: z.array(StatsGroup),
  byChannel: z.array(StatsGroup),
  bySubmissionType: z.array(StatsGroup),
  /** National: per province (`key` '' = national agencies); province: per body. Empty for a body. */
  breakdown: z.array(StatsGroup),
});
export type StatsReport = z.infer<typeof StatsReport>;
