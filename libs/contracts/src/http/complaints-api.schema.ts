import { z } from 'zod';
import { Channel, GeoPoint, RegionCode } from '../common.schema';
import { Assignment } from '../routing-decision.schema';
import { ArchiveReason, ClosedBy, ComplaintStatus } from '../lifecycle';
import { TimelineEvent } from '../ombudsman';
import { isMeaningfulText, normalizeText } from '../text';

/** Largest accepted JSON body of POST /api/v1/complaints; larger is 413. */
export const MAX_COMPLAINT_BODY_BYTES = 64 * 1024;
export const MAX_COMPLAINT_TEXT_CHARS = 5000;
/** Largest multipart POST /api/v1/complaints (or web form post) with its files; larger is 413. Each file: ATTACHMENT_MAX_BYTES. */
export const MAX_UPLOAD_REQUEST_BYTES = 25 * 1024 * 1024;

/**
 * POST /api/v1/complaints — the web form and the mobile app. Free text is normalized
 * first (`normalizeText`: NFC, control characters such as NUL removed, unpaired surrogates
 * replaced), so what is stored is what the limits were checked on.
 *
 * Messages are keys of the validation catalogue (libs/i18n `validationMessages`), not text:
 * the edge (web-intake, Open311) says them in the request's language with `validationFields`.
 * Whether a well-formed `regionCode` exists is checked against the reference data by the
 * intake (libs/routing/data/regions), which this package does not load.
 */
export const CreateComplaintRequest = z.object({
  text: z
    .string({ error: (issue) => (issue.input === undefined ? 'text.required' : 'text.notText') })
    .overwrite(normalizeText)
    .trim()
    .min(10, { error: 'text.tooShort' })
    .max(MAX_COMPLAINT_TEXT_CHARS, { error: 'text.tooLong' })
    .refine(isMeaningfulText, { error: 'text.noWords' }),
  regionCode: RegionCode.optional(),
  location: GeoPoint.optional(),
  reporter: z
    .object({
      name: z.string().overwrite(normalizeText).trim().min(1, { error: 'reporter.name.empty' }).max(200, { error: 'reporter.name.tooLong' }).optional(),
      email: z.string().trim().email({ error: 'reporter.email.invalid' }).optional(),
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9 ()-]{6,20}$/, { error: 'reporter.phone.invalid' })
        // Spaces, dashes and brackets are dropped to make the SMS address: at least 6 digits must remain.
        .refine((phone) => phone.replace(/\D/g, '').length >= 6, { error: 'reporter.phone.invalid' })
        .optional(),
    })
    .optional(),
  anonymous: z.boolean().default(false),
  confidential: z.boolean().default(false),
  category: z.string().overwrite(normalizeText).trim().max(100, { error: 'category.tooLong' }).optional(),
});
export type CreateComplaintRequest = z.infer<typeof CreateComplaintRequest>;

export const CreateComplaintResponse = z.object({
  trackingId: z.string(),
  status: ComplaintStatus,
});
export type CreateComplaintResponse = z.infer<typeof CreateComplaintResponse>;

/**
 * One step of a complaint as its reporter sees it: what happened, when (in the handling
 * body's time zone), what the body told them, and who handles it now. Never an official's
 * name or the reporter's identity: this is public to whoever holds the tracking id.
 */
export const CitizenTimelineEntry = z.object({
  status: ComplaintStatus,
  label: z.string(),
  at: z.string().datetime({ offset: true }),
  /** What the body told the reporter at this step (its response, its question). */
  message: z.string().optional(),
  /** The body (and unit) the complaint was with after this step, by name. */
  handledBy: z.string().optional(),
  /** Closed or archived by the reporter, an admin or the system. */
  closedBy: ClosedBy.optional(),
  archiveReason: ArchiveReason.optional(),
  /** For `merged`: the tracking id the complaint continues under. */
  mergedInto: z.string().optional(),
  /** A step that kept the status: `forwarded-ombudsman` ("Diteruskan ke Ombudsman RI"), `escalated`. */
  event: TimelineEvent.optional(),
});
export type CitizenTimelineEntry = z.infer<typeof CitizenTimelineEntry>;

/**
 * Channels whose tracking id is the reporter's key: a web or app reporter objects, confirms and
 * answers on the status page with it alone. Such ids are never listed publicly: Open311's
 * lists show those complaints only to a caller who already names their ids.
 */
export const REPORTER_KEY_CHANNELS: readonly Channel[] = ['web', 'mobile'];

/** GET /api/v1/complaints/{trackingId} */
export const ComplaintView = z.object({
  trackingId: z.string(),
  status: ComplaintStatus,
  statusLabel: z.string(),
  /** Where the complaint came in: the status page offers web forms only for web/mobile complaints (the others answer on their channel). */
  channel: Channel,
  assignment: Assignment.nullable(),
  history: z.array(CitizenTimelineEntry),
  /** When the reporter forwarded it to Ombudsman RI; absent when not. */
  forwardedToOmbudsmanAt: z.string().datetime({ offset: true }).optional(),
  /** The reporter may forward it to Ombudsman RI now (the status page shows the button). */
  ombudsmanAvailable: z.boolean().optional(),
  registeredAt: z.string().datetime({ offset: true }),
  /** The zone times are given in (the handling body's; WIB for national agencies and triage). */
  timeZone: z.object({ name: z.string(), abbreviation: z.enum(['WIB', 'WITA', 'WIT']) }),
  mergedInto: z.string().nullable(),
  /**
   * Rahasia. The holder of the tracking id (the reporter) still sees the status page; public
   * surfaces (Open311) read the router's public query instead, which never selects a Rahasia
   * complaint. Absent from an older router: treat it as Rahasia.
   */
  confidential: z.boolean().optional(),
});
export type ComplaintView = z.infer<typeof ComplaintView>;

/** Every 4xx/5xx body: a reason a person can read, and per-field messages for 400. */
export const ApiError = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.array(z.string())).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** A Kemendagri region as the place picker and API clients see it. */
export const RegionSummary = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'regency', 'district', 'village']),
});
export type RegionSummary = z.infer<typeof RegionSummary>;

/** GET /api/v1/regions (the provinces) and GET /api/v1/regions/{code} (a region and the regions directly below it). */
export const RegionListing = z.object({
  region: RegionSummary.nullable(),
  children: z.array(RegionSummary),
});
export type RegionListing = z.infer<typeof RegionListing>;
