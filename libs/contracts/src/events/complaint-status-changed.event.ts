import { z } from 'zod';
import { Channel, ReplyAddress } from '../common.schema';
import { defineEvent } from '../envelope';
import { DeadlineEscalation } from '../deadline-stages';
import { ArchiveReason, ClosedBy, ComplaintStatus, OfficerRole } from '../lifecycle';
import { TimelineEvent } from '../ombudsman';
import { Assignment } from '../routing-decision.schema';
import { SubmissionType } from '../submission-type';
import { Topics } from '../topics';

/**
 * A complaint moved to a new status. Carries what the notifier needs to tell the
 * complainant on the channel they used, so the notifier never reads the router's tables,
 * and what the desk needs for its read model (status, body, unit, type).
 */
export const ComplaintStatusChangedPayload = z.object({
  trackingId: z.string(),
  status: ComplaintStatus,
  previousStatus: ComplaintStatus.nullable(),
  /** Position in the complaint's history (1 = first status); with trackingId, the dedupe key of every consumer. */
  sequence: z.number().int().positive(),
  changedAt: z.string().datetime({ offset: true }),
  channel: Channel,
  senderId: z.string(),
  replyTo: z.array(ReplyAddress),
  locale: z.string(),
  assignment: Assignment.nullable(),
  /** For officials' timelines (a return or forward reason, an admin's note); never shown to the reporter. */
  note: z.string().optional(),
  /**
   * What the reporter is told with this change, in the body's words: the response (tindak
   * lanjut) for `responded`, the officer's question for `waiting_info`. Never an official's name.
   */
  reporterMessage: z.string().max(5000).optional(),
  /** Who made the change (never a person's name or id: this event reaches the reporter's channel). */
  actor: z
    .object({ kind: z.enum(['officer', 'reporter', 'system']), role: OfficerRole.optional() })
    .optional(),
  closedBy: ClosedBy.optional(),
  archiveReason: ArchiveReason.optional(),
  /** For `merged`: the complaint this one continues in. */
  mergedInto: z.string().optional(),
  submissionType: SubmissionType.optional(),
  /** The record's version after this change (AgencyComplaintView.version): read models keep the highest. */
  version: z.number().int().nonnegative().optional(),
  anonymous: z.boolean().optional(),
  confidential: z.boolean().optional(),
  /**
   * A timeline entry that keeps the status (`status` equals `previousStatus`): the forward to
   * Ombudsman RI (`event`), or a missed deadline's escalation (action `escalate`). Consumers
   * must not take it for the complaint entering its status again; the reporter is not told of
   * an escalation (only of the Ombudsman offer, `ombudsmanOffer`).
   */
  event: TimelineEvent.optional(),
  escalation: DeadlineEscalation.optional(),
  /** With this change the reporter may forward the complaint to Ombudsman RI: the notifier sends them the offer once. */
  ombudsmanOffer: z.boolean().optional(),
});
export type ComplaintStatusChangedPayload = z.infer<typeof ComplaintStatusChangedPayload>;

export const ComplaintStatusChanged = defineEvent({
  type: 'complaint.status-changed',
  schemaVersion: 1,
  topic: Topics.complaintStatusChanged,
  payload: ComplaintStatusChangedPayload,
  key: (p) => p.trackingId,
});
