import { z } from 'zod';
import { Channel } from '../common.schema';
import { ComplaintAction, ComplaintStatus, DeadlineStage, OfficerRole } from '../lifecycle';
import { BodyKind } from '../routing-decision.schema';
import { SubmissionType } from '../submission-type';
import { AgencyComplaintView, ReporterIdentity } from './agency-api.schema';

/**
 * The officer API (`/desk/v1`, apps/desk): what an agency's own system and the console
 * exchange with the desk. Complaint details are the router's AgencyComplaintView plus the
 * actions the caller may take now. Never the identity of an Anonim reporter.
 */
const ComplaintActionName = z.enum(ComplaintAction.options.map((o) => o.shape.action.value) as [ComplaintAction['action'], ...ComplaintAction['action'][]]);

export const DeskComplaintSummary = z.object({
  trackingId: z.string(),
  status: ComplaintStatus,
  statusLabel: z.string(),
  statusAt: z.string().datetime({ offset: true }).nullable(),
  submissionType: SubmissionType.nullable(),
  channel: Channel.nullable(),
  body: z.object({ kind: BodyKind, code: z.string().nullable(), name: z.string().nullable() }).nullable(),
  unit: z.string().nullable(),
  anonymous: z.boolean(),
  confidential: z.boolean(),
  excerpt: z.string().nullable(),
  receivedAt: z.string().datetime({ offset: true }).nullable(),
  registeredAt: z.string().datetime({ offset: true }).nullable(),
  version: z.number().int().nonnegative(),
  /** Routing's suggestions (units for a body's queue, bodies for the triage queue), best first. */
  suggestions: z.array(z.object({ code: z.string().optional(), name: z.string().optional(), unit: z.string().optional(), confidence: z.number() })),
  /** Stages whose deadline passed (escalated) and that still run: the queue's "Terlambat" flag. */
  overdue: z.array(DeadlineStage),
  /** The nearest deadline of a stage still open, when any. */
  dueAt: z.string().datetime({ offset: true }).nullable(),
  /** In a fast lane (docs/fast-lanes.md): priority complaints come first in every queue. */
  priority: z.boolean(),
  fastLane: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  /** The caller's body holds only a fast lane's read-only copy (coordinating body): it may read, never act. */
  copy: z.boolean(),
});
export type DeskComplaintSummary = z.infer<typeof DeskComplaintSummary>;

export const DeskComplaintPage = z.object({
  items: z.array(DeskComplaintSummary),
  page: z.number().int().positive(),
  pageSize: z.number().int().positive(),
  total: z.number().int().nonnegative(),
});
export type DeskComplaintPage = z.infer<typeof DeskComplaintPage>;

/** `GET /desk/v1/complaints` filters. */
export const DeskComplaintQuery = z.object({
  status: z.union([ComplaintStatus, z.array(ComplaintStatus)]).optional(),
  unit: z.string().trim().min(1).max(300).optional(),
  channel: Channel.optional(),
  type: SubmissionType.optional(),
  /** National admin only: one body's complaints (region code or agency slug), or `triage`. */
  body: z.string().trim().min(1).max(80).optional(),
  /** `true`: only complaints with an overdue stage; `false`: only those without. */
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  page: z.coerce.number().int().positive().max(100000).default(1),
  pageSize: z.coerce.number().int().positive().max(200).default(50),
});
export type DeskComplaintQuery = z.infer<typeof DeskComplaintQuery>;

/** A stage's stored deadline as officials see it (detail page and API). */
export const DeskDeadline = z.object({
  stage: DeadlineStage,
  dueAt: z.string().datetime({ offset: true }),
  state: z.enum(['open', 'breached']),
  /** `default`, `type:<submissionType>` or `lane:<id>`: which rule of the policy applied. */
  rule: z.string(),
  escalatedTo: z.string().nullable(),
});
export type DeskDeadline = z.infer<typeof DeskDeadline>;

export const DeskComplaintDetail = AgencyComplaintView.extend({
  /** The stages' deadlines still running (in the body's zone). */
  deadlines: z.array(DeskDeadline).optional(),
  /** What the caller may do now (the lifecycle table for their role; the server checks again). */
  availableActions: z.array(ComplaintActionName),
  /** The fast lane the complaint is in, if any (priority). */
  fastLane: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable().optional(),
  /** A coordinating body's read-only copy: no actions, never the reporter's identity. */
  copy: z.boolean().optional(),
});
export type DeskComplaintDetail = z.infer<typeof DeskComplaintDetail>;

/** The national admin's explicit, reasoned, audit-logged reveal of an Anonim reporter. */
export const RevealReporterRequest = z.object({ reason: z.string().trim().min(10).max(1000) });
export type RevealReporterRequest = z.infer<typeof RevealReporterRequest>;
export const RevealReporterResponse = z.object({ trackingId: z.string(), reporter: ReporterIdentity.nullable() });

const Email = z.string().trim().toLowerCase().email().max(254);

export const OfficerView = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: OfficerRole,
  bodyCode: z.string().nullable(),
  bodyName: z.string().nullable(),
  unit: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().datetime({ offset: true }).nullable(),
  disabledAt: z.string().datetime({ offset: true }).nullable(),
  createdAt: z.string().datetime({ offset: true }),
  lastLoginAt: z.string().datetime({ offset: true }).nullable(),
});
export type OfficerView = z.infer<typeof OfficerView>;

export const CreateOfficerRequest = z.object({
  email: Email,
  displayName: z.string().trim().min(1).max(200).optional(),
  role: OfficerRole,
  /** Region code or agency slug; a liaison's own body when omitted. Not for the national admin. */
  body: z.string().trim().min(1).max(80).optional(),
  unit: z.string().trim().min(1).max(300).optional(),
});
export type CreateOfficerRequest = z.infer<typeof CreateOfficerRequest>;
/** The one-time password is shown once; it must be changed at first login. */
export const CreateOfficerResponse = z.object({ officer: OfficerView, oneTimePassword: z.string() });
export type CreateOfficerResponse = z.infer<typeof CreateOfficerResponse>;

export const ApiTokenView = z.object({
  id: z.string(),
  bodyCode: z.string(),
  name: z.string(),
  prefix: z.string(),
  readOnly: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string().datetime({ offset: true }),
  lastUsedAt: z.string().datetime({ offset: true }).nullable(),
  revokedAt: z.string().datetime({ offset: true }).nullable(),
});
export type ApiTokenView = z.infer<typeof ApiTokenView>;

export const CreateApiTokenRequest = z.object({
  name: z.string().trim().min(1).max(200),
  readOnly: z.boolean().default(false),
  /** The national admin names the body; a liaison's token is always for their own body. */
  body: z.string().trim().min(1).max(80).optional(),
});
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequest>;
/** The token itself is shown once (only its SHA-256 is stored). */
export const CreateApiTokenResponse = z.object({ apiToken: ApiTokenView, token: z.string() });
export type CreateApiTokenResponse = z.infer<typeof CreateApiTokenResponse>;

export const WebhookSettingsView = z.object({
  bodyCode: z.string(),
  url: z.string().nullable(),
  keyVersion: z.number().int().nonnegative(),
  /** Whether AGENCY_WEBHOOK_SECRET is set (without it no webhook is sent). */
  enabled: z.boolean(),
  updatedAt: z.string().datetime({ offset: true }).nullable(),
});
export type WebhookSettingsView = z.infer<typeof WebhookSettingsView>;
export const SetWebhookRequest = z.object({ url: z.string().trim().url().max(2000).refine((u) => /^https?:\/\//.test(u), 'http(s) URL') });
export type SetWebhookRequest = z.infer<typeof SetWebhookRequest>;
/**
 * A body's working week (docs/deadlines.md): Monday–Friday, or a six-day week (Monday–Saturday)
 * that a body declares. Deadlines of stages that start afterwards count its Saturdays.
 */
export const WorkingWeekView = z.object({
  bodyCode: z.string(),
  sixDayWeek: z.boolean(),
  updatedAt: z.string().datetime({ offset: true }).nullable(),
});
export type WorkingWeekView = z.infer<typeof WorkingWeekView>;
export const SetWorkingWeekRequest = z.object({ sixDayWeek: z.boolean() }).strict();
export type SetWorkingWeekRequest = z.infer<typeof SetWorkingWeekRequest>;
/** The signing key is shown once, when the webhook is set or the key rotated. */
export const WebhookKeyResponse = z.object({ settings: WebhookSettingsView, key: z.string() });
export type WebhookKeyResponse = z.infer<typeof WebhookKeyResponse>;
