import { z } from 'zod';
import { ComplaintStatus } from '../lifecycle';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) as web-intake serves it under
 * /open311/v2, and the router's public read-only query behind its request lists and reads.
 * Everything here is public: no shape carries the complaint text, a position or anything about
 * the reporter, and the router never answers with a Rahasia complaint.
 */

/** GeoReport v2's two states; a LAPOR! status is `closed` when terminal (closed, archived, merged). */
export const Open311State = z.enum(['open', 'closed']);
export type Open311State = z.infer<typeof Open311State>;

/** Most requests in one list answer: the spec's suggested cap (FixMyStreet's server: OPEN311_LIMIT, default 1000). */
export const OPEN311_MAX_REQUESTS = 1000;
/** The spec's date window of GET requests: the default (the most recent 90 days) and the widest range allowed. */
export const OPEN311_WINDOW_DAYS = 90;

/** `a,b,c` (the spec's comma-delimited lists), trimmed, deduplicated, empty items dropped. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))])
    .pipe(z.array(item).min(1).max(OPEN311_MAX_REQUESTS));

const ZonedDateTime = z.string().datetime({ offset: true });

/**
 * `GET /internal/v1/public/complaints` on the router (the record's owner): its public,
 * read-only query. Filters combine with AND; `from` and `to` (both inclusive) bound the
 * registration time; newest first. Without `ids`, web and app complaints are left out (their
 * tracking id is their reporter's key: REPORTER_KEY_CHANNELS). Query-string values: lists are
 * comma-separated.
 */
export const PublicComplaintQuery = z.object({
  /** Tracking ids (canonical form; a malformed one matches nothing). */
  ids: commaList(z.string().min(1).max(20)).optional(),
  /** Service codes (catalogue rule ids; see PublicComplaint.category); a code outside the catalogue matches nothing. */
  categories: commaList(z.string().min(1).max(100)).optional(),
  states: commaList(Open311State).optional(),
  from: ZonedDateTime.optional(),
  to: ZonedDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(OPEN311_MAX_REQUESTS).default(OPEN311_MAX_REQUESTS),
});
/** The parsed query (lists as arrays). */
export type PublicComplaintQuery = z.output<typeof PublicComplaintQuery>;
/** What a client puts in the query string. */
export type PublicComplaintQueryParams = z.input<typeof PublicComplaintQuery>;

/** One complaint as anyone may see it: its progress, never its text, position or reporter (Anonim or not). */
export const PublicComplaint = z.object({
  trackingId: z.string(),
  status: ComplaintStatus,
  statusLabel: z.string(),
  state: Open311State,
  /** Its service code: the catalogue category it was filed under, else the catalogue rule routing matched; never free text. */
  category: z.string().nullable(),
  /** The responsible body by name; null while unrouted or in national triage. */
  body: z.string().nullable(),
  /** The body's latest response to the reporter (a `responded` step), the agency's public answer. */
  response: z.string().nullable(),
  /** In the handling body's time zone (WIB for national agencies and triage), with its offset. */
  registeredAt: ZonedDateTime,
  /** The latest step of its timeline, same zone. */
  updatedAt: ZonedDateTime,
});
export type PublicComplaint = z.infer<typeof PublicComplaint>;

export const PublicComplaintList = z.object({ complaints: z.array(PublicComplaint) });
export type PublicComplaintList = z.infer<typeof PublicComplaintList>;

/** GET /open311/v2/discovery.{json,xml} */
export const Open311Discovery = z.object({
  changeset: ZonedDateTime,
  contact: z.string(),
  key_service: z.string(),
  max_requests: z.number().int().positive(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: ZonedDateTime,
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
});
export type Open311Discovery = z.infer<typeof Open311Discovery>;

/** One entry of GET /open311/v2/services.{json,xml}. */
export const Open311Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  /** true: GET services/{service_code} lists attributes the client may send as `attribute[code]`. */
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});
export type Open311Service = z.infer<typeof Open311Service>;

export const Open311Attribute = z.object({
  /** false: informational only, nothing to send. */
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: z.string(),
  order: z.number().int().positive(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});
export type Open311Attribute = z.infer<typeof Open311Attribute>;

/** GET /open311/v2/services/{service_code}.{json,xml} */
export const Open311ServiceDefinition = z.object({ service_code: z.string(), attributes: z.array(Open311Attribute) });
export type Open311ServiceDefinition = z.infer<typeof Open311ServiceDefinition>;

const FormValue = z.union([z.string(), z.array(z.string())]);

/**
 * POST /open311/v2/requests.{json,xml}, form-encoded (the spec's fields; a repeated field such
 * as FixMyStreet's several `media_url` arrives as a list). Only the first value of a field
 * counts; other fields (`device_id`, `account_id`, `address_id`, other `attribute[...]`) are
 * accepted and not used.
 */
export const Open311CreateForm = z
  .object({
    api_key: FormValue.describe('issued by the national administrator (OPEN311_API_KEYS)'),
    jurisdiction_id: FormValue.describe('optional; if sent, OPEN311_JURISDICTION_ID'),
    service_code: FormValue.describe('a service_code of GET services'),
    lat: FormValue,
    long: FormValue,
    address_string: FormValue.describe('added to the text as "Lokasi: ..."'),
    description: FormValue.describe('the complaint text, 10 to 5,000 characters'),
    email: FormValue,
    first_name: FormValue,
    last_name: FormValue,
    phone: FormValue,
    media_url: FormValue.describe('not fetched (a server-side request to any URL would be SSRF)'),
    'attribute[anonim]': FormValue.describe('true: Anonim (the reporter is not named to the agency)'),
    'attribute[rahasia]': FormValue.describe('true: Rahasia (never shown publicly)'),
    'attribute[client_request_id]': FormValue.describe("the client's own id: a retry with it registers once"),
  })
  .partial()
  .catchall(FormValue);
export type Open311CreateForm = z.infer<typeof Open311CreateForm>;

/** The answer to POST requests: the tracking id at once (so no token is needed). */
export const Open311CreatedRequest = z.object({ service_request_id: z.string(), service_notice: z.string() });
export type Open311CreatedRequest = z.infer<typeof Open311CreatedRequest>;

/** GET /open311/v2/tokens/{token}: our token is the id itself. */
export const Open311Token = z.object({ token: z.string(), service_request_id: z.string() });
export type Open311Token = z.infer<typeof Open311Token>;

/** One entry of GET requests and GET requests/{id}: never the text, a position or the reporter. */
export const Open311ServiceRequest = z.object({
  service_request_id: z.string(),
  status: Open311State,
  /** The LAPOR! lifecycle status (README, "Statuses"). */
  extended_status: ComplaintStatus,
  /** The body's public response, or the status label until there is one. */
  status_notes: z.string(),
  service_code: z.string().optional(),
  service_name: z.string().optional(),
  agency_responsible: z.string().optional(),
  service_notice: z.string(),
  requested_datetime: ZonedDateTime,
  updated_datetime: ZonedDateTime,
});
export type Open311ServiceRequest = z.infer<typeof Open311ServiceRequest>;

/** The spec's error item: `[{"code": 404, "description": "..."}]`, or `<errors><error>` in XML. */
export const Open311Error = z.object({ code: z.number().int(), description: z.string() });
export type Open311Error = z.infer<typeof Open311Error>;
