import { z } from 'zod';
import { ComplaintStatus, DeadlineStage } from './lifecycle';

/**
 * A missed deadline, escalated (the `escalate` action of the desk's scheduler): which stage,
 * when it was due, and who was told (one level up). The router stores it in the timeline
 * (an entry without a status change) and in the record's `overdue` list until the stage ends.
 */
export const DeadlineEscalation = z.object({
  stage: DeadlineStage,
  dueAt: z.string().datetime({ offset: true }),
  escalatedTo: z.string().min(1).max(300),
});
export type DeadlineEscalation = z.infer<typeof DeadlineEscalation>;

/** A stage that is overdue now (AgencyComplaintView.overdue): the escalation and when it happened. */
export const OverdueStage = DeadlineEscalation.extend({ escalatedAt: z.string().datetime({ offset: true }) });
export type OverdueStage = z.infer<typeof OverdueStage>;

/**
 * When each deadline stage runs (docs/deadlines.md): it starts when the complaint ENTERS one of
 * `startsIn` (each entry is a new instance: a forward to another body restarts acceptance) and is
 * met as soon as the complaint is in a status outside `activeIn`. The desk opens and closes its
 * stored deadlines with this table; the router clears a complaint's overdue flag with it.
 */
export const DEADLINE_STAGE_RUNS: Record<DeadlineStage, { startsIn: readonly ComplaintStatus[]; activeIn: readonly ComplaintStatus[] }> = {
  /** The national admin verifies a complaint routing was unsure of. */
  verification: { startsIn: ['triage'], activeIn: ['received', 'triage'] },
  /** The body accepts (or returns / forwards) what was delivered to it. */
  acceptance: { startsIn: ['assigned'], activeIn: ['assigned'] },
  /** After acceptance, the first step the reporter sees: work started, a question, or the response. */
  'first-response': { startsIn: ['accepted'], activeIn: ['accepted', 'disposed'] },
  /** Follow-up done: the response (tindak lanjut) is given; restarts when the reporter objects. */
  'follow-up': { startsIn: ['accepted', 'reopened'], activeIn: ['accepted', 'disposed', 'in_progress', 'waiting_info', 'reopened'] },
};

/** The stages whose new instance starts when a complaint enters `status` (none when the status did not change). */
export function deadlineStagesStartedBy(status: ComplaintStatus, previousStatus: ComplaintStatus | null): DeadlineStage[] {
  if (status === previousStatus) return [];
  return (Object.keys(DEADLINE_STAGE_RUNS) as DeadlineStage[]).filter((s) => DEADLINE_STAGE_RUNS[s].startsIn.includes(status));
}

/** Whether a stage still runs while the complaint is in `status`. */
export function deadlineStageActiveIn(stage: DeadlineStage, status: ComplaintStatus): boolean {
  return DEADLINE_STAGE_RUNS[stage].activeIn.includes(status);
}

/** Stage names for timelines and notices (Bahasa Indonesia). */
export const DEADLINE_STAGE_LABELS: Record<DeadlineStage, string> = {
  verification: 'verifikasi',
  acceptance: 'penerimaan oleh instansi',
  'first-response': 'tanggapan pertama',
  'follow-up': 'tindak lanjut',
};
