import { z } from 'zod';
import { Channel } from '../common.schema';
import { defineEvent } from '../envelope';
import { Assignment } from '../routing-decision.schema';
import { ComplaintStatus } from '../lifecycle';
import { Topics } from '../topics';

/** The router's answer to a status command, for the notifier to render and send back. */
export const StatusReplyPayload = z.object({
  channel: Channel,
  senderId: z.string(),
  /** The command's channel message id: the notifier sends one reply per command. */
  inReplyTo: z.string(),
  locale: z.string(),
  query: z.string(),
  result: z.discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('found'),
      trackingId: z.string(),
      status: ComplaintStatus,
      assignment: Assignment.nullable(),
      updatedAt: z.string().datetime({ offset: true }),
    }),
    /** `mistyped`: the check character is wrong, so no other complaint's status is shown. */
    z.object({ outcome: z.enum(['not_found', 'mistyped', 'malformed', 'missing']) }),
  ]),
});
export type StatusReplyPayload = z.infer<typeof StatusReplyPayload>;

export const StatusReply = defineEvent({
  type: 'complaint.status-reply',
  schemaVersion: 1,
  topic: Topics.statusReply,
  payload: StatusReplyPayload,
  key: (p) => `${p.channel}:${p.senderId}`,
});
