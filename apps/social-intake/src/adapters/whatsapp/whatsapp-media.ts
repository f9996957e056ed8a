import type { Attachment } from '@lapor/contracts';
import { AttachmentStore, storePlatformMedia } from '@lapor/storage';
import { z } from 'zod';

export interface WhatsAppMediaAccess {
  /** WHATSAPP_API_ROOT: the Graph API (https://graph.facebook.com/v23.0) or a local stand-in. */
  apiRoot: string;
  /** WHATSAPP_ACCESS_TOKEN: the system user's token; the media URL needs it too. */
  accessToken?: string;
}

/** The Graph API's answer to GET /<media id>: a download URL valid for 5 minutes, and what the file claims to be. */
const MediaUrl = z.looseObject({ url: z.url({ protocol: /^https?$/ }), mime_type: z.string().max(200).optional() });

/** Bounds the Graph API call; the download is bounded by fetchIntoStore. Meta waits for our 200 and re-delivers after a timeout. */
const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * A photo's or document's media id → the file in the attachment store, fetched before the
 * notification is acknowledged, as Telegram's and Twilio's are. Two steps, both with the
 * access token as a bearer token: GET <API root>/<media id> answers `{ url, mime_type, sha256,
 * file_size, id }`, then GET of that URL answers the bytes
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url,
 * #download-media). The store strips EXIF and refuses programs in disguise. Voice notes and
 * videos keep only their media id (the store takes images and documents). Without an access
 * token, or when a step fails, the media id stays on the complaint (Meta keeps media for 30
 * days; it can be fetched later) and the complaint goes on.
 */
export async function storeWhatsAppMedia(store: AttachmentStore, attachment: Attachment, access: WhatsAppMediaAccess, warn: (message: string) => void): Promise<Attachment> {
  if (!attachment.fileRef || (attachment.kind !== 'image' && attachment.kind !== 'document')) return attachment;
  if (!access.accessToken) return attachment;
  const headers = { Authorization: `Bearer ${access.accessToken}` };
  let media: z.infer<typeof MediaUrl>;
  try {
    const res = await fetch(`${access.apiRoot.replace(/\/+$/, '')}/${encodeURIComponent(attachment.fileRef)}`, { headers, signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`GET /<media id> answered ${res.status}`);
    media = MediaUrl.parse(await res.json());
  } catch (error) {
    warn(`WhatsApp media URL lookup failed for a ${attachment.kind}, keeping its media id: ${(error as Error).message}`);
    return attachment;
  }
  return storePlatformMedia(store, attachment, { url: media.url, headers, name: attachment.name, declaredType: media.mime_type ?? attachment.mimeType }, warn);
}
