import { z } from 'zod';
import { Channel, RegionCode } from '../common.schema';
import { defineEvent } from '../envelope';
import { ReporterIdentity, TimelineEntry } from '../http/agency-api.schema';
import { ComplaintStatus, DeadlineStage } from '../lifecycle';
import { OmbudsmanReason } from '../ombudsman';
import { BodyKind } from '../routing-decision.schema';
import { SubmissionType } from '../submission-type';
import { Topics } from '../topics';

/**
 * The reporter forwarded a complaint to Ombudsman RI (issue 10, docs/ombudsman.md): what an
 * Ombudsman intake needs to open a case without asking the gateway again. The router (the
 * record's owner) publishes it once per complaint; the notifier delivers it to the
 * configured endpoint (signed webhook, OMBUDSMAN_WEBHOOK_URL) and/or e-mail address
 * (OMBUDSMAN_EMAIL).
 *
 * Identity only as the reporter allowed: an Anonim complaint carries none (the same rule as
 * for agencies); a Rahasia one carries it marked `confidential` (the Ombudsman must keep the
 * reporter's identity secret, UU 37/2008 art. 24(2) / Peraturan Ombudsman 26/2017).
 */
export const ComplaintEscalatedPayload = z.object({
  /** Stable per complaint (`<trackingId>:ombudsman`): the receiver drops a repeat by it. */
  escalationId: z.string().min(1).max(100),
  trackingId: z.string(),
  forwardedAt: z.string().datetime({ offset: true }),
  /** Why the reporter could forward it. */
  reason: OmbudsmanReason,
  /** What the reporter added with the command (OMBUDSMAN <id> <catatan>), if anything. */
  reporterNote: z.string().max(2000).optional(),
  complaint: z.object({
    /** The complaint as first written. */
    text: z.string(),
    /** Every message, oldest first (the complaint, follow-ups, answers to officials' questions). */
    messages: z.array(z.object({ at: z.string().datetime({ offset: true }), channel: Channel, text: z.string() })),
    channel: Channel,
    receivedAt: z.string().datetime({ offset: true }),
    registeredAt: z.string().datetime({ offset: true }),
    submissionType: SubmissionType,
    status: ComplaintStatus,
    statusLabel: z.string(),
    category: z.string().nullable(),
    /** Kemendagri region code the complaint is about (and its name when known). */
    region: z.object({ code: RegionCode, name: z.string().optional() }).nullable(),
  }),
  /** The body (and unit) responsible when it was forwarded; null while with the national triage. */
  agency: z.object({ kind: BodyKind, code: z.string(), name: z.string(), unit: z.string().nullable() }).nullable(),
  /** The whole history, as officials see it. */
  timeline: z.array(TimelineEntry),
  /** The deadlines the handling missed (from the `escalated` entries), oldest first. */
  missedDeadlines: z.array(z.object({ stage: DeadlineStage, dueAt: z.string().datetime({ offset: true }), escalatedAt: z.string().datetime({ offset: true }), escalatedTo: z.string() })),
  reporter: z.object({
    /** `anonymous`: no identity at all; `confidential`: identity included, to be kept secret; `open`: neither. */
    disclosure: z.enum(['anonymous', 'confidential', 'open']),
    identity: ReporterIdentity.nullable(),
  }),
});
export type ComplaintEscalatedPayload = z.infer<typeof ComplaintEscalatedPayload>;

export const ComplaintEscalated = defineEvent({
  type: 'complaint.escalated',
  schemaVersion: 1,
  topic: Topics.complaintEscalated,
  payload: ComplaintEscalatedPayload,
  key: (p) => p.trackingId,
});
