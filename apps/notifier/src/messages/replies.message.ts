import { ChannelNoticePayload, CommandName, formatTrackingId, StatusReplyPayload, statusLabel } from '@lapor/contracts';
import type { OutboundChannel } from '../entities';
import { COMMAND_SYNTAX, fit, RenderedMessage, toGsmFriendly } from './message';

/** Commands about one complaint: the router answers them (StatusReply, or the status change an action causes). */
export type RouterCommand = 'status' | 'object' | 'confirm';
export const ROUTER_COMMANDS: readonly CommandName[] = ['status', 'object', 'confirm'];

/** Answers to a citizen's own commands, in Bahasa Indonesia, shaped for the channel. */
export function renderCommandReply(command: Exclude<CommandName, RouterCommand>, channel: OutboundChannel): RenderedMessage {
  const s = COMMAND_SYNTAX[channel];
  const texts: Record<typeof command, string> = {
    help:
      channel === 'telegram'
        ? `LAPOR! - Layanan Aspirasi dan Pengaduan Online Rakyat\nKirim isi laporan Anda langsung di sini (boleh dengan foto atau lokasi).\n${s.status('<nomor>')} - cek status laporan\n/lapor - cara membuat laporan\n${s.stop} - berhenti menerima notifikasi\n${s.start} - aktifkan notifikasi lagi`
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

/** The answer to a status query; a mistyped id is said to be mistyped, never matched to another complaint. */
export function renderStatusReply(p: StatusReplyPayload, channel: OutboundChannel): RenderedMessage {
  const s = COMMAND_SYNTAX[channel];
  const r = p.result;
  let body: string;
  if (r.outcome === 'found') {
    const id = channel === 'sms' ? r.trackingId : formatTrackingId(r.trackingId);
    const head = `LAPOR! Laporan ${id}: ${statusLabel(r.status)}.`;
    const name = r.assignment && r.assignment.kind !== 'triage' ? `${r.assignment.name}${r.assignment.unit ? ` (${r.assignment.unit})` : ''}` : '';
    // SMS: one 160-character segment; shorten the body's name, never the tracking id.
    const room = 160 - head.length - ' Ditangani: .'.length;
    body = name ? `${head} Ditangani: ${channel === 'sms' ? fit(name, room) : name}.` : head;
  } else if (r.outcome === 'mistyped') {
    body = `LAPOR! Nomor ${fit(p.query.toUpperCase(), 20)} salah ketik (karakter pemeriksa tidak cocok). Periksa kembali nomor laporan Anda.`;
  } else if (r.outcome === 'not_found') {
    body = `LAPOR! Laporan ${fit(p.query.toUpperCase(), 20)} tidak ditemukan. Laporan yang baru dikirim muncul dalam beberapa menit.`;
  } else {
    body = `LAPOR! Format: ${s.status('<nomor laporan>')}, contoh ${s.status('7KQ4M9XWRTC')}.`;
  }
  return { subject: 'LAPOR! Status laporan', body: channel === 'sms' ? toGsmFriendly(body) : body };
}

/** Notices about the sender's own message; SMS texts fit one GSM-7 segment. */
export function renderNotice(p: ChannelNoticePayload, channel: OutboundChannel): RenderedMessage {
  const body =
    p.notice === 'body_too_long'
      ? `LAPOR! Pesan Anda terlalu panjang (maks. ${p.limit ?? '-'} karakter) dan belum diproses. Kirim ulang lebih singkat atau dibagi dalam beberapa pesan.`
      : `LAPOR! Anda mengirim banyak pesan dalam waktu singkat. Semua pesan tetap kami simpan${p.trackingId ? ` pada laporan ${channel === 'sms' ? p.trackingId : formatTrackingId(p.trackingId)}` : ''}. Mohon tunggu sebelum mengirim lagi.`;
  return { subject: 'LAPOR!', body: channel === 'sms' ? toGsmFriendly(body) : body };
}
