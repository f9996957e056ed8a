import type { ComplaintStatus, DeadlineStage, StatsCounts, StatsFigures, StatsPercentile, StatsShare } from '@lapor/contracts';
import type { z } from 'zod';
import { DeadlineStage as DeadlineStageEnum, isTerminal } from '@lapor/contracts';

/**
 * The pure rules of the monitoring statistics (docs/monitoring.md): which of the seed's four
 * shares a status counts in, the fixed duration buckets, the week a complaint counts in, what
 * one complaint contributes to the aggregate tables, and percentiles read back from the
 * aggregated histograms. No I/O: unit-tested in stats-rules.spec.ts without infrastructure.
 */

/**
 * The seed's four shares (SP4N-LAPOR!'s monitoring and evaluation: "selesai / dalam proses /
 * belum terverifikasi / belum ditindaklanjuti"), from every lifecycle status. A Record over
 * ComplaintStatus: a new status does not type-check until it is placed here.
 * - belum terverifikasi: the national admin has not verified (distributed) it yet;
 * - belum ditindaklanjuti: the body has it but no follow-up has started (assigned, returned, accepted);
 * - dalam proses: disposed to a unit, worked on, waiting for the reporter, responded (the
 *   reporter may still object within the window), reopened;
 * - selesai: closed, archived or merged into another complaint.
 */
export const SHARE_OF_STATUS: Record<ComplaintStatus, StatsShare> = {
  received: 'belum_terverifikasi',
  triage: 'belum_terverifikasi',
  assigned: 'belum_ditindaklanjuti',
  returned: 'belum_ditindaklanjuti',
  accepted: 'belum_ditindaklanjuti',
  disposed: 'dalam_proses',
  in_progress: 'dalam_proses',
  waiting_info: 'dalam_proses',
  responded: 'dalam_proses',
  reopened: 'dalam_proses',
  closed: 'selesai',
  archived: 'selesai',
  merged: 'selesai',
};

export const SHARES: readonly StatsShare[] = ['selesai', 'dalam_proses', 'belum_terverifikasi', 'belum_ditindaklanjuti'];

/**
 * Upper bounds (exclusive, minutes) of the duration histogram buckets, roughly log-spaced from
 * a quarter hour to two months; the last bucket is open. Fixed, so histograms of any rows add up.
 */
export const DURATION_BUCKET_UPPER_MINUTES: readonly number[] = [15, 30, 60, 120, 240, 480, 1440, 2880, 4320, 7200, 10080, 14400, 20160, 30240, 43200, 86400, Infinity];
export const DURATION_BUCKETS = DURATION_BUCKET_UPPER_MINUTES.length;

export function bucketOf(minutes: number): number {
  const m = Math.max(0, minutes);
  return DURATION_BUCKET_UPPER_MINUTES.findIndex((upper) => m < upper);
}

export function bucketLowerMinutes(bucket: number): number {
  return bucket === 0 ? 0 : DURATION_BUCKET_UPPER_MINUTES[bucket - 1];
}

/** The bucket holding the nearest-rank value (as PostgreSQL's percentile_disc picks it), its bounds (null: the open last bucket) and a linear interpolation inside it. */
export type Percentile = z.infer<typeof StatsPercentile>;

/** The p-th percentile (0 < p ≤ 1) from a histogram of counts per bucket; null when empty. */
export function percentileFromHistogram(histogram: readonly number[], p: number): Percentile | null {
  const n = histogram.reduce((a, b) => a + b, 0);
  if (n <= 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let before = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    const count = histogram[bucket];
    if (count > 0 && before + count >= rank) {
      const lower = bucketLowerMinutes(bucket);
      const upper = DURATION_BUCKET_UPPER_MINUTES[bucket];
      const estimate = Number.isFinite(upper) ? lower + ((upper - lower) * (rank - before)) / count : lower;
      return { bucket, lowerMinutes: lower, upperMinutes: Number.isFinite(upper) ? upper : null, estimateMinutes: Math.round(estimate) };
    }
    before += count;
  }
  return null;
}

/** Statistics run per ISO week (Monday) in WIB, the same as `date_trunc('week', t AT TIME ZONE 'Asia/Jakarta')`. */
export function weekOf(at: Date): string {
  const wibMs = at.getTime() + 7 * 3600_000;
  const day = new Date(wibMs).getUTCDay();
  const monday = new Date(wibMs - ((day + 6) % 7) * 86400_000);
  return monday.toISOString().slice(0, 10);
}

/** The province of a body: the first two digits of a Kemendagri region code; '' for national agencies and triage. */
export function provinceOf(bodyCode: string | null | undefined): string {
  return /^(\d{2})(\.|$)/.exec(bodyCode ?? '')?.[1] ?? '';
}

/** What the statistics keep of one complaint (table desk_stats_complaints). */
export interface ComplaintFacts {
  trackingId: string;
  registeredAt: Date | null;
  status: ComplaintStatus;
  bodyCode: string | null;
  channel: string | null;
  submissionType: string | null;
  confidential: boolean;
  /** First time in each milestone (the earliest seen, so redelivery and reordering do not move it). */
  triagedAt: Date | null;
  assignedAt: Date | null;
  acceptedAt: Date | null;
  respondedAt: Date | null;
  closedAt: Date | null;
  escalatedStages: DeadlineStage[];
  escalations: number;
  ombudsmanAt: Date | null;
}

export function emptyFacts(trackingId: string): ComplaintFacts {
  return { trackingId, registeredAt: null, status: 'received', bodyCode: null, channel: null, submissionType: null, confidential: false, triagedAt: null, assignedAt: null, acceptedAt: null, respondedAt: null, closedAt: null, escalatedStages: [], escalations: 0, ombudsmanAt: null };
}

/** What the read model says now (the current status, body, channel, type, registration). */
export interface CurrentState {
  status: ComplaintStatus;
  bodyCode: string | null;
  channel: string | null;
  submissionType: string | null;
  confidential: boolean;
  registeredAt: Date | null;
}

/** A step seen in an event or a timeline: a status at a time, or an action by name (counted once per sequence). */
export type Observation = { kind: 'status'; status: ComplaintStatus; at: Date } | { kind: 'action'; action: string; stage?: string; at: Date };

const earliest = (a: Date | null, b: Date): Date => (a && a.getTime() <= b.getTime() ? a : b);

/** The facts after the read model's current state and new observations (actions already deduplicated by the caller). */
export function mergeFacts(old: ComplaintFacts, now: CurrentState, seen: readonly Observation[]): ComplaintFacts {
  const f: ComplaintFacts = { ...old, ...now, escalatedStages: [...old.escalatedStages] };
  for (const o of seen) {
    if (o.kind === 'status') {
      if (o.status === 'triage') f.triagedAt = earliest(f.triagedAt, o.at);
      if (o.status === 'assigned') f.assignedAt = earliest(f.assignedAt, o.at);
      if (o.status === 'accepted') f.acceptedAt = earliest(f.acceptedAt, o.at);
      if (o.status === 'responded') f.respondedAt = earliest(f.respondedAt, o.at);
      if (isTerminal(o.status)) f.closedAt = earliest(f.closedAt, o.at);
    } else if (o.action === 'escalate') {
      f.escalations += 1;
      const stage = DeadlineStageEnum.safeParse(o.stage);
      if (stage.success && !f.escalatedStages.includes(stage.data)) f.escalatedStages.push(stage.data);
    } else if (o.action === 'forward-ombudsman') {
      f.ombudsmanAt = earliest(f.ombudsmanAt, o.at);
    }
  }
  f.escalatedStages.sort();
  return f;
}

/** The aggregate tables' key (ISO week of registration, body, channel, submission type; '' = unknown/none). */
export interface AggregateKey {
  week: string;
  bodyCode: string;
  provinceCode: string;
  channel: string;
  submissionType: string;
}

const STAGE_COLUMN: Record<DeadlineStage, string> = { verification: 'verification', acceptance: 'acceptance', 'first-response': 'first_response', 'follow-up': 'follow_up' };
export const DEADLINE_STAGES = DeadlineStageEnum.options;
export const DURATION_KINDS = ['distribution', 'first_response', 'close'] as const;
export type DurationKind = (typeof DURATION_KINDS)[number];

/** Every counter column of the aggregate tables, in a fixed order. */
export const METRIC_COLUMNS: readonly string[] = [
  'complaints',
  'confidential',
  ...SHARES,
  'escalations',
  'ombudsman_forwards',
  ...DEADLINE_STAGES.map((s) => `reached_${STAGE_COLUMN[s]}`),
  ...DEADLINE_STAGES.map((s) => `escalated_${STAGE_COLUMN[s]}`),
  ...DURATION_KINDS.flatMap((d) => Array.from({ length: DURATION_BUCKETS }, (_, b) => `${d}_b${b}`)),
];

export function stageColumn(stage: DeadlineStage): string {
  return STAGE_COLUMN[stage];
}

export interface Contribution {
  key: AggregateKey;
  metrics: Record<string, number>;
}

const minutesBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;

/**
 * What one complaint adds to the aggregate tables: one in its share, its durations in their
 * buckets, its stages reached and escalated. Nothing before registration is known (no week).
 * Reached stages: verification when it waited in triage, acceptance when it was assigned,
 * first response and follow-up once the body accepted it; an escalated stage counts as reached.
 */
export function contributionOf(f: ComplaintFacts | null): Contribution | null {
  if (!f || !f.registeredAt) return null;
  const m: Record<string, number> = { complaints: 1, [SHARE_OF_STATUS[f.status]]: 1 };
  if (f.confidential) m.confidential = 1;
  if (f.escalations > 0) m.escalations = f.escalations;
  if (f.ombudsmanAt) m.ombudsman_forwards = 1;
  const reached: Record<DeadlineStage, boolean> = {
    verification: !!f.triagedAt,
    acceptance: !!f.assignedAt,
    'first-response': !!f.acceptedAt,
    'follow-up': !!f.acceptedAt,
  };
  for (const stage of DEADLINE_STAGES) {
    const escalated = f.escalatedStages.includes(stage);
    if (reached[stage] || escalated) m[`reached_${STAGE_COLUMN[stage]}`] = 1;
    if (escalated) m[`escalated_${STAGE_COLUMN[stage]}`] = 1;
  }
  const durations: [DurationKind, Date | null][] = [['distribution', f.assignedAt], ['first_response', f.respondedAt], ['close', f.closedAt]];
  for (const [kind, at] of durations) if (at) m[`${kind}_b${bucketOf(minutesBetween(f.registeredAt, at))}`] = 1;
  const bodyCode = f.bodyCode ?? '';
  return { key: { week: weekOf(f.registeredAt), bodyCode, provinceCode: provinceOf(bodyCode), channel: f.channel ?? '', submissionType: f.submissionType ?? '' }, metrics: m };
}

const keyString = (k: AggregateKey) => [k.week, k.bodyCode, k.channel, k.submissionType].join('\u0000');

/** The signed changes to the aggregate rows when a complaint's contribution goes from `before` to `after` (sorted by key: a fixed lock order). */
export function deltaRows(before: Contribution | null, after: Contribution | null): Contribution[] {
  const rows = new Map<string, Contribution>();
  const add = (c: Contribution | null, sign: 1 | -1) => {
    if (!c) return;
    const id = keyString(c.key);
    const row = rows.get(id) ?? { key: c.key, metrics: {} };
    for (const [col, v] of Object.entries(c.metrics)) row.metrics[col] = (row.metrics[col] ?? 0) + sign * v;
    rows.set(id, row);
  };
  add(before, -1);
  add(after, 1);
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => ({ key: r.key, metrics: Object.fromEntries(Object.entries(r.metrics).filter(([, v]) => v !== 0)) }))
    .filter((r) => Object.keys(r.metrics).length > 0);
}

/** The same deltas summed per (week, province, channel, type), or per (week, channel, type) for the nation. */
export function rollUp(rows: readonly Contribution[], level: 'province' | 'national'): Contribution[] {
  const out = new Map<string, Contribution>();
  for (const r of rows) {
    const key = { ...r.key, bodyCode: '', provinceCode: level === 'province' ? r.key.provinceCode : '' };
    const id = keyString({ ...key, bodyCode: key.provinceCode });
    const row = out.get(id) ?? { key, metrics: {} };
    for (const [col, v] of Object.entries(r.metrics)) row.metrics[col] = (row.metrics[col] ?? 0) + v;
    out.set(id, row);
  }
  return [...out.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => ({ key: r.key, metrics: Object.fromEntries(Object.entries(r.metrics).filter(([, v]) => v !== 0)) }))
    .filter((r) => Object.keys(r.metrics).length > 0);
}

export type Figures = StatsFigures;

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);

/** The columns every group needs (counts and shares); the full figures need all METRIC_COLUMNS. */
export const COUNT_COLUMNS: readonly string[] = ['complaints', 'confidential', ...SHARES];

export function countsOf(sums: Record<string, number>): StatsCounts {
  const v = (col: string) => Number(sums[col] ?? 0);
  const complaints = v('complaints');
  return {
    complaints,
    confidential: v('confidential'),
    shares: Object.fromEntries(SHARES.map((s) => [s, { count: v(s), percent: percent(v(s), complaints) }])) as StatsCounts['shares'],
  };
}

export function figuresOf(sums: Record<string, number>): Figures {
  const v = (col: string) => Number(sums[col] ?? 0);
  const hist = (kind: DurationKind) => Array.from({ length: DURATION_BUCKETS }, (_, b) => v(`${kind}_b${b}`));
  const duration = (kind: DurationKind) => {
    const h = hist(kind);
    return { count: h.reduce((a, b) => a + b, 0), median: percentileFromHistogram(h, 0.5), p90: percentileFromHistogram(h, 0.9) };
  };
  return {
    ...countsOf(sums),
    durations: { distribution: duration('distribution'), firstResponse: duration('first_response'), close: duration('close') },
    deadlineCompliance: Object.fromEntries(
      DEADLINE_STAGES.map((s) => {
        const reached = v(`reached_${STAGE_COLUMN[s]}`);
        const escalated = v(`escalated_${STAGE_COLUMN[s]}`);
        return [s, { reached, escalated, percent: percent(reached - escalated, reached) }];
      }),
    ) as Figures['deadlineCompliance'],
    escalations: v('escalations'),
    ombudsmanForwards: v('ombudsman_forwards'),
  };
}
