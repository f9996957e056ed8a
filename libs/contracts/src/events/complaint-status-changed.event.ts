import { z } from 'zod';
import { Channel, ReplyAddress } from '../common.schema';
import { defineEvent } from '../envelope';
import { Assignment } from '../routing-decision.schema';
import { ComplaintStatus } from '../status';
import { Topics } from '../topics';

/**
 * A complaint moved to a new status. Carries what the notifier needs to tell the
 * complainant on the channel they used, so the notifier never reads the router's tables.
 */
export const ComplaintStatusChangedPayload = z.object({
  trackingId: z.string(),
  status: ComplaintStatus,
  previousStatus: ComplaintStatus.nullable(),
  /** Position in the complaint's history (1 = first status); with trackingId, the notifier's dedupe key. */
  sequence: z.number().int().positive(),
  changedAt: z.string().datetime({ offset: true }),
  channel: Channel,
  senderId: z.string(),
  replyTo: z.array(ReplyAddress),
  locale: z.string(),
  assignment: Assignment.nullable(),
  note: z.string().optional(),
});
export type ComplaintStatusChangedPayload = z.infer<typeof ComplaintStatusChangedPayload>;

export const ComplaintStatusChanged = defineEvent({
  type: 'complaint.status-changed',
  schemaVersion: 1,
  topic: Topics.complaintStatusChanged,
  payload: ComplaintStatusChangedPayload,
  key: (p) => p.trackingId,
});
