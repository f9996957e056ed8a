import { ComplaintStatusChangedPayload, formatTrackingId } from '@lapor/contracts';
import type { RenderedMessage } from './message';
import { isAcknowledgement } from './status.message';

/**
 * The one answer under a public post (an X mention). Everyone can read it, so it carries
 * the tracking id and an invitation to continue by DM, and nothing else: no status, no
 * body, nothing from the complaint. Later status changes go by DM only.
 */
export function renderPublicAcknowledgement(p: ComplaintStatusChangedPayload): RenderedMessage | null {
  if (!isAcknowledgement(p)) return null;
  return {
    body: `Terima kasih, laporan Anda tercatat dengan nomor pelacakan ${formatTrackingId(p.trackingId)}. Demi menjaga kerahasiaan, mohon lanjutkan melalui Direct Message (DM) ke akun ini.`,
  };
}
