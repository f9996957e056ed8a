import { z } from 'zod';
import { DeadlineEscalation, DEADLINE_STAGE_LABELS } from './deadline-stages';
import { checkTransition, ComplaintStatus, DeadlineStage } from './lifecycle';

/**
 * Timeline entries that record something without changing the status (issue 10): a missed
 * deadline (`escalated`: the desk's scheduler applied `escalate`; the entry carries its
 * `escalation`) and the reporter's forward to Ombudsman RI (`forwarded-ombudsman`). They are
 * rows of the complaint's history like any status, with the status unchanged, so timelines,
 * sequences and the read models' "keep the highest" rule work unchanged.
 */
export const TimelineEvent = z.enum(['escalated', 'forwarded-ombudsman']);
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** What the complaint shows once forwarded (status page, timelines, the desk). */
export const OMBUDSMAN_FORWARDED_LABEL = 'Diteruskan ke Ombudsman RI';

export const TIMELINE_EVENT_LABELS: Record<TimelineEvent, string> = {
  escalated: 'Tenggat terlewati, dieskalasi',
  'forwarded-ombudsman': OMBUDSMAN_FORWARDED_LABEL,
};

/** The stage whose deadline was missed, in words (timelines, the Ombudsman's e-mail). */
export const MISSED_DEADLINE_LABELS: Record<DeadlineStage, string> = DEADLINE_STAGE_LABELS;

/** A missed deadline, as the `escalate` action records it: the one shape, from deadline-stages.ts. */
export const Escalation = DeadlineEscalation;
export type Escalation = DeadlineEscalation;

/**
 * A follow-up not done in time is what Ombudsman RI takes (maladministration: "tidak
 * memberikan pelayanan" / "penundaan berlarut", UU 37/2008 art. 1(3)); a missed
 * verification or acceptance is the gateway's own business and offers nothing.
 */
export const OMBUDSMAN_STAGES: readonly DeadlineStage[] = ['first-response', 'follow-up'];

/** Why a reporter may forward: the follow-up is overdue, or it was closed while they objected. */
export const OmbudsmanReason = z.enum(['follow-up-overdue', 'closed-while-objecting']);
export type OmbudsmanReason = z.infer<typeof OmbudsmanReason>;

/** One step of a complaint's history, as far as the Ombudsman eligibility needs it. */
export interface OmbudsmanHistoryStep {
  status: ComplaintStatus;
  event?: TimelineEvent | null;
  escalation?: Escalation | null;
}

/** A history step that kept the status (a missed deadline's escalation, the Ombudsman forward). */
export function isTimelineEvent(h: { event?: TimelineEvent | null; escalation?: Escalation | null }): boolean {
  return !!h.event || !!h.escalation;
}

/** What a timeline step is, as a timeline event (undefined: a status change). */
export function timelineEventOf(h: { event?: TimelineEvent | null; escalation?: Escalation | null }): TimelineEvent | undefined {
  return h.event ?? (h.escalation ? 'escalated' : undefined);
}

export type OmbudsmanEligibility = { ok: true; reason: OmbudsmanReason } | { ok: false; reason: string };

/**
 * Whether the reporter may forward the complaint to Ombudsman RI now, from its record: a
 * follow-up deadline was missed (an `escalated` entry of stage first-response or follow-up)
 * or it was closed while the reporter objected (a `reopened` with no `responded` after it).
 * Refusals are in Bahasa Indonesia, for the reporter.
 */
export function ombudsmanEligibility(status: ComplaintStatus, history: readonly OmbudsmanHistoryStep[]): OmbudsmanEligibility {
  const allowed = checkTransition('forward-ombudsman', status, { kind: 'reporter' });
  if (!allowed.ok) return { ok: false, reason: allowed.reason };
  if (history.some((h) => h.event === 'forwarded-ombudsman')) return { ok: false, reason: 'Laporan ini sudah diteruskan ke Ombudsman RI' };
  if (history.some((h) => h.escalation && OMBUDSMAN_STAGES.includes(h.escalation.stage))) return { ok: true, reason: 'follow-up-overdue' };
  if (status === 'closed' && isClosedWhileObjecting(history)) return { ok: true, reason: 'closed-while-objecting' };
  if (status === 'closed') return { ok: false, reason: 'Laporan ditutup tanpa keberatan Anda; penerusan ke Ombudsman RI hanya untuk laporan yang ditutup saat Anda masih keberatan' };
  return { ok: false, reason: 'Laporan belum melewati batas waktu tindak lanjut; penerusan ke Ombudsman RI dapat dilakukan bila tindak lanjut terlambat' };
}

/** The last status steps (timeline events aside): `reopened`, then `closed` with no `responded` in between. */
export function isClosedWhileObjecting(history: readonly OmbudsmanHistoryStep[]): boolean {
  const statuses = history.filter((h) => !isTimelineEvent(h)).map((h) => h.status);
  const lastResponded = statuses.lastIndexOf('responded');
  const lastReopened = statuses.lastIndexOf('reopened');
  return statuses[statuses.length - 1] === 'closed' && lastReopened > lastResponded;
}
