import type { Attachment } from '@lapor/contracts';
import { AttachmentStore, storePlatformMedia } from '@lapor/storage';

/** Twilio accepts MMS of at most 5 MB in all (https://www.twilio.com/docs/messaging/guides/accepted-mime-types). */
const MMS_MAX_BYTES = 5 * 1024 * 1024;

export interface TwilioCredentials {
  accountSid?: string;
  authToken?: string;
  /** TWILIO_API_BASE_URL: a stand-in's media URLs are Twilio's too. */
  apiBaseUrl?: string;
}

/**
 * An MMS's MediaUrlN → the file in the attachment store, fetched before the webhook is
 * answered (Twilio waits 15 s; the fetch is bounded well below). With the account's SID and
 * auth token as Basic auth, for accounts that protect their media
 * (https://www.twilio.com/docs/usage/security#http-authentication), sent only to Twilio's
 * own host, never to another one a URL might name. When the fetch fails, the URL stays on
 * the complaint and it goes on.
 */
export async function storeTwilioMedia(store: AttachmentStore, attachment: Attachment, credentials: TwilioCredentials, warn: (message: string) => void): Promise<Attachment> {
  if (!attachment.url || (attachment.kind !== 'image' && attachment.kind !== 'document' && attachment.kind !== 'other')) return attachment;
  const url = new URL(attachment.url);
  const twilioHost = url.hostname === 'api.twilio.com' || (credentials.apiBaseUrl !== undefined && url.origin === new URL(credentials.apiBaseUrl).origin);
  const headers =
    twilioHost && credentials.accountSid && credentials.authToken
      ? { Authorization: `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}` }
      : undefined;
  return storePlatformMedia(store, attachment, { url: url.href, headers, declaredType: attachment.mimeType, maxBytes: MMS_MAX_BYTES }, warn);
}
