import { ChannelNoticePayload, CommandName, formatTrackingId, isTerminal, StatusReplyPayload, statusLabel } from '@lapor/contracts';
import type { CitizenChannel } from '../entities';
import { COMMAND_SYNTAX, fit, oneSegment, RenderedMessage, sms, toGsmFriendly } from './message';
import { ARCHIVE_REASON_FOR_REPORTER } from './status.message';

/** Commands about one complaint: the router answers them (StatusReply, or the status change an action causes). */
export type RouterCommand = 'status' | 'object' | 'confirm' | 'ombudsman';
export const ROUTER_COMMANDS: readonly CommandName[] = ['status', 'object', 'confirm', 'ombudsman'];

/** Answers to a citizen's own commands, in Bahasa Indonesia, shaped for the channel. */
export function renderCommandReply(command: Exclude<CommandName, RouterCommand>, channel: CitizenChannel): RenderedMessage {
  const s = COMMAND_SYNTAX[channel];
  const texts: Record<typeof command, string> = {
    help:
      channel === 'telegram'
        ? `LAPOR! - Layanan Aspirasi dan Pengaduan Online Rakyat\nKirim isi laporan Anda langsung di sini (boleh dengan foto atau lokasi).\n${s.status('<nomor>')} - cek status laporan\n${s.object('<nomor>')} <alasan> - keberatan atas tanggapan\n${s.confirm('<nomor>')} - puas, tutup laporan\n${s.ombudsman('<nomor>')} - teruskan ke Ombudsman RI (bila ditawarkan)\n/lapor - cara membuat laporan\n${s.stop} - berhenti menerima notifikasi\n${s.start} - aktifkan notifikasi lagi`
        : `LAPOR! 1708: kirim isi laporan langsung. ${s.status('<nomor>')} = cek status. ${s.stop} = berhenti notifikasi. ${s.start} = aktifkan lagi.`,
    start:
      channel === 'telegram'
        ? `Selamat datang di LAPOR!\nSampaikan keluhan layanan publik Anda: tulis apa yang terjadi, di mana (desa/kelurahan, kecamatan, kabupaten/kota), dan kapan. Anda akan menerima nomor pelacakan.\nKetik /bantuan untuk daftar perintah.`
        : `Selamat datang di LAPOR! Tulis keluhan Anda: apa, di mana, kapan. Anda akan menerima nomor pelacakan.`,
    report:
      channel === 'telegram'
        ? 'Silakan tulis laporan Anda dalam satu pesan: apa masalahnya, di mana (desa/kelurahan, kecamatan, kabupaten/kota), dan sejak kapan. Anda juga bisa mengirim foto atau lokasi.'
        : 'Tulis laporan Anda: apa masalahnya, di mana, dan sejak kapan.',
    opt_out: `LAPOR! Anda tidak akan menerima notifikasi lagi. Laporan Anda tetap diproses. Kirim ${s.start} untuk mengaktifkan kembali.`,
    opt_in: `LAPOR! Notifikasi diaktifkan kembali. Kirim ${s.stop} untuk berhenti.`,
  };
  const body = texts[command];
  return { subject: 'LAPOR!', body: channel === 'sms' ? toGsmFriendly(body) : body };
}

/**
 * The answer to a status query (the latest step, and the start of the body's response), or
 * to a reporter's action that could not be applied. A mistyped id is said to be mistyped,
 * never matched to another complaint; an action on someone else's complaint gets the same
 * answer as an unknown number.
 */
export function renderStatusReply(p: StatusReplyPayload, channel: CitizenChannel): RenderedMessage {
  const s = COMMAND_SYNTAX[channel];
  const r = p.result;
  const subject = 'LAPOR! Status laporan';
  const asTyped = fit(p.query.toUpperCase(), 20);
  const syntax = p.command === 'object' ? s.object : p.command === 'confirm' ? s.confirm : p.command === 'ombudsman' ? s.ombudsman : s.status;
  const format = p.command === 'object' ? `${s.object('<nomor laporan>')} <alasan>` : syntax('<nomor laporan>');
  const example = p.command === 'object' ? `${s.object('7KQ4M9XWRTC')} jalan belum diperbaiki` : syntax('7KQ4M9XWRTC');
  const text = (body: string): RenderedMessage => ({ subject, body: channel === 'sms' ? toGsmFriendly(body) : body });
  switch (r.outcome) {
    case 'found':
      return { subject, ...(channel === 'sms' ? statusSms(r) : { body: statusChat(r) }) };
    case 'not_allowed': {
      const id = channel === 'sms' ? r.trackingId : formatTrackingId(r.trackingId);
      // OMBUDSMAN: the router says why (not overdue, closed without objection, already forwarded).
      if (r.reason) return channel === 'sms' ? oneSegment(`LAPOR! ${id}: `, r.reason, '.') : text(`LAPOR! Laporan ${id}: ${r.reason}.`);
      const what = p.command === 'object' ? 'Keberatan' : 'Konfirmasi selesai';
      return text(
        isTerminal(r.status)
          ? `LAPOR! Laporan ${id} sudah berstatus "${statusLabel(r.status)}"; ${what.toLowerCase()} tidak dapat dikirim lagi.`
          : `LAPOR! Laporan ${id} berstatus "${statusLabel(r.status)}". ${what} dapat dikirim setelah instansi memberi tanggapan.`,
      );
    }
    case 'mistyped':
      return text(`LAPOR! Nomor ${asTyped} salah ketik (karakter pemeriksa tidak cocok). Periksa kembali nomor laporan Anda.`);
    case 'not_found':
      return text(
        p.command === 'status'
          ? `LAPOR! Laporan ${asTyped} tidak ditemukan. Laporan yang baru dikirim muncul dalam beberapa menit.`
          : `LAPOR! Tidak ada laporan Anda bernomor ${asTyped} yang dapat diproses dari ${channel === 'sms' ? 'nomor' : 'akun'} ini.`,
      );
    default:
      return text(`LAPOR! Format: ${format}, contoh ${example}.`);
  }
}

type Found = Extract<StatusReplyPayload['result'], { outcome: 'found' }>;
const handling = (r: Found) => (r.assignment && r.assignment.kind !== 'triage' ? `${r.assignment.name}${r.assignment.unit ? ` (${r.assignment.unit})` : ''}` : '');

/** One GSM-7 segment: the status, then what matters most about it (the response, the question, who handles it, why it ended). */
function statusSms(r: Found): RenderedMessage {
  const head = `LAPOR! Laporan ${r.trackingId}: ${statusLabel(r.status)}.`;
  const latest = r.latest;
  if (r.status === 'waiting_info' && latest?.message) return oneSegment(`${head} Pertanyaan: `, latest.message, ' Balas SMS ini.');
  if (r.response && ['responded', 'closed', 'reopened'].includes(r.status)) return oneSegment(`${head} Tanggapan: `, r.response, '');
  if (r.status === 'closed' && latest?.closedBy) return sms(`${head} Ditutup ${latest.closedBy === 'reporter' ? 'atas konfirmasi Anda' : latest.closedBy === 'system' ? 'otomatis' : 'oleh admin'}.`);
  if (r.status === 'archived' && latest?.archiveReason) return oneSegment(`${head} Alasan: `, ARCHIVE_REASON_FOR_REPORTER[latest.archiveReason], '.');
  if (r.status === 'merged' && latest?.mergedInto) return sms(`${head} Lanjut di laporan ${latest.mergedInto}: kirim CEK ${latest.mergedInto}`);
  const who = handling(r);
  return who ? oneSegment(`${head} Ditangani: `, who, '.') : sms(head);
}

function statusChat(r: Found): string {
  const lines = [`Laporan ${formatTrackingId(r.trackingId)}: ${statusLabel(r.status)}`];
  const who = handling(r);
  if (who) lines.push(`Ditangani oleh: ${who}`);
  if (r.status === 'waiting_info' && r.latest?.message) lines.push('Pertanyaan petugas:', r.latest.message, 'Balas pesan ini dengan jawaban Anda.');
  else if (r.response) lines.push('Tanggapan instansi:', r.response);
  if (r.latest?.archiveReason) lines.push(`Alasan: ${ARCHIVE_REASON_FOR_REPORTER[r.latest.archiveReason]}`);
  if (r.latest?.mergedInto) lines.push(`Digabungkan dengan laporan ${formatTrackingId(r.latest.mergedInto)}`);
  return lines.join('\n');
}

/** Notices about the sender's own message; SMS texts fit one GSM-7 segment. */
export function renderNotice(p: ChannelNoticePayload, channel: CitizenChannel): RenderedMessage {
  const body =
    p.notice === 'body_too_long'
      ? `LAPOR! Pesan Anda terlalu panjang (maks. ${p.limit ?? '-'} karakter) dan belum diproses. Kirim ulang lebih singkat atau dibagi dalam beberapa pesan.`
      : `LAPOR! Anda mengirim banyak pesan dalam waktu singkat. Semua pesan tetap kami simpan${p.trackingId ? ` pada laporan ${channel === 'sms' ? p.trackingId : formatTrackingId(p.trackingId)}` : ''}. Mohon tunggu sebelum mengirim lagi.`;
  return { subject: 'LAPOR!', body: channel === 'sms' ? toGsmFriendly(body) : body };
}
