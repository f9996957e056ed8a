import { ComplaintStatusChangedPayload, formatTrackingId } from '@lapor/contracts';
import { toLocale } from '@lapor/i18n';
import type { RenderedMessage } from './message';
import { isAcknowledgement, notificationTexts } from './status.message';

/**
 * The one answer under a public post (an X mention), in the complaint's language. Everyone
 * can read it, so it carries the tracking id and an invitation to continue by DM, and nothing
 * else: no status, no body, nothing from the complaint. Later status changes go by DM only.
 */
export function renderPublicAcknowledgement(p: ComplaintStatusChangedPayload): RenderedMessage | null {
  if (!isAcknowledgement(p)) return null;
  return { body: notificationTexts(toLocale(p.locale))('chat.public.ack', { id: formatTrackingId(p.trackingId) }) };
}
