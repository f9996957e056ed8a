import { z } from 'zod';
import { Channel } from '../common.schema';
import { defineEvent } from '../envelope';
import { ComplaintStatus } from '../lifecycle';
import { BodyKind } from '../routing-decision.schema';
import { SubmissionType } from '../submission-type';
import { Topics } from '../topics';

/**
 * Something the officials of a body must be told: a complaint was assigned to them (direct
 * delivery, within seconds), disposed to a unit, the reporter answered a question or
 * objected, a deadline is near or was missed, a fast-lane copy arrived. The desk (which
 * knows the officials and the body's webhook) publishes it; the notifier renders the
 * e-mails and posts the signed webhook. It never carries the reporter's identity.
 */
export const AgencyNoticeKind = z.enum(['assigned', 'disposed', 'info_provided', 'reopened', 'reminder', 'escalated', 'copy']);
export type AgencyNoticeKind = z.infer<typeof AgencyNoticeKind>;

export const AgencyNoticePayload = z.object({
  /** The notifier sends each notice once per recipient: e.g. `<trackingId>:<sequence>:assigned`. */
  noticeId: z.string().min(1).max(250),
  kind: AgencyNoticeKind,
  trackingId: z.string(),
  body: z.object({ kind: BodyKind, code: z.string(), name: z.string() }),
  /** The unit the notice is about (disposed), when any. */
  unit: z.string().optional(),
  /** Officials' e-mail addresses (liaisons of the body, or the unit's officers). */
  recipients: z.array(z.object({ email: z.string().email(), name: z.string().max(200).optional() })),
  /** The body's own system, if it registered one: the notifier signs the JSON body with the body's webhook key of `keyVersion`. */
  webhook: z.object({ url: z.string().url().max(320), keyVersion: z.number().int().positive() }).optional(),
  complaint: z.object({
    status: ComplaintStatus,
    submissionType: SubmissionType.optional(),
    channel: Channel,
    registeredAt: z.string().datetime({ offset: true }),
    excerpt: z.string().max(300),
    confidential: z.boolean(),
    anonymous: z.boolean(),
    /** Level 2's unit suggestion, for the liaison's disposition. */
    unitSuggestion: z.object({ unit: z.string(), confidence: z.number() }).optional(),
    /** The routing evidence, in words (places matched, rules fired). */
    evidence: z.array(z.string()).max(20).default([]),
    /** The deadline of the current stage, when the desk knows it. */
    dueAt: z.string().datetime({ offset: true }).optional(),
    priority: z.boolean().optional(),
  }),
  /** Where the official opens it in the console. */
  consoleUrl: z.string().url().optional(),
  /** Reminder/escalation text, copy reason… in Bahasa Indonesia. */
  message: z.string().max(2000).optional(),
});
export type AgencyNoticePayload = z.infer<typeof AgencyNoticePayload>;

export const AgencyNotice = defineEvent({
  type: 'agency.notice',
  schemaVersion: 1,
  topic: Topics.agencyNotice,
  payload: AgencyNoticePayload,
  key: (p) => p.trackingId,
});
