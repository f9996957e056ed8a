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
 */
export const CreateComplaintRequest = z.object({
  text: z
    .string({ error: 'wajib diisi (text is required)' })
    .overwrite(normalizeText)
    .trim()
    .min(10, 'minimal 10 karakter (at least 10 characters)')
    .max(MAX_COMPLAINT_TEXT_CHARS, `maksimal ${MAX_COMPLAINT_TEXT_CHARS} karakter`)
    .refine(isMeaningfulText, 'tuliskan laporan dengan kata-kata, bukan hanya emoji, simbol atau angka (text must contain words)'),
  regionCode: RegionCode.optional(),
  location: GeoPoint.optional(),
  reporter: z
    .object({
      name: z.string().overwrite(normalizeText).trim().min(1).max(200).optional(),
      email: z.string().trim().email('alamat e-mail tidak valid (invalid e-mail address)').optional(),
      phone: z
        .string()
        .trim()
        .regex(/^\+?[0-9 ()-]{6,20}$/, 'nomor telepon tidak valid (invalid phone number)')
        // Spaces, dashes and brackets are dropped to make the SMS address: at least 6 digits must remain.
        .refine((phone) => phone.replace(/\D/g, '').length >= 6, 'nomor telepon tidak valid (invalid phone number)')
        .optional(),
    })
    .optional(),
  anonymous: z.boolean().default(false),
  confidential: z.boolean().default(false),
  category: z.string().overwrite(normalizeText).trim().max(100).optional(),
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
