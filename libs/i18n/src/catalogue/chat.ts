import { defineMessages } from '../catalogue';

/**
 * Answers to what a citizen sends on SMS, Telegram, X and WhatsApp (apps/notifier
 * src/messages/replies.message.ts): help, welcome, STOP/START confirmations, CEK answers,
 * refused actions and notices about their own message (too long, too many). The language is
 * the one the channel event carries (`locale`). Keyword-channel texts fit one GSM-7 segment.
 * `{status}`, `{object}`, ... are commands as typed on the channel ("CEK <nomor>", "/cek <nomor>").
 */
export const chatMessages = defineMessages({
  /** How a command's argument is shown in help texts and format hints. */
  'arg.number': { id: '<nomor>', en: '<number>' },
  'arg.reportNumber': { id: '<nomor laporan>', en: '<report number>' },
  'arg.reason': { id: '<alasan>', en: '<reason>' },
  'example.reason': { id: 'jalan belum diperbaiki', en: 'the road is still broken' },

  'help.slash': {
    id: 'LAPOR! - Layanan Aspirasi dan Pengaduan Online Rakyat\nKirim isi laporan Anda langsung di sini (boleh dengan foto atau lokasi).\n{status} - cek status laporan\n{object} - keberatan atas tanggapan\n{confirm} - puas, tutup laporan\n{ombudsman} - teruskan ke Ombudsman RI (bila ditawarkan)\n{report} - cara membuat laporan\n{stop} - berhenti menerima notifikasi\n{start} - aktifkan notifikasi lagi',
    en: "LAPOR! - Indonesia's public-service complaint line\nSend your report right here (a photo or a location is welcome).\n{status} - check a report's status\n{object} - object to an answer\n{confirm} - satisfied, close the report\n{ombudsman} - forward to Ombudsman RI (when offered)\n{report} - how to write a report\n{stop} - stop notifications\n{start} - turn notifications on again",
  },
  'help.keyword': { id: 'LAPOR! 1708: kirim isi laporan langsung. {status} = cek status. {stop} = berhenti notifikasi. {start} = aktifkan lagi.', en: 'LAPOR! 1708: send your report as a message. {status} = check status. {stop} = stop notifications. {start} = turn them on.' },
  'start.slash': {
    id: 'Selamat datang di LAPOR!\nSampaikan keluhan layanan publik Anda: tulis apa yang terjadi, di mana (desa/kelurahan, kecamatan, kabupaten/kota), dan kapan. Anda akan menerima nomor pelacakan.\nKetik {help} untuk daftar perintah.',
    en: 'Welcome to LAPOR!\nTell us about a problem with a public service: write what happened, where (village, district, city or regency) and when. You will get a tracking number.\nType {help} for the list of commands.',
  },
  'start.keyword': { id: 'Selamat datang di LAPOR! Tulis keluhan Anda: apa, di mana, kapan. Anda akan menerima nomor pelacakan.', en: 'Welcome to LAPOR! Write your complaint: what, where, when. You will get a tracking number.' },
  'report.slash': {
    id: 'Silakan tulis laporan Anda dalam satu pesan: apa masalahnya, di mana (desa/kelurahan, kecamatan, kabupaten/kota), dan sejak kapan. Anda juga bisa mengirim foto atau lokasi.',
    en: 'Please write your report in one message: what the problem is, where (village, district, city or regency) and since when. You can also send a photo or a location.',
  },
  'report.keyword': { id: 'Tulis laporan Anda: apa masalahnya, di mana, dan sejak kapan.', en: 'Write your report: what the problem is, where, and since when.' },
  'opt_out': { id: 'LAPOR! Anda tidak akan menerima notifikasi lagi. Laporan Anda tetap diproses. Kirim {start} untuk mengaktifkan kembali.', en: 'LAPOR! You will get no more notifications. Your reports are still handled. Send {start} to turn them on again.' },
  'opt_in': { id: 'LAPOR! Notifikasi diaktifkan kembali. Kirim {stop} untuk berhenti.', en: 'LAPOR! Notifications are on again. Send {stop} to stop them.' },

  // ---------------------------------------------------------------- answers to CEK and to refused actions
  'reply.subject': { id: 'LAPOR! Status laporan', en: 'LAPOR! Report status' },
  'reply.head': { id: 'LAPOR! Laporan {id}: {label}.', en: 'LAPOR! Report {id}: {label}.' },
  'reply.sms.question': { id: '{head} Pertanyaan: {question} Balas SMS ini.', en: '{head} Question: {question} Reply to this SMS.' },
  'reply.sms.response': { id: '{head} Tanggapan: {response}', en: '{head} Answer: {response}' },
  'reply.sms.closed.reporter': { id: '{head} Ditutup atas konfirmasi Anda.', en: '{head} Closed as you confirmed.' },
  'reply.sms.closed.system': { id: '{head} Ditutup otomatis.', en: '{head} Closed automatically.' },
  'reply.sms.closed.admin': { id: '{head} Ditutup oleh admin.', en: '{head} Closed by an admin.' },
  'reply.sms.archived': { id: '{head} Alasan: {reason}.', en: '{head} Reason: {reason}.' },
  'reply.sms.merged': { id: '{head} Lanjut di laporan {into}: kirim {command}', en: '{head} Continued in report {into}: send {command}' },
  'reply.sms.handledBy': { id: '{head} Ditangani: {who}.', en: '{head} Handled by: {who}.' },
  'reply.chat.head': { id: 'Laporan {id}: {label}', en: 'Report {id}: {label}' },
  'reply.chat.handledBy': { id: 'Ditangani oleh: {who}', en: 'Handled by: {who}' },
  'reply.chat.question': { id: 'Pertanyaan petugas:', en: "The officer's question:" },
  'reply.chat.answerHere': { id: 'Balas pesan ini dengan jawaban Anda.', en: 'Reply to this message with your answer.' },
  'reply.chat.response': { id: 'Tanggapan instansi:', en: "The agency's answer:" },
  'reply.chat.reason': { id: 'Alasan: {reason}', en: 'Reason: {reason}' },
  'reply.chat.merged': { id: 'Digabungkan dengan laporan {into}', en: 'Merged with report {into}' },
  'reply.refused.sms': { id: 'LAPOR! {id}: {reason}.', en: 'LAPOR! {id}: {reason}.' },
  'reply.refused': { id: 'LAPOR! Laporan {id}: {reason}.', en: 'LAPOR! Report {id}: {reason}.' },
  'reply.ended.object': { id: 'LAPOR! Laporan {id} sudah berstatus "{label}"; keberatan tidak dapat dikirim lagi.', en: 'LAPOR! Report {id} is already "{label}"; an objection can no longer be sent.' },
  'reply.ended.confirm': { id: 'LAPOR! Laporan {id} sudah berstatus "{label}"; konfirmasi selesai tidak dapat dikirim lagi.', en: 'LAPOR! Report {id} is already "{label}"; a confirmation can no longer be sent.' },
  'reply.early.object': { id: 'LAPOR! Laporan {id} berstatus "{label}". Keberatan dapat dikirim setelah instansi memberi tanggapan.', en: 'LAPOR! Report {id} is "{label}". An objection can be sent once the agency has answered.' },
  'reply.early.confirm': { id: 'LAPOR! Laporan {id} berstatus "{label}". Konfirmasi selesai dapat dikirim setelah instansi memberi tanggapan.', en: 'LAPOR! Report {id} is "{label}". A confirmation can be sent once the agency has answered.' },
  'reply.ended.ombudsman': { id: 'LAPOR! Laporan {id} sudah berstatus "{label}"; laporan ini tidak dapat diteruskan ke Ombudsman RI lagi.', en: 'LAPOR! Report {id} is already "{label}"; it can no longer be forwarded to Ombudsman RI.' },
  'reply.early.ombudsman': { id: 'LAPOR! Laporan {id} berstatus "{label}". Penerusan ke Ombudsman RI dapat dilakukan bila tindak lanjut terlambat.', en: 'LAPOR! Report {id} is "{label}". It can go to Ombudsman RI once the follow-up is late.' },
  'reply.mistyped': { id: 'LAPOR! Nomor {query} salah ketik (karakter pemeriksa tidak cocok). Periksa kembali nomor laporan Anda.', en: 'LAPOR! Number {query} is mistyped (its check character does not match). Please check your report number.' },
  'reply.notFound': { id: 'LAPOR! Laporan {query} tidak ditemukan. Laporan yang baru dikirim muncul dalam beberapa menit.', en: 'LAPOR! Report {query} was not found. A report sent just now shows up within a few minutes.' },
  'reply.notYours.phone': { id: 'LAPOR! Tidak ada laporan Anda bernomor {query} yang dapat diproses dari nomor ini.', en: 'LAPOR! No report of yours numbered {query} can be handled from this phone number.' },
  'reply.notYours.account': { id: 'LAPOR! Tidak ada laporan Anda bernomor {query} yang dapat diproses dari akun ini.', en: 'LAPOR! No report of yours numbered {query} can be handled from this account.' },
  'reply.format': { id: 'LAPOR! Format: {format}, contoh {example}.', en: 'LAPOR! Format: {format}, for example {example}.' },
  /**
   * Why OMBUDSMAN was refused. The router sends its reason in Bahasa Indonesia
   * (libs/contracts ombudsman.ts `ombudsmanEligibility`; a spec keeps these `id` texts equal
   * to it); the notifier recognises it and says it in the complaint's language.
   */
  'ombudsman.refused.already': { id: 'Laporan ini sudah diteruskan ke Ombudsman RI', en: 'This report has already been forwarded to Ombudsman RI' },
  'ombudsman.refused.closedWithoutObjection': {
    id: 'Laporan ditutup tanpa keberatan Anda; penerusan ke Ombudsman RI hanya untuk laporan yang ditutup saat Anda masih keberatan',
    en: 'The report was closed without an objection from you; only a report closed while you objected can go to Ombudsman RI',
  },
  'ombudsman.refused.notOverdue': {
    id: 'Laporan belum melewati batas waktu tindak lanjut; penerusan ke Ombudsman RI dapat dilakukan bila tindak lanjut terlambat',
    en: 'The follow-up deadline has not passed yet; the report can go to Ombudsman RI once the follow-up is late',
  },

  // ---------------------------------------------------------------- notices about the sender's own message
  'notice.body_too_long': { id: 'LAPOR! Pesan Anda terlalu panjang (maks. {limit} karakter) dan belum diproses. Kirim ulang lebih singkat atau dibagi dalam beberapa pesan.', en: 'LAPOR! Your message is too long (max. {limit} characters) and was not processed. Send it shorter, or split it into several messages.' },
  'notice.rate_limited': { id: 'LAPOR! Anda mengirim banyak pesan dalam waktu singkat. Semua pesan tetap kami simpan. Mohon tunggu sebelum mengirim lagi.', en: 'LAPOR! You sent many messages in a short time. We keep all of them. Please wait before sending more.' },
  'notice.rate_limited.report': { id: 'LAPOR! Anda mengirim banyak pesan dalam waktu singkat. Semua pesan tetap kami simpan pada laporan {id}. Mohon tunggu sebelum mengirim lagi.', en: 'LAPOR! You sent many messages in a short time. We keep all of them with report {id}. Please wait before sending more.' },
});
