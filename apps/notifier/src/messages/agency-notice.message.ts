import {
  AgencyNoticeKind,
  AgencyNoticePayload,
  AgencyWebhookBody,
  CHANNEL_LABELS,
  formatTrackingId,
  statusLabel,
  SUBMISSION_TYPE_LABELS,
  timeZoneOfRegion,
  toZonedIso,
} from '@lapor/contracts';
import type { RenderedMessage } from './message';

/** What happened, as the e-mail's subject and first sentence say it. */
const WHAT: Record<AgencyNoticeKind, { subject: string; lead: (p: AgencyNoticePayload) => string }> = {
  assigned: { subject: 'Laporan baru', lead: (p) => `Laporan baru telah diteruskan kepada ${p.body.name} dan menunggu diterima.` },
  disposed: { subject: 'Disposisi ke unit kerja', lead: (p) => `Laporan telah didisposisikan ke unit kerja ${p.unit ?? '-'} di ${p.body.name} untuk ditindaklanjuti.` },
  info_provided: { subject: 'Pelapor mengirim informasi tambahan', lead: () => 'Pelapor telah menjawab permintaan informasi; laporan kembali berstatus sedang ditindaklanjuti.' },
  reopened: { subject: 'Keberatan pelapor: laporan dibuka kembali', lead: () => 'Pelapor mengajukan keberatan (tidak puas) atas tanggapan; laporan dibuka kembali dan perlu ditindaklanjuti lagi.' },
  reminder: { subject: 'Pengingat batas waktu', lead: () => 'Batas waktu penanganan laporan ini sudah dekat.' },
  escalated: { subject: 'Eskalasi', lead: () => 'Laporan ini dieskalasi karena batas waktunya terlewati.' },
  copy: { subject: 'Tembusan laporan', lead: (p) => `Tembusan laporan untuk ${p.body.name}.` },
};

/**
 * The e-mail to one official of a body: what happened, the complaint's excerpt, routing's
 * evidence and unit suggestion, the deadline and the console link. Built only from the
 * notice, which never carries the reporter's identity; an Anonim complaint says so.
 */
export function renderAgencyNoticeEmail(p: AgencyNoticePayload, recipientName?: string): RenderedMessage {
  const c = p.complaint;
  const zone = timeZoneOfRegion(p.body.code);
  const when = (at: string) => `${toZonedIso(at, zone).slice(0, 16).replace('T', ' ')} ${zone.abbreviation}`;
  const id = formatTrackingId(p.trackingId);
  const lines = [`Yth. ${recipientName ?? `Petugas ${p.body.name}`},`, '', WHAT[p.kind].lead(p), ''];
  if (p.message) lines.push(p.message, '');
  lines.push(
    `Nomor laporan : ${id}`,
    `Status        : ${statusLabel(c.status)}`,
    `Jenis         : ${SUBMISSION_TYPE_LABELS[c.submissionType ?? 'complaint']}`,
    `Kanal         : ${CHANNEL_LABELS[c.channel]}`,
    `Diterima      : ${when(c.registeredAt)}`,
  );
  if (c.dueAt) lines.push(`Batas waktu   : ${when(c.dueAt)}`);
  if (c.priority) lines.push('Prioritas     : YA (jalur cepat)');
  if (c.anonymous) lines.push('Pelapor       : Anonim (identitas pelapor dirahasiakan)');
  if (c.confidential) lines.push('Kerahasiaan   : Rahasia (laporan tidak boleh dipublikasikan)');
  lines.push('', 'Isi laporan (kutipan):', ...c.excerpt.split('\n').map((l) => `> ${l}`));
  if (c.evidence.length) lines.push('', 'Dasar penentuan instansi:', ...c.evidence.map((e) => `- ${e}`));
  if (c.unitSuggestion) lines.push('', `Saran unit kerja: ${c.unitSuggestion.unit} (keyakinan ${Math.round(c.unitSuggestion.confidence * 100)}%)`);
  lines.push('');
  if (p.consoleUrl) lines.push(`Buka laporan di konsol LAPOR!: ${p.consoleUrl}`);
  else lines.push(`Buka laporan ${id} di konsol LAPOR! instansi Anda.`);
  lines.push('', '--', 'Pesan ini dikirim otomatis oleh SP4N-LAPOR! kepada petugas yang berwenang; mohon tidak membalas e-mail ini.');
  return { subject: `[LAPOR!] ${WHAT[p.kind].subject}: ${id} (${p.body.name})`, body: lines.join('\n') };
}

/** The signed webhook's body: the notice without officials' addresses and webhook settings, plus when it happened. */
export function agencyWebhookBody(p: AgencyNoticePayload, occurredAt: string): string {
  const { recipients: _recipients, webhook: _webhook, ...rest } = p;
  return JSON.stringify(AgencyWebhookBody.parse({ ...rest, occurredAt }));
}
