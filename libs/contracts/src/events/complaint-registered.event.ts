import { z } from 'zod';
import { Channel } from '../common.schema';
import { defineEvent } from '../envelope';
import { RoutingDecision } from '../routing-decision.schema';
import { SubmissionType } from '../submission-type';
import { Topics } from '../topics';

/** The router registered a complaint and decided who is responsible (with its evidence). */
export const ComplaintRegisteredPayload = z.object({
  trackingId: z.string(),
  channel: Channel,
  senderId: z.string(),
  registeredAt: z.string().datetime({ offset: true }),
  decision: RoutingDecision,
  anonymous: z.boolean(),
  confidential: z.boolean(),
  /** When the citizen sent it (the channel's time); `registeredAt` is when the router stored it. */
  receivedAt: z.string().datetime({ offset: true }).optional(),
  /** The start of the complaint text, for officials' queues (the desk's read model). Never the reporter's identity. */
  excerpt: z.string().max(300).optional(),
  submissionType: SubmissionType.optional(),
});
export type ComplaintRegisteredPayload = z.infer<typeof ComplaintRegisteredPayload>;

export const ComplaintRegistered = defineEvent({
  type: 'complaint.registered',
  schemaVersion: 1,
  topic: Topics.complaintRegistered,
  payload: ComplaintRegisteredPayload,
  key: (p) => p.trackingId,
});

