import { z } from 'zod';
import { Channel } from '../common.schema';
import { defineEvent } from '../envelope';
import { CitizenTimelineEntry } from '../http/complaints-api.schema';
import { Assignment } from '../routing-decision.schema';
import { ComplaintStatus } from '../lifecycle';
import { Topics } from '../topics';

/**
 * The router's answer to a citizen's command about one complaint, for the notifier to
 * render and send back: a status query (CEK), or a reporter's action (KEBERATAN, SELESAI)
 * that could not be applied. An applied action gets no reply of its own: the status
 * change it causes is the answer.
 */
export const StatusReplyPayload = z.object({
  channel: Channel,
  senderId: z.string(),
  /** The command's channel message id: the notifier sends one reply per command. */
  inReplyTo: z.string(),
  locale: z.string(),
  query: z.string(),
  command: z.enum(['status', 'object', 'confirm', 'ombudsman']).default('status'),
  result: z.discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('found'),
      trackingId: z.string(),
      status: ComplaintStatus,
      assignment: Assignment.nullable(),
      updatedAt: z.string().datetime({ offset: true }),
      /** The latest step as the reporter sees it (its message: the question or the response). */
      latest: CitizenTimelineEntry.optional(),
      /** The body's latest response (tindak lanjut), when there is one: CEK shows its start. */
      response: z.string().optional(),
    }),
    /** The sender's own complaint, in a status that does not allow the action now (e.g. KEBERATAN before the body responded). */
    z.object({
      outcome: z.literal('not_allowed'),
      trackingId: z.string(),
      status: ComplaintStatus,
      /** Why, when the status alone does not say it (OMBUDSMAN: not overdue, closed without objection), in Bahasa Indonesia. */
      reason: z.string().max(300).optional(),
    }),
    /**
     * `mistyped`: the check character is wrong, so no other complaint's status is shown.
     * `not_found` also answers an action on someone else's complaint: the sender learns nothing about it.
     */
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
