import { CHANNEL_LABELS, ComplaintEscalatedPayload, MISSED_DEADLINE_LABELS, formatTrackingId, SUBMISSION_TYPE_LABELS } from '@lapor/contracts';
import type { RenderedMessage } from './message';

/**
 * The e-mail Ombudsman RI's intake mailbox (OMBUDSMAN_EMAIL) receives for a forwarded
 * complaint: a readable summary in Bahasa Indonesia, then the complaint.escalated payload
 * as JSON (the same the webhook carries), so a clerk can read it and a system can parse it.
 */
export function renderOmbudsmanEmail(p: ComplaintEscalatedPayload): RenderedMessage {
  const id = formatTrackingId(p.trackingId);
  const identity = p.reporter.disclosure === 'anonymous'
    ? 'Pelapor memilih Anonim: identitas tidak disertakan.'
    : p.reporter.disclosure === 'confidential'
      ? 'RAHASIA: pelapor meminta identitasnya dirahasiakan. Identitas disertakan di data terlampir dan wajib dijaga kerahasiaannya.'
      : 'Identitas pelapor disertakan di data terlampir.';
  const lines = [
    'Yth. Ombudsman Republik Indonesia,',
    '',
    `Pelapor meneruskan laporan SP4N-LAPOR! ${id} kepada Ombudsman RI karena ${p.reason === 'follow-up-overdue' ? 'tindak lanjut melewati batas waktu' : 'laporan ditutup saat pelapor masih keberatan'}.`,
    '',
    `Jenis laporan: ${SUBMISSION_TYPE_LABELS[p.complaint.submissionType]}; kanal: ${CHANNEL_LABELS[p.complaint.channel]}; didaftarkan: ${p.complaint.registeredAt}.`,
    `Instansi: ${p.agency ? `${p.agency.name}${p.agency.unit ? `, ${p.agency.unit}` : ''}` : 'belum ditetapkan (verifikasi admin nasional)'}.`,
    `Status terakhir: ${p.complaint.statusLabel}.`,
    ...(p.missedDeadlines.length ? ['Tenggat yang terlewati:', ...p.missedDeadlines.map((d) => `- ${MISSED_DEADLINE_LABELS[d.stage]}: batas ${d.dueAt}, dieskalasi ${d.escalatedAt} ke ${d.escalatedTo}`)] : []),
    identity,
    ...(p.reporterNote ? ['', 'Catatan pelapor:', p.reporterNote] : []),
    '',
    'Isi laporan:',
    p.complaint.text,
    '',
    '-- Data lengkap (complaint.escalated v1, JSON) --',
    JSON.stringify(p, null, 2),
  ];
  return { subject: `[LAPOR!] Laporan ${id} diteruskan ke Ombudsman RI${p.reporter.disclosure === 'confidential' ? ' (RAHASIA)' : ''}`, body: lines.join('\n') };
}
