import { z } from 'zod';
import { Attachment, Channel, GeoPoint, RegionCode } from '../common.schema';
import { DeadlineEscalation, OverdueStage } from '../deadline-stages';
import { Actor, ArchiveReason, ClosedBy, ComplaintAction, ComplaintStatus } from '../lifecycle';
import { TimelineEvent } from '../ombudsman';
import { Assignment, RoutingDecision } from '../routing-decision.schema';
import { SubmissionType } from '../submission-type';

/**
 * The agency-facing view of one complaint: what the router (the record's owner) hands to
 * the desk, and the desk to officials. The reporter's identity is part of it only when the
 * complaint is not Anonim: for an Anonim complaint the router leaves `reporter` null, so
 * name and contact never leave the record's owner towards any agency-facing surface.
 */
export const ReporterIdentity = z.object({
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  /** The channel address the complaint came from (phone number, Telegram chat, X account). */
  channelAddress: z.string().optional(),
});
export type ReporterIdentity = z.infer<typeof ReporterIdentity>;

export const TimelineEntry = z.object({
  sequence: z.number().int().positive(),
  status: ComplaintStatus,
  label: z.string(),
  at: z.string().datetime({ offset: true }),
  /** Officials' note (reason of a return/forward, admin note). */
  note: z.string().optional(),
  /** What the reporter was told (the response, the question). */
  reporterMessage: z.string().optional(),
  actor: z.object({ kind: z.enum(['officer', 'reporter', 'system']), role: z.string().optional(), displayName: z.string().optional(), bodyCode: z.string().optional() }).optional(),
  closedBy: ClosedBy.optional(),
  archiveReason: ArchiveReason.optional(),
  mergedInto: z.string().optional(),
  /** Who the complaint was with after this step (the body and unit it was assigned, forwarded or disposed to). */
  assignment: Assignment.nullable().optional(),
  /** A step that kept the status: a missed deadline (`escalated`, with `escalation`: who it was escalated to) or the forward to Ombudsman RI. */
  event: TimelineEvent.optional(),
  escalation: DeadlineEscalation.optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const AgencyComplaintView = z.object({
  trackingId: z.string(),
  status: ComplaintStatus,
  statusLabel: z.string(),
  /** Increases with every change of the record (status, body, unit, type): read models keep the highest. */
  version: z.number().int().nonnegative(),
  submissionType: SubmissionType,
  channel: Channel,
  receivedAt: z.string().datetime({ offset: true }),
  registeredAt: z.string().datetime({ offset: true }),
  updatedAt: z.string().datetime({ offset: true }),
  anonymous: z.boolean(),
  confidential: z.boolean(),
  category: z.string().nullable(),
  /** Every message of the complaint, oldest first (the first is the complaint itself; later ones are follow-ups and answers). */
  messages: z.array(z.object({ at: z.string().datetime({ offset: true }), channel: Channel, text: z.string(), attachments: z.array(Attachment) })),
  location: z.object({ regionCode: RegionCode.nullable(), point: GeoPoint.nullable() }),
  assignment: Assignment.nullable(),
  /** The routing explanation: evidence, alternatives, the unit suggestion. */
  decision: RoutingDecision.nullable(),
  timeline: z.array(TimelineEntry),
  /** Null for Anonim complaints (and when nothing was given). */
  reporter: ReporterIdentity.nullable(),
  mergedInto: z.string().nullable(),
  /** When the reporter forwarded it to Ombudsman RI (issue 10); null or absent when not. */
  forwardedToOmbudsmanAt: z.string().datetime({ offset: true }).nullable().optional(),
  /** Stages whose deadline passed and that still run (cleared when the stage ends). */
  overdue: z.array(OverdueStage).optional(),
});
export type AgencyComplaintView = z.infer<typeof AgencyComplaintView>;

/**
 * `POST /internal/v1/complaints/{trackingId}/actions` on the router (internal network only):
 * the desk, having checked the actor's role and scope, asks the record's owner to apply an
 * action. Answers 200 with the AgencyComplaintView after the change, 404 for an unknown
 * complaint, 409 with a reason when the lifecycle does not allow it, 400 for a bad body.
 * `expectedVersion`, when given, makes a stale console form fail with 409 instead of
 * overwriting a colleague's change.
 */
export const ApplyActionRequest = z.object({
  action: ComplaintAction,
  actor: Actor,
  expectedVersion: z.number().int().nonnegative().optional(),
  /**
   * Makes a retried request (a timeout, a double click) apply once: a request whose key
   * this complaint has already applied answers 200 with the current view and changes
   * nothing. Scoped to the complaint; e.g. the console form's token or `<channel>:<message id>`.
   */
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type ApplyActionRequest = z.infer<typeof ApplyActionRequest>;
