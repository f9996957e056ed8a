import { z } from 'zod';
import { CHANNELS, INBOUND_CHANNEL_IDS, OUTBOUND_CHANNEL_IDS } from './channels/registry';

/** Where a message came in (the registry's inbound channels). `web` and `mobile` share the REST API; the rest are channel webhooks. */
export const Channel = z.enum(INBOUND_CHANNEL_IDS);
export type Channel = z.infer<typeof Channel>;
/** A channel the notifier can send to a citizen on (the registry's outbound channels). */
export const OutboundChannel = z.enum(OUTBOUND_CHANNEL_IDS);
export type OutboundChannel = z.infer<typeof OutboundChannel>;
/** How channels are named to people (officials' e-mails, the console). */
export const CHANNEL_LABELS = Object.fromEntries(Object.entries(CHANNELS).map(([id, c]) => [id, c.label])) as Record<keyof typeof CHANNELS, string>;

/** Kemendagri region code: province "32", kabupaten/kota "32.73", kecamatan "32.73.01", desa/kelurahan "32.73.01.1001". */
export const RegionCode = z
  .string()
  .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'kode wilayah Kemendagri, contoh "32.73"');

export const GeoPoint = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type GeoPoint = z.infer<typeof GeoPoint>;

export const Attachment = z.object({
  kind: z.enum(['image', 'document', 'audio', 'video', 'other']),
  /** A URL the router can fetch (Twilio MediaUrlN) or the channel's own file reference (Telegram file_id). */
  url: z.string().url().optional(),
  fileRef: z.string().optional(),
  mimeType: z.string().optional(),
  name: z.string().optional(),
  /**
   * Where the checked and cleaned file is in the attachment store (libs/storage): `att/<sha256>`.
   * Absent while only the channel's reference is known (a fetch failed, or the type is one the
   * store does not take, such as a voice note). Served only through the desk's scope checks.
   */
  storageKey: z.string().regex(/^att\/[0-9a-f]{64}$/).optional(),
  /** Bytes of the stored file. */
  size: z.number().int().nonnegative().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/** Where a reply can reach the complainant besides the channel the message came in on. */
export const ReplyAddress = z.object({
  channel: OutboundChannel,
  address: z.string().min(1),
  /**
   * Set when the complaint arrived as a public post (an X mention): the id of that post.
   * Anything sent there is public, so the notifier answers it once, with the tracking id
   * and an invitation to continue privately only, never the complaint's details or later
   * status changes (those go privately to `address`).
   */
  publicReplyTo: z.string().min(1).max(64).optional(),
});
export type ReplyAddress = z.infer<typeof ReplyAddress>;
