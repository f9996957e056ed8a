import { ArchiveReason, ComplaintStatusChangedPayload, formatTrackingId, ombudsmanOfferText, statusLabel, SUBMISSION_TYPE_LABELS } from '@lapor/contracts';
import type { CitizenChannel } from '../entities';
import { COMMAND_SYNTAX, oneSegment, RenderedMessage, sms } from './message';

const KIND_LABEL = { province: 'Pemerintah Provinsi', kota: 'Pemerintah Kota', kabupaten: 'Pemerintah Kabupaten', agency: 'Instansi pusat', triage: 'Tim verifikasi nasional' } as const;

/** Why a complaint was archived, said to its reporter in plain words (completes "Laporan ... diarsipkan karena ..."). */
export const ARCHIVE_REASON_FOR_REPORTER: Record<ArchiveReason, string> = {
  sara: 'isinya mengandung unsur SARA (suku, agama, ras, antargolongan)',
  no_evidence: 'tidak ada bukti pendukung yang cukup',
  unclear: 'isi laporan kurang jelas untuk ditindaklanjuti',
  not_government: 'laporan bukan tentang layanan pemerintah',
  expired: 'melewati masa berlaku laporan',
  reporter_request: 'atas permintaan Anda',
  blocked_content: 'isinya melanggar ketentuan konten',
};

/** The Ombudsman of the Republic of Indonesia: where a reporter goes when the body's handling is not enough (call centre 137). */
const OMBUDSMAN = 'Ombudsman RI (telepon 137, ombudsman.go.id)';

/**
 * Statuses with no message of their own: `received` is acknowledged with the routing outcome,
 * `returned` with the re-routing that follows it in the same step. A missed deadline is the
 * officials' business: the reporter hears of it only through the Ombudsman offer.
 */
export function isSilent(p: ComplaintStatusChangedPayload): boolean {
  return p.status === 'received' || p.status === 'returned' || !!p.escalation;
}

/**
 * The Ombudsman RI offer (overdue follow-up, or closed while the reporter objected), with
 * how to answer on this channel. SMS: one GSM-7 segment.
 */
export function renderOmbudsmanOffer(p: ComplaintStatusChangedPayload, channel: CitizenChannel, publicBaseUrl?: string): RenderedMessage {
  const reason = p.status === 'closed' ? 'closed-while-objecting' : 'follow-up-overdue';
  if (channel === 'sms') return sms(ombudsmanOfferText(p.trackingId, COMMAND_SYNTAX.sms.ombudsman(p.trackingId), reason));
  const id = formatTrackingId(p.trackingId);
  if (channel !== 'email') return { body: ombudsmanOfferText(id, COMMAND_SYNTAX[channel].ombudsman(p.trackingId), reason) };
  const page = publicBaseUrl ? `${publicBaseUrl.replace(/\/+$/, '')}/lapor/cek?id=${p.trackingId}` : null;
  const how = page ? `tombol "Teruskan ke Ombudsman RI" di halaman status laporan: ${page}` : 'tombol "Teruskan ke Ombudsman RI" di halaman "Cek status laporan" situs LAPOR!';
  const what = reason === 'closed-while-objecting' ? 'ditutup saat Anda masih keberatan atas tanggapan instansi' : 'belum ditindaklanjuti instansi dalam batas waktu';
  return {
    subject: `[LAPOR!] Laporan ${id} dapat diteruskan ke Ombudsman RI`,
    body: ['Yth. Pelapor,', '', `Laporan Anda ${id} ${what}.`, `Anda dapat meneruskannya ke Ombudsman Republik Indonesia melalui ${how}`, '', 'Terima kasih telah menyampaikan laporan melalui SP4N-LAPOR!', '', '--', 'Pesan ini dikirim otomatis; mohon tidak membalas e-mail ini.'].join('\n'),
  };
}

/** The reporter's forward reached the gateway: it goes to Ombudsman RI now. */
function renderForwarded(p: ComplaintStatusChangedPayload, channel: CitizenChannel): RenderedMessage {
  if (channel === 'sms') return sms(`LAPOR! Laporan ${p.trackingId} telah diteruskan ke Ombudsman RI atas permintaan Anda. Info Ombudsman: telepon 137.`);
  const id = formatTrackingId(p.trackingId);
  const body = [`Laporan ${id} telah diteruskan ke Ombudsman Republik Indonesia atas permintaan Anda.`, `Ombudsman RI akan menghubungi Anda bila diperlukan. Informasi: ${OMBUDSMAN}.`];
  return channel === 'email' ? { subject: `[LAPOR!] Laporan ${id}: diteruskan ke Ombudsman RI`, body: ['Yth. Pelapor,', '', ...body].join('\n') } : { body: body.join('\n') };
}

/**
 * A status change, told to the complainant in Bahasa Indonesia, always with the tracking
 * id. The first message after registration (previous status `received`) doubles as the
 * acknowledgement, so an SMS complainant gets one SMS, not two, when a complaint is filed.
 * SMS: one GSM-7 segment (the body's words are shortened, never the id or how to answer);
 * chat and e-mail carry the body's response and question in full.
 */
export function renderStatus(p: ComplaintStatusChangedPayload, channel: CitizenChannel, publicBaseUrl?: string): RenderedMessage {
  if (p.event === 'forwarded-ombudsman') return renderForwarded(p, channel);
  return channel === 'email' ? renderEmail(p, publicBaseUrl) : channel === 'sms' ? renderSms(p) : { body: chatLines(p, channel).join('\n') };
}

/** The first status after registration: the message that acknowledges a new complaint. */
export const isAcknowledgement = (p: ComplaintStatusChangedPayload) => p.status !== 'received' && (p.previousStatus === 'received' || p.previousStatus === null);

const handledBy = (p: ComplaintStatusChangedPayload) =>
  p.assignment && p.assignment.kind !== 'triage' ? `${p.assignment.name}${p.assignment.unit ? ` (${p.assignment.unit})` : ''}` : null;
const bodyName = (p: ComplaintStatusChangedPayload) => (p.assignment && p.assignment.kind !== 'triage' ? p.assignment.name : 'instansi');
/** Moved to another body after it had one: returned (re-routed), forwarded, or re-assigned by the admin. */
const isRedirect = (p: ComplaintStatusChangedPayload) => p.status === 'assigned' && !isAcknowledgement(p) && p.previousStatus !== 'triage';

// ---------------------------------------------------------------- SMS (one GSM-7 segment)

function renderSms(p: ComplaintStatusChangedPayload): RenderedMessage {
  const id = p.trackingId;
  const s = COMMAND_SYNTAX.sms;
  const cek = ` Cek: kirim ${s.status(id)} ke 1708`;
  const who = handledBy(p) ?? 'instansi';
  switch (p.status) {
    case 'triage':
      if (isAcknowledgement(p)) return sms(`LAPOR! Laporan diterima, no. ${id}. Sedang diverifikasi admin.${cek}`);
      return sms(`LAPOR! Laporan ${id} dikembalikan instansi; kini diverifikasi ulang admin nasional.${cek}`);
    case 'assigned':
      if (isAcknowledgement(p)) return oneSegment(`LAPOR! Laporan diterima, no. ${id}. Diteruskan ke `, who, `.${cek}`);
      if (p.previousStatus === 'returned') return oneSegment(`LAPOR! Laporan ${id} dialihkan ke `, who, `, instansi yg berwenang.${cek}`);
      if (isRedirect(p)) return oneSegment(`LAPOR! Laporan ${id} dialihkan ke `, who, `.${cek}`);
      return oneSegment(`LAPOR! Laporan ${id} diteruskan ke `, who, `.${cek}`);
    case 'accepted':
      return oneSegment(`LAPOR! Laporan ${id} diterima oleh `, bodyName(p), ` dan akan ditindaklanjuti.${cek}`);
    case 'disposed':
      return oneSegment(`LAPOR! Laporan ${id} diteruskan ke unit kerja: `, p.assignment?.unit ?? who, `.${cek}`);
    case 'in_progress':
      if (p.previousStatus === 'waiting_info') return sms(`LAPOR! Informasi tambahan untuk laporan ${id} sudah diterima; laporan kembali ditindaklanjuti.${cek}`);
      return oneSegment(`LAPOR! Laporan ${id} sedang ditindaklanjuti oleh `, who, `.${cek}`);
    case 'waiting_info':
      return oneSegment(`LAPOR! ${id} perlu info: `, p.reporterMessage ?? 'mohon lengkapi laporan Anda.', ` Balas SMS ini dengan jawaban Anda.`);
    case 'responded':
      return oneSegment(`LAPOR! ${id} ditanggapi: `, p.reporterMessage ?? statusLabel('responded'), ` Baca: ${s.status(id)}. Tdk puas: ${s.object(id)}`);
    case 'reopened':
      return oneSegment(`LAPOR! Keberatan atas laporan ${id} diterima; laporan dibuka kembali untuk `, bodyName(p), `.${cek}`);
    case 'closed':
      if (p.closedBy === 'reporter') return sms(`LAPOR! Laporan ${id} ditutup atas konfirmasi Anda. Terima kasih telah melapor.`);
      return sms(`LAPOR! Laporan ${id} ditutup ${p.closedBy === 'system' ? 'otomatis (tidak ada keberatan)' : 'oleh admin'}. Belum puas? Hubungi Ombudsman RI: 137`);
    case 'archived':
      return oneSegment(`LAPOR! Laporan ${id} diarsipkan: `, p.archiveReason ? ARCHIVE_REASON_FOR_REPORTER[p.archiveReason] : 'tidak dapat ditindaklanjuti', `. Kirim laporan baru bila perlu.`);
    case 'merged':
      return sms(`LAPOR! Laporan ${id} digabung dengan laporan ${p.mergedInto ?? '-'} yang sama isinya.${p.mergedInto ? ` Cek: kirim ${s.status(p.mergedInto)} ke 1708` : ''}`);
    default:
      return sms(`LAPOR! Laporan ${id}: ${statusLabel(p.status)}.${cek}`);
  }
}

// ---------------------------------------------------------------- chat (Telegram, X DM)

function chatLines(p: ComplaintStatusChangedPayload, channel: Exclude<CitizenChannel, 'sms' | 'email'>): string[] {
  const id = formatTrackingId(p.trackingId);
  const s = COMMAND_SYNTAX[channel];
  const lines = story(p, id);
  if (p.status === 'waiting_info') lines.push('Balas pesan ini dengan jawaban Anda: pesan Anda berikutnya di sini akan diteruskan ke petugas.');
  if (p.status === 'responded') {
    lines.push(`Jika sudah puas, kirim ${s.confirm(p.trackingId)}.`);
    lines.push(`Jika belum puas, kirim ${s.object(p.trackingId)} diikuti alasan Anda. Tanpa keberatan, laporan ditutup otomatis setelah batas waktu.`);
  }
  lines.push(`Cek status kapan saja: ${s.status(p.mergedInto ?? p.trackingId)}`);
  return lines;
}

// ---------------------------------------------------------------- e-mail

function renderEmail(p: ComplaintStatusChangedPayload, publicBaseUrl?: string): RenderedMessage {
  const id = formatTrackingId(p.trackingId);
  const label = statusLabel(p.status);
  const page = publicBaseUrl ? `${publicBaseUrl.replace(/\/+$/, '')}/lapor/cek?id=${p.mergedInto ?? p.trackingId}` : null;
  const statusPage = page ? `halaman status laporan: ${page}` : 'halaman "Cek status laporan" di situs LAPOR!';
  const lines = ['Yth. Pelapor,', '', `Status laporan Anda dengan nomor pelacakan ${id} kini: ${label}.`, ''];
  if (isAcknowledgement(p)) {
    lines.push(`Laporan Anda telah kami terima dengan nomor pelacakan ${id}. Simpan nomor ini untuk mengecek perkembangannya.`);
    if (p.status === 'triage') lines.push(...story(p, id).slice(1));
  } else {
    lines.push(...story(p, id));
  }
  if (p.assignment && p.assignment.kind !== 'triage' && p.status !== 'merged') {
    lines.push(`Ditangani oleh: ${p.assignment.name} (${KIND_LABEL[p.assignment.kind]})${p.assignment.unit ? `, unit ${p.assignment.unit}` : ''}.`);
  }
  if (p.submissionType && p.submissionType !== 'complaint') lines.push(`Jenis laporan: ${SUBMISSION_TYPE_LABELS[p.submissionType]}.`);
  lines.push('');
  if (p.status === 'waiting_info') lines.push(`Kirim jawaban Anda melalui tombol "Kirim informasi tambahan" di ${statusPage}`);
  else if (p.status === 'responded') {
    lines.push(`Jika sudah puas, atau jika belum puas dan ingin mengajukan keberatan, gunakan tombolnya di ${statusPage}`);
    lines.push('Tanpa keberatan, laporan ditutup otomatis setelah batas waktu.');
  } else lines.push(page ? `Cek perkembangan laporan: ${page}` : `Cek perkembangan laporan di halaman "Cek status laporan" situs LAPOR! dengan nomor ${id}.`);
  lines.push('', 'Terima kasih telah menyampaikan laporan melalui SP4N-LAPOR!', '', '--', 'Pesan ini dikirim otomatis; mohon tidak membalas e-mail ini.');
  return { subject: `[LAPOR!] Laporan ${id}: ${label}`, body: lines.join('\n') };
}

// ---------------------------------------------------------------- what happened, in full (chat and e-mail)

function story(p: ComplaintStatusChangedPayload, id: string): string[] {
  const who = handledBy(p);
  switch (p.status) {
    case 'triage':
      return isAcknowledgement(p)
        ? [`Laporan Anda telah diterima. Nomor pelacakan: ${id}`, 'Laporan sedang diverifikasi admin nasional sebelum diteruskan ke instansi yang berwenang.']
        : [`Laporan ${id} dikembalikan oleh instansi karena bukan kewenangannya.`, 'Admin nasional sedang menentukan instansi yang berwenang.'];
    case 'assigned':
      if (isAcknowledgement(p)) return [`Laporan Anda telah diterima. Nomor pelacakan: ${id}`, `Diteruskan ke: ${who}`];
      if (p.previousStatus === 'returned') return [`Laporan ${id} dikembalikan oleh instansi sebelumnya karena bukan kewenangannya.`, `Kini dialihkan ke instansi yang berwenang: ${who}`];
      if (isRedirect(p)) return [`Laporan ${id} dialihkan ke instansi lain yang berwenang: ${who}`];
      return [`Laporan ${id} telah diverifikasi dan diteruskan ke: ${who}`];
    case 'accepted':
      return [`Laporan ${id} telah diterima oleh ${bodyName(p)} dan akan ditindaklanjuti.`];
    case 'disposed':
      return [`Laporan ${id} telah diteruskan (didisposisikan) ke unit kerja ${p.assignment?.unit ?? ''} di ${bodyName(p)}.`.replace('  ', ' ')];
    case 'in_progress':
      return p.previousStatus === 'waiting_info'
        ? [`Informasi tambahan Anda untuk laporan ${id} sudah diterima dan diteruskan ke petugas. Laporan kembali ditindaklanjuti.`]
        : [`Laporan ${id} sedang ditindaklanjuti oleh ${who ?? 'instansi'}.`];
    case 'waiting_info':
      return [`Petugas yang menangani laporan ${id} memerlukan informasi tambahan dari Anda:`, '', quote(p.reporterMessage ?? 'Mohon lengkapi laporan Anda.'), ''];
    case 'responded':
      return [`Laporan ${id} telah ditanggapi oleh ${bodyName(p)}. Tanggapan (tindak lanjut):`, '', quote(p.reporterMessage ?? '-'), ''];
    case 'reopened':
      return [`Keberatan Anda atas tanggapan laporan ${id} telah diterima. Laporan dibuka kembali dan dikembalikan kepada ${bodyName(p)} untuk ditindaklanjuti lagi.`];
    case 'closed':
      if (p.closedBy === 'reporter') return [`Laporan ${id} telah ditutup atas konfirmasi Anda. Terima kasih telah melapor.`];
      return [
        p.closedBy === 'system'
          ? `Laporan ${id} ditutup otomatis oleh sistem karena tidak ada keberatan dalam batas waktu setelah tanggapan diberikan.`
          : `Laporan ${id} telah ditutup oleh admin.`,
        `Jika Anda belum puas dengan penanganannya, Anda dapat mengadu ke ${OMBUDSMAN}, atau mengirim laporan baru.`,
      ];
    case 'archived':
      return [
        `Laporan ${id} diarsipkan ${p.archiveReason === 'reporter_request' ? '' : 'karena '}${p.archiveReason ? ARCHIVE_REASON_FOR_REPORTER[p.archiveReason] : 'tidak dapat ditindaklanjuti'}.`,
        p.archiveReason === 'reporter_request' ? 'Terima kasih.' : `Anda dapat mengirim laporan baru yang lebih lengkap. Jika menurut Anda keputusan ini keliru, Anda dapat mengadu ke ${OMBUDSMAN}.`,
      ];
    case 'merged':
      return [`Laporan ${id} digabungkan dengan laporan ${p.mergedInto ? formatTrackingId(p.mergedInto) : '-'} yang membahas hal yang sama. Perkembangannya dapat diikuti dengan nomor ${p.mergedInto ? formatTrackingId(p.mergedInto) : '-'}.`];
    default:
      return [`Status laporan ${id}: ${statusLabel(p.status)}`];
  }
}

/** The body's own words, set off as a quote. */
function quote(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

