import { defineMessages } from '../catalogue';

/**
 * What the notifier tells a reporter about their complaint (apps/notifier/src/messages):
 * status changes on SMS, chat (Telegram, X, WhatsApp) and e-mail, the Ombudsman RI offer,
 * and the one public reply under an X mention. The language is the complaint's `locale`.
 *
 * `sms.*` texts must fit one GSM-7 segment (160 characters) with an 11-symbol tracking id
 * (apps/notifier/src/senders/sms/sms-texts.spec.ts checks both languages); a `{who}`,
 * `{body}`, `{unit}`, `{question}`, `{response}` or `{reason}` in them is someone else's
 * words, shortened to fit. `{check}` is `sms.check`, `{command}` a command as typed on the
 * channel ("CEK 7KQ4M9XWRTC", "/cek 7KQ4M9XWRTC").
 */
export const notificationMessages = defineMessages({
  // ---------------------------------------------------------------- status labels (libs/contracts lifecycle.ts has the Indonesian ones; a spec keeps them equal)
  'status.received': { id: 'Diterima', en: 'Received' },
  'status.triage': { id: 'Menunggu verifikasi admin', en: 'Awaiting verification by an admin' },
  'status.assigned': { id: 'Diteruskan ke instansi', en: 'Sent to the agency' },
  'status.accepted': { id: 'Diterima instansi', en: 'Accepted by the agency' },
  'status.returned': { id: 'Dikembalikan oleh instansi', en: 'Returned by the agency' },
  'status.disposed': { id: 'Didisposisikan ke unit kerja', en: 'Passed on to a work unit' },
  'status.in_progress': { id: 'Sedang ditindaklanjuti', en: 'Being followed up' },
  'status.waiting_info': { id: 'Menunggu kelengkapan informasi dari pelapor', en: 'Waiting for more information from the reporter' },
  'status.responded': { id: 'Sudah ditanggapi', en: 'Answered' },
  // A function only because catalogue.spec.ts takes a final "(words)" in Indonesian text for an English gloss; this one is Indonesian.
  'status.reopened': { id: () => 'Dibuka kembali (pelapor tidak puas)', en: () => 'Reopened (the reporter objected)' },
  'status.closed': { id: 'Selesai', en: 'Closed' },
  'status.archived': { id: 'Diarsipkan', en: 'Archived' },
  'status.merged': { id: 'Digabungkan dengan laporan lain', en: 'Merged with another report' },

  // ---------------------------------------------------------------- words that fill sentences
  'kind.province': { id: 'Pemerintah Provinsi', en: 'provincial government' },
  'kind.kota': { id: 'Pemerintah Kota', en: 'city government' },
  'kind.kabupaten': { id: 'Pemerintah Kabupaten', en: 'regency government' },
  'kind.agency': { id: 'Instansi pusat', en: 'national agency' },
  'kind.triage': { id: 'Tim verifikasi nasional', en: 'national verification team' },
  'submissionType.complaint': { id: 'Pengaduan', en: 'Complaint' },
  'submissionType.information_request': { id: 'Permintaan Informasi', en: 'Request for information' },
  'submissionType.aspiration': { id: 'Aspirasi', en: 'Suggestion' },
  /** Completes "archived because ..." and "archived: ...". */
  'archiveReason.sara': { id: 'isinya mengandung unsur SARA (suku, agama, ras, antargolongan)', en: 'it stirs up hatred between ethnic, religious, racial or other groups' },
  'archiveReason.no_evidence': { id: 'tidak ada bukti pendukung yang cukup', en: 'there is not enough supporting evidence' },
  'archiveReason.unclear': { id: 'isi laporan kurang jelas untuk ditindaklanjuti', en: 'the report is too unclear to follow up' },
  'archiveReason.not_government': { id: 'laporan bukan tentang layanan pemerintah', en: 'the report is not about a government service' },
  'archiveReason.expired': { id: 'melewati masa berlaku laporan', en: 'the report has expired' },
  'archiveReason.reporter_request': { id: 'atas permintaan Anda', en: 'at your request' },
  'archiveReason.blocked_content': { id: 'isinya melanggar ketentuan konten', en: 'it breaks the content rules' },
  'archiveReason.unknown': { id: 'tidak dapat ditindaklanjuti', en: 'it cannot be followed up' },
  /** When no body handles it yet (or the name is unknown). */
  'body.unknown': { id: 'instansi', en: 'the agency' },
  'ombudsman.contact': { id: 'Ombudsman RI (telepon 137, ombudsman.go.id)', en: 'Ombudsman RI (phone 137, ombudsman.go.id)' },

  // ---------------------------------------------------------------- SMS: one GSM-7 segment each
  'sms.check': { id: ' Cek: kirim {command} ke 1708', en: ' Check: send {command} to 1708' },
  'sms.ack.triage': { id: 'LAPOR! Laporan diterima, no. {id}. Sedang diverifikasi admin.{check}', en: 'LAPOR! Report received, no. {id}. An admin is verifying it.{check}' },
  'sms.triage.returned': { id: 'LAPOR! Laporan {id} dikembalikan instansi; kini diverifikasi ulang admin nasional.{check}', en: 'LAPOR! Report {id} was returned by the agency; the national admin reviews it again.{check}' },
  'sms.ack.assigned': { id: 'LAPOR! Laporan diterima, no. {id}. Diteruskan ke {who}.{check}', en: 'LAPOR! Report received, no. {id}. Sent to {who}.{check}' },
  'sms.assigned.rerouted': { id: 'LAPOR! Laporan {id} dialihkan ke {who}, instansi yg berwenang.{check}', en: 'LAPOR! Report {id} moved to {who}, the responsible agency.{check}' },
  'sms.assigned.redirected': { id: 'LAPOR! Laporan {id} dialihkan ke {who}.{check}', en: 'LAPOR! Report {id} moved to {who}.{check}' },
  'sms.assigned.verified': { id: 'LAPOR! Laporan {id} diteruskan ke {who}.{check}', en: 'LAPOR! Report {id} sent to {who}.{check}' },
  'sms.accepted': { id: 'LAPOR! Laporan {id} diterima oleh {body} dan akan ditindaklanjuti.{check}', en: 'LAPOR! Report {id} was accepted by {body} and will be followed up.{check}' },
  'sms.disposed': { id: 'LAPOR! Laporan {id} diteruskan ke unit kerja: {unit}.{check}', en: 'LAPOR! Report {id} passed on to the work unit: {unit}.{check}' },
  'sms.in_progress.answered': { id: 'LAPOR! Informasi tambahan untuk laporan {id} sudah diterima; laporan kembali ditindaklanjuti.{check}', en: 'LAPOR! Your extra information for report {id} arrived; the follow-up goes on.{check}' },
  'sms.in_progress': { id: 'LAPOR! Laporan {id} sedang ditindaklanjuti oleh {who}.{check}', en: 'LAPOR! Report {id} is being followed up by {who}.{check}' },
  'sms.waiting_info': { id: 'LAPOR! {id} perlu info: {question} Balas SMS ini dengan jawaban Anda.', en: 'LAPOR! {id} needs info: {question} Reply to this SMS with your answer.' },
  'sms.waiting_info.default': { id: 'mohon lengkapi laporan Anda.', en: 'please complete your report.' },
  'sms.responded': { id: 'LAPOR! {id} ditanggapi: {response} Baca: {status}. Tdk puas: {object}', en: 'LAPOR! {id} answered: {response} Read: {status}. Not satisfied: {object}' },
  'sms.reopened': { id: 'LAPOR! Keberatan atas laporan {id} diterima; laporan dibuka kembali untuk {body}.{check}', en: 'LAPOR! Your objection to report {id} arrived; it is reopened for {body}.{check}' },
  'sms.closed.reporter': { id: 'LAPOR! Laporan {id} ditutup atas konfirmasi Anda. Terima kasih telah melapor.', en: 'LAPOR! Report {id} is closed as you confirmed. Thank you for reporting.' },
  'sms.closed.system': { id: 'LAPOR! Laporan {id} ditutup otomatis (tidak ada keberatan). Belum puas? Hubungi Ombudsman RI: 137', en: 'LAPOR! Report {id} was closed automatically (no objection). Not satisfied? Contact Ombudsman RI: 137' },
  'sms.closed.admin': { id: 'LAPOR! Laporan {id} ditutup oleh admin. Belum puas? Hubungi Ombudsman RI: 137', en: 'LAPOR! Report {id} was closed by an admin. Not satisfied? Contact Ombudsman RI: 137' },
  /** An admin's close that also carries the Ombudsman offer (closed while the reporter objected): one SMS, not two. */
  'sms.closed.admin.offer': { id: 'LAPOR! Laporan {id} ditutup admin saat Anda masih keberatan. Balas {command} untuk meneruskannya ke Ombudsman RI.', en: 'LAPOR! Report {id} was closed by an admin while you objected. Reply {command} to forward it to Ombudsman RI.' },
  'sms.archived': { id: 'LAPOR! Laporan {id} diarsipkan: {reason}. Kirim laporan baru bila perlu.', en: 'LAPOR! Report {id} archived: {reason}. Send a new report if needed.' },
  'sms.merged': { id: 'LAPOR! Laporan {id} digabung dengan laporan {into} yang sama isinya.{check}', en: 'LAPOR! Report {id} was merged with report {into} on the same matter.{check}' },
  'sms.other': { id: 'LAPOR! Laporan {id}: {label}.{check}', en: 'LAPOR! Report {id}: {label}.{check}' },
  'sms.forwarded': { id: 'LAPOR! Laporan {id} telah diteruskan ke Ombudsman RI atas permintaan Anda. Info Ombudsman: telepon 137.', en: 'LAPOR! Report {id} was forwarded to Ombudsman RI at your request. Ombudsman info: phone 137.' },

  // ---------------------------------------------------------------- the Ombudsman RI offer (README "Ombudsman RI")
  'offer.follow-up-overdue': { id: 'Laporan {id} belum ditindaklanjuti tepat waktu. Balas {command} untuk meneruskannya ke Ombudsman RI.', en: 'Report {id} was not followed up in time. Reply {command} to forward it to Ombudsman RI.' },
  'offer.closed-while-objecting': { id: 'Laporan {id} ditutup saat Anda masih keberatan. Balas {command} untuk meneruskannya ke Ombudsman RI.', en: 'Report {id} was closed while you still objected. Reply {command} to forward it to Ombudsman RI.' },
  /** Added for a reporter who sent STOP: the offer is their right, so it still comes once, saying why (short: the SMS stays one segment). */
  'offer.optedOut': { id: 'Dikirim walau Anda STOP: ini hak Anda.', en: 'Sent despite your STOP: it is your right.' },
  'offer.email.subject': { id: '[LAPOR!] Laporan {id} dapat diteruskan ke Ombudsman RI', en: '[LAPOR!] Report {id} can be forwarded to Ombudsman RI' },
  'offer.email.follow-up-overdue': { id: 'Laporan Anda {id} belum ditindaklanjuti instansi dalam batas waktu.', en: 'Your report {id} was not followed up by the agency within the deadline.' },
  'offer.email.closed-while-objecting': { id: 'Laporan Anda {id} ditutup saat Anda masih keberatan atas tanggapan instansi.', en: "Your report {id} was closed while you still objected to the agency's answer." },
  'offer.email.how.link': { id: 'Anda dapat meneruskannya ke Ombudsman Republik Indonesia melalui tombol "Teruskan ke Ombudsman RI" di halaman status laporan: {url}', en: 'You can forward it to the Ombudsman of the Republic of Indonesia with the button on the report\'s status page: {url}' },
  'offer.email.how.noLink': { id: 'Anda dapat meneruskannya ke Ombudsman Republik Indonesia melalui tombol "Teruskan ke Ombudsman RI" di halaman "Cek status laporan" situs LAPOR!', en: 'You can forward it to the Ombudsman of the Republic of Indonesia with the button on the status page of the LAPOR! website.' },

  // ---------------------------------------------------------------- what happened, in full (chat and e-mail)
  'story.received': { id: 'Laporan Anda telah diterima. Nomor pelacakan: {id}', en: 'Your report has been received. Tracking number: {id}' },
  'story.triage.ack': { id: 'Laporan sedang diverifikasi admin nasional sebelum diteruskan ke instansi yang berwenang.', en: 'The national admin is verifying it before sending it to the responsible agency.' },
  'story.triage.returned': { id: 'Laporan {id} dikembalikan oleh instansi karena bukan kewenangannya.', en: 'Report {id} was returned by the agency because it is not its responsibility.' },
  'story.triage.returned.next': { id: 'Admin nasional sedang menentukan instansi yang berwenang.', en: 'The national admin is finding the responsible agency.' },
  'story.assigned.ack': { id: 'Diteruskan ke: {who}', en: 'Sent to: {who}' },
  'story.assigned.rerouted': { id: 'Laporan {id} dikembalikan oleh instansi sebelumnya karena bukan kewenangannya.', en: 'Report {id} was returned by the previous agency because it is not its responsibility.' },
  'story.assigned.rerouted.next': { id: 'Kini dialihkan ke instansi yang berwenang: {who}', en: 'It is now with the responsible agency: {who}' },
  'story.assigned.redirected': { id: 'Laporan {id} dialihkan ke instansi lain yang berwenang: {who}', en: 'Report {id} was moved to another responsible agency: {who}' },
  'story.assigned.verified': { id: 'Laporan {id} telah diverifikasi dan diteruskan ke: {who}', en: 'Report {id} was verified and sent to: {who}' },
  'story.accepted': { id: 'Laporan {id} telah diterima oleh {body} dan akan ditindaklanjuti.', en: 'Report {id} was accepted by {body} and will be followed up.' },
  'story.disposed': { id: 'Laporan {id} telah diteruskan (didisposisikan) ke unit kerja {unit} di {body}.', en: 'Report {id} was passed on to the work unit {unit} at {body}.' },
  'story.disposed.noUnit': { id: 'Laporan {id} telah diteruskan (didisposisikan) ke unit kerja di {body}.', en: 'Report {id} was passed on to a work unit at {body}.' },
  'story.in_progress.answered': { id: 'Informasi tambahan Anda untuk laporan {id} sudah diterima dan diteruskan ke petugas. Laporan kembali ditindaklanjuti.', en: 'Your additional information for report {id} arrived and was passed to the officer. The follow-up goes on.' },
  'story.in_progress': { id: 'Laporan {id} sedang ditindaklanjuti oleh {who}.', en: 'Report {id} is being followed up by {who}.' },
  'story.waiting_info': { id: 'Petugas yang menangani laporan {id} memerlukan informasi tambahan dari Anda:', en: 'The officer handling report {id} needs more information from you:' },
  'story.waiting_info.default': { id: 'Mohon lengkapi laporan Anda.', en: 'Please complete your report.' },
  'story.responded': { id: 'Laporan {id} telah ditanggapi oleh {body}. Tanggapan (tindak lanjut):', en: 'Report {id} was answered by {body}. Their answer:' },
  'story.reopened': { id: 'Keberatan Anda atas tanggapan laporan {id} telah diterima. Laporan dibuka kembali dan dikembalikan kepada {body} untuk ditindaklanjuti lagi.', en: 'Your objection to the answer on report {id} arrived. The report is reopened and back with {body} for further follow-up.' },
  'story.closed.reporter': { id: 'Laporan {id} telah ditutup atas konfirmasi Anda. Terima kasih telah melapor.', en: 'Report {id} is closed as you confirmed. Thank you for reporting.' },
  'story.closed.system': { id: 'Laporan {id} ditutup otomatis oleh sistem karena tidak ada keberatan dalam batas waktu setelah tanggapan diberikan.', en: 'Report {id} was closed automatically: there was no objection within the deadline after the answer.' },
  'story.closed.admin': { id: 'Laporan {id} telah ditutup oleh admin.', en: 'Report {id} was closed by an admin.' },
  'story.closed.ombudsman': { id: 'Jika Anda belum puas dengan penanganannya, Anda dapat mengadu ke {ombudsman}, atau mengirim laporan baru.', en: 'If you are not satisfied with how it was handled, you can turn to {ombudsman}, or send a new report.' },
  'story.archived': { id: 'Laporan {id} diarsipkan karena {reason}.', en: 'Report {id} was archived because {reason}.' },
  'story.archived.onRequest': { id: 'Laporan {id} diarsipkan atas permintaan Anda.', en: 'Report {id} was archived at your request.' },
  'story.archived.thanks': { id: 'Terima kasih.', en: 'Thank you.' },
  'story.archived.next': { id: 'Anda dapat mengirim laporan baru yang lebih lengkap. Jika menurut Anda keputusan ini keliru, Anda dapat mengadu ke {ombudsman}.', en: 'You can send a new, more complete report. If you think this decision is wrong, you can turn to {ombudsman}.' },
  'story.merged': { id: 'Laporan {id} digabungkan dengan laporan {into} yang membahas hal yang sama. Perkembangannya dapat diikuti dengan nomor {into}.', en: 'Report {id} was merged with report {into}, which is about the same matter. Follow it with number {into}.' },
  'story.other': { id: 'Status laporan {id}: {label}', en: 'Status of report {id}: {label}' },
  'story.forwarded': { id: 'Laporan {id} telah diteruskan ke Ombudsman Republik Indonesia atas permintaan Anda.', en: 'Report {id} was forwarded to the Ombudsman of the Republic of Indonesia at your request.' },
  'story.forwarded.next': { id: 'Ombudsman RI akan menghubungi Anda bila diperlukan. Informasi: {ombudsman}.', en: 'Ombudsman RI will contact you if needed. Information: {ombudsman}.' },

  // ---------------------------------------------------------------- chat (Telegram, X DM, WhatsApp)
  'chat.waiting_info': { id: 'Balas pesan ini dengan jawaban Anda: pesan Anda berikutnya di sini akan diteruskan ke petugas.', en: 'Reply to this message with your answer: your next message here goes to the officer.' },
  'chat.responded.confirm': { id: 'Jika sudah puas, kirim {command}.', en: 'If you are satisfied, send {command}.' },
  'chat.responded.object': { id: 'Jika belum puas, kirim {command} diikuti alasan Anda. Tanpa keberatan, laporan ditutup otomatis setelah batas waktu.', en: 'If you are not satisfied, send {command} followed by your reason. Without an objection, the report is closed automatically after the deadline.' },
  'chat.check': { id: 'Cek status kapan saja: {command}', en: 'Check the status any time: {command}' },
  'chat.public.ack': { id: 'Terima kasih, laporan Anda tercatat dengan nomor pelacakan {id}. Demi menjaga kerahasiaan, mohon lanjutkan melalui Direct Message (DM) ke akun ini.', en: 'Thank you, your report is recorded with tracking number {id}. To keep it private, please continue by Direct Message (DM) to this account.' },

  // ---------------------------------------------------------------- e-mail
  'email.subject': { id: '[LAPOR!] Laporan {id}: {label}', en: '[LAPOR!] Report {id}: {label}' },
  'email.subject.forwarded': { id: '[LAPOR!] Laporan {id}: diteruskan ke Ombudsman RI', en: '[LAPOR!] Report {id}: forwarded to Ombudsman RI' },
  'email.greeting': { id: 'Yth. Pelapor,', en: 'Dear reporter,' },
  'email.statusNow': { id: 'Status laporan Anda dengan nomor pelacakan {id} kini: {label}.', en: 'The status of your report with tracking number {id} is now: {label}.' },
  'email.ack': { id: 'Laporan Anda telah kami terima dengan nomor pelacakan {id}. Simpan nomor ini untuk mengecek perkembangannya.', en: 'We have received your report with tracking number {id}. Keep this number to follow its progress.' },
  'email.handledBy': { id: 'Ditangani oleh: {name} ({kind}).', en: 'Handled by: {name} ({kind}).' },
  'email.handledBy.unit': { id: 'Ditangani oleh: {name} ({kind}), unit {unit}.', en: 'Handled by: {name} ({kind}), unit {unit}.' },
  'email.submissionType': { id: 'Jenis laporan: {type}.', en: 'Type of report: {type}.' },
  'email.waitingInfo.link': { id: 'Kirim jawaban Anda melalui tombol "Kirim informasi tambahan" di halaman status laporan: {url}', en: "Send your answer with the button on the report's status page: {url}" },
  'email.waitingInfo.noLink': { id: 'Kirim jawaban Anda melalui tombol "Kirim informasi tambahan" di halaman "Cek status laporan" situs LAPOR!', en: 'Send your answer with the button on the status page of the LAPOR! website.' },
  'email.responded.link': { id: 'Jika sudah puas, atau jika belum puas dan ingin mengajukan keberatan, gunakan tombolnya di halaman status laporan: {url}', en: "Whether you are satisfied or want to object, use the buttons on the report's status page: {url}" },
  'email.responded.noLink': { id: 'Jika sudah puas, atau jika belum puas dan ingin mengajukan keberatan, gunakan tombolnya di halaman "Cek status laporan" situs LAPOR!', en: 'Whether you are satisfied or want to object, use the buttons on the status page of the LAPOR! website.' },
  'email.responded.autoClose': { id: 'Tanpa keberatan, laporan ditutup otomatis setelah batas waktu.', en: 'Without an objection, the report is closed automatically after the deadline.' },
  'email.check.link': { id: 'Cek perkembangan laporan: {url}', en: 'Follow your report: {url}' },
  'email.check.noLink': { id: 'Cek perkembangan laporan di halaman "Cek status laporan" situs LAPOR! dengan nomor {id}.', en: 'Follow your report on the status page of the LAPOR! website with number {id}.' },
  /** Only when the SMS number is set (TWILIO_FROM_NUMBER): CEK works from any phone. */
  'email.check.sms': { id: 'Cek juga lewat SMS: kirim {command} ke {number}.', en: 'Or by SMS: send {command} to {number}.' },
  'email.thanks': { id: 'Terima kasih telah menyampaikan laporan melalui SP4N-LAPOR!', en: 'Thank you for reporting through SP4N-LAPOR!' },
  'email.automatic': { id: 'Pesan ini dikirim otomatis; mohon tidak membalas e-mail ini.', en: 'This message was sent automatically; please do not reply to this e-mail.' },
});
