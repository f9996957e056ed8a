import { ComplaintStatusChangedPayload, formatTrackingId, statusLabel } from '@lapor/contracts';
import type { OutboundChannel } from '../entities';
import { COMMAND_SYNTAX, fit, RenderedMessage, toGsmFriendly } from './message';

const KIND_LABEL = { province: 'Pemerintah Provinsi', kota: 'Pemerintah Kota', kabupaten: 'Pemerintah Kabupaten', agency: 'Instansi pusat', triage: 'Tim verifikasi nasional' } as const;

/**
 * A status change, told to the complainant in Bahasa Indonesia, always with the tracking
 * id. The first message after registration (previous status `received`) doubles as the
 * acknowledgement, so an SMS complainant gets one SMS, not two, when a complaint is filed.
 */
export function renderStatus(p: ComplaintStatusChangedPayload, channel: OutboundChannel, publicBaseUrl?: string): RenderedMessage {
  return channel === 'email' ? renderEmail(p, publicBaseUrl) : channel === 'sms' ? renderSms(p) : renderChat(p, channel);
}

/** The first status after registration: the message that acknowledges a new complaint. */
export const isAcknowledgement = (p: ComplaintStatusChangedPayload) => p.status !== 'received' && (p.previousStatus === 'received' || p.previousStatus === null);
const handledBy = (p: ComplaintStatusChangedPayload) =>
  p.assignment && p.assignment.kind !== 'triage' ? `${p.assignment.name}${p.assignment.unit ? ` (${p.assignment.unit})` : ''}` : null;

function renderSms(p: ComplaintStatusChangedPayload): RenderedMessage {
  const id = p.trackingId;
  const cek = COMMAND_SYNTAX.sms.status(id);
  const head = isAcknowledgement(p) ? `LAPOR! Laporan diterima, no. ${id}.` : `LAPOR! Laporan ${id}: ${statusLabel(p.status)}.`;
  const tail = ` Cek: kirim ${cek} ke 1708`;
  const who = handledBy(p);
  const middle = who ? ` Diteruskan ke ${who}.` : p.status === 'triage' ? ' Sedang diverifikasi admin.' : '';
  // Keep one 160-character segment: shorten the body's name rather than drop the tracking id.
  const room = 160 - head.length - tail.length;
  const body = middle.length <= room ? head + middle + tail : head + (who ? ` Diteruskan ke ${fit(who, room - 16)}.` : '') + tail;
  return { body: toGsmFriendly(body) };
}

function renderChat(p: ComplaintStatusChangedPayload, channel: OutboundChannel): RenderedMessage {
  const id = formatTrackingId(p.trackingId);
  const lines = isAcknowledgement(p)
    ? [`Laporan Anda telah diterima. Nomor pelacakan: ${id}`]
    : [`Status laporan ${id}: ${statusLabel(p.status)}`];
  const who = handledBy(p);
  if (who) lines.push(`Diteruskan ke: ${who}`);
  else if (p.status === 'triage') lines.push('Laporan sedang diverifikasi admin nasional sebelum diteruskan.');
  lines.push(`Cek status kapan saja: ${COMMAND_SYNTAX[channel].status(p.trackingId)}`);
  return { body: lines.join('\n') };
}

function renderEmail(p: ComplaintStatusChangedPayload, publicBaseUrl?: string): RenderedMessage {
  const id = formatTrackingId(p.trackingId);
  const label = statusLabel(p.status);
  const lines = ['Yth. Pelapor,', ''];
  if (isAcknowledgement(p)) lines.push(`Laporan Anda telah kami terima dengan nomor pelacakan ${id}. Simpan nomor ini untuk mengecek perkembangannya.`);
  lines.push(`Status laporan Anda dengan nomor pelacakan ${id} kini: ${label}.`);
  if (p.assignment && p.assignment.kind !== 'triage') {
    lines.push(`Ditangani oleh: ${p.assignment.name} (${KIND_LABEL[p.assignment.kind]})${p.assignment.unit ? `, unit ${p.assignment.unit}` : ''}.`);
  } else if (p.status === 'triage') {
    lines.push('Laporan Anda sedang diverifikasi oleh admin nasional sebelum diteruskan ke instansi yang berwenang.');
  }
  lines.push('');
  if (publicBaseUrl) lines.push(`Cek status: ${publicBaseUrl.replace(/\/$/, '')}/api/v1/complaints/${p.trackingId}`);
  lines.push(`Atau kirim SMS "CEK ${p.trackingId}" ke 1708.`, '', 'Terima kasih telah menyampaikan laporan melalui SP4N-LAPOR!', '', '--', 'Pesan ini dikirim otomatis; mohon tidak membalas e-mail ini.');
  return { subject: `[LAPOR!] Laporan ${id}: ${label}`, body: lines.join('\n') };
}
