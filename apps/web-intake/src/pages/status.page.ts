import { ARCHIVE_REASONS, ChannelDefinition, CHANNELS, CitizenTimelineEntry, commandWord, ComplaintView, CONVERSATION_CHANNEL_IDS, ConversationChannelId, formatTrackingId, OMBUDSMAN_FORWARDED_LABEL, REPORTER_KEY_CHANNELS } from '@lapor/contracts';
import { esc, page } from './html';

const KIND = { province: 'Pemerintah Provinsi', kota: 'Pemerintah Kota', kabupaten: 'Pemerintah Kabupaten', agency: 'Instansi pusat', triage: 'Tim verifikasi nasional' } as const;
const CLOSED_BY = { reporter: 'atas konfirmasi pelapor', admin: 'oleh admin', system: 'otomatis oleh sistem (tidak ada keberatan)' } as const;

/** Channels whose reporter acts on this page (the tracking id is their key); the others answer on their own channel. */
export const PAGE_ACTION_CHANNELS: readonly ComplaintView['channel'][] = REPORTER_KEY_CHANNELS;

/** How a reporter who complained on a chat channel answers there (what the notifier told them too). */
const ON_CHANNEL = Object.fromEntries(
  CONVERSATION_CHANNEL_IDS.map((c) => [
    c,
    {
      where: (CHANNELS[c] as ChannelDefinition).whereToAnswer ?? `lewat ${CHANNELS[c].label}`,
      object: (id: string) => `${commandWord(c, 'object')} ${id} <alasan>`,
      confirm: (id: string) => `${commandWord(c, 'confirm')} ${id}`,
      ombudsman: (id: string) => `${commandWord(c, 'ombudsman')} ${id}`,
    },
  ]),
) as Record<ConversationChannelId, { where: string; object: (id: string) => string; confirm: (id: string) => string; ombudsman: (id: string) => string }>;

export interface StatusPageOptions {
  /** A one-line outcome after a form was sent (success), or a problem with it. */
  notice?: string;
  problem?: string;
  /** A fresh key for each form on the page, so a double submit counts once. */
  formKey?: string;
  /** What the reporter typed, kept when a form is shown again with a problem. */
  typed?: { text?: string; alasan?: string };
}

/** Look up a complaint by its tracking id: its whole timeline, and what the reporter can do now. */
export function statusPage(query: string, view: ComplaintView | null, problemOrOptions?: string | StatusPageOptions): string {
  const o: StatusPageOptions = typeof problemOrOptions === 'string' ? { problem: problemOrOptions } : (problemOrOptions ?? {});
  const lookup = `<form method="get" action="/lapor/cek"><label for="id">Nomor pelacakan</label>
<input type="text" id="id" name="id" value="${esc(query)}" autocapitalize="characters" autocomplete="off">
<button type="submit">Cek status</button></form>`;
  const problem = o.problem ? `<p class="error" role="alert" id="problem">${esc(o.problem)}</p>` : '';
  if (!view) return page('Cek status laporan', `<h1>Cek status laporan</h1>${problem}${lookup}`);
  const a = view.assignment;
  const zone = view.timeZone;
  const when = (at: string) => new Date(at).toLocaleString('id-ID', { timeZone: zone.name, dateStyle: 'medium', timeStyle: 'short' });
  const rows = view.history
    .map((h) => `<tr><td>${esc(when(h.at))}</td><td>${esc(h.label)}</td><td>${details(h)}</td></tr>`)
    .join('');
  return page(
    'Status laporan',
    `<h1>Status laporan</h1>
${o.notice ? `<p class="ok" role="status" id="notice">${esc(o.notice)}</p>` : ''}${problem}
<div class="box"><p class="id">${esc(formatTrackingId(view.trackingId))}</p>
<p>Status: <b id="status">${esc(view.statusLabel)}</b></p>
${view.forwardedToOmbudsmanAt ? `<p id="ombudsman"><b>${esc(OMBUDSMAN_FORWARDED_LABEL)}</b> (${esc(when(view.forwardedToOmbudsmanAt))}). Ombudsman RI akan menghubungi Anda bila perlu; informasi: telepon 137, ombudsman.go.id.</p>` : ''}
${a && a.kind !== 'triage' && view.status !== 'merged' ? `<p>Ditangani oleh: <b id="assignment">${esc(a.name)}</b> (${esc(KIND[a.kind])})${a.unit ? `, ${esc(a.unit)}` : ''}</p>` : ''}
${view.mergedInto ? `<p id="merged">Laporan ini digabungkan dengan laporan <a href="/lapor/cek?id=${esc(view.mergedInto)}">${esc(formatTrackingId(view.mergedInto))}</a>; ikuti perkembangannya di sana.</p>` : ''}
<table id="timeline"><thead><tr><th>Waktu (${esc(zone.abbreviation)})</th><th>Status</th><th>Keterangan</th></tr></thead><tbody>${rows}</tbody></table></div>
${actions(view, o)}
${lookup}`,
  );
}

/** What a step means for the reporter: the body's words, who has it now, why it ended. */
function details(h: CitizenTimelineEntry): string {
  const parts: string[] = [];
  if (h.message) parts.push(`<blockquote class="message">${esc(h.message).replace(/\n/g, '<br>')}</blockquote>`);
  if (h.handledBy && !h.message) parts.push(esc(h.handledBy));
  if (h.closedBy && h.status === 'closed') parts.push(`Ditutup ${esc(CLOSED_BY[h.closedBy])}`);
  if (h.archiveReason) parts.push(`Alasan: ${esc(ARCHIVE_REASONS[h.archiveReason])}`);
  if (h.mergedInto) parts.push(`Digabungkan dengan <a href="/lapor/cek?id=${esc(h.mergedInto)}">${esc(formatTrackingId(h.mergedInto))}</a>`);
  return parts.join(' ');
}

/**
 * What the reporter can do now. A web/mobile complaint's reporter acts here (the tracking
 * id is their key); a chat reporter is told the command on their channel, where the
 * router knows them by their number or account.
 */
function actions(view: ComplaintView, o: StatusPageOptions): string {
  return `${statusActions(view, o)}${ombudsmanAction(view, o)}`;
}

/**
 * Forwarding to Ombudsman RI, when the router says the reporter may (the follow-up is
 * overdue, or it was closed while they objected): a button for a web/mobile reporter, the
 * command for a chat reporter.
 */
function ombudsmanAction(view: ComplaintView, o: StatusPageOptions): string {
  if (!view.ombudsmanAvailable) return '';
  const id = view.trackingId;
  const why = view.status === 'closed' ? 'Laporan ini ditutup saat Anda masih keberatan.' : 'Laporan ini belum ditindaklanjuti tepat waktu.';
  if (!PAGE_ACTION_CHANNELS.includes(view.channel)) {
    const c = ON_CHANNEL[view.channel as keyof typeof ON_CHANNEL];
    return `<div class="box" id="ombudsman-offer"><p>${why} Anda dapat meneruskannya ke Ombudsman RI: kirim <b>${esc(c.ombudsman(id))}</b> ${esc(c.where)}.</p></div>`;
  }
  return `<div class="box" id="ombudsman-offer"><h2>Teruskan ke Ombudsman RI</h2>
<p>${why} Anda dapat meneruskannya ke Ombudsman Republik Indonesia, lembaga pengawas pelayanan publik. Identitas Anda diteruskan hanya sesuai pilihan Anda saat melapor (Anonim: tidak sama sekali; Rahasia: dirahasiakan).</p>
<form method="post" action="/lapor/cek/${esc(id)}/ombudsman" accept-charset="utf-8"><input type="hidden" name="key" value="${esc(o.formKey ?? '')}">
<label for="ombudsman-note">Catatan untuk Ombudsman RI <small>boleh dikosongkan</small></label>
<textarea id="ombudsman-note" name="catatan" maxlength="2000"></textarea>
<button type="submit" id="forward-ombudsman">Teruskan ke Ombudsman RI</button></form></div>`;
}

function statusActions(view: ComplaintView, o: StatusPageOptions): string {
  const id = view.trackingId;
  const key = esc(o.formKey ?? '');
  const onPage = PAGE_ACTION_CHANNELS.includes(view.channel);
  if (view.status === 'waiting_info') {
    if (!onPage) return `<div class="box" id="actions"><p>Petugas menunggu informasi tambahan dari Anda. Balas ${esc(ON_CHANNEL[view.channel as keyof typeof ON_CHANNEL].where)}.</p></div>`;
    return `<div class="box" id="actions"><h2>Petugas memerlukan informasi tambahan</h2>
<form method="post" action="/lapor/cek/${esc(id)}/informasi" accept-charset="utf-8">
<input type="hidden" name="key" value="${key}">
<label for="info-text">Jawaban Anda</label>
<textarea id="info-text" name="text" required maxlength="5000">${esc(o.typed?.text)}</textarea>
<button type="submit" id="send-info">Kirim informasi tambahan</button></form></div>`;
  }
  if (view.status === 'responded') {
    if (!onPage) {
      const c = ON_CHANNEL[view.channel as keyof typeof ON_CHANNEL];
      return `<div class="box" id="actions"><p>Sudah puas? Kirim <b>${esc(c.confirm(id))}</b>. Belum puas? Kirim <b>${esc(c.object(id))}</b>, ${esc(c.where)}. Tanpa keberatan, laporan ditutup otomatis setelah batas waktu.</p></div>`;
    }
    return `<div class="box" id="actions"><h2>Bagaimana tanggapan instansi?</h2>
<p>Tanpa keberatan, laporan ditutup otomatis setelah batas waktu.</p>
<form method="post" action="/lapor/cek/${esc(id)}/selesai"><input type="hidden" name="key" value="${key}">
<button type="submit" id="confirm">Saya puas, tutup laporan</button></form>
<form method="post" action="/lapor/cek/${esc(id)}/keberatan" accept-charset="utf-8"><input type="hidden" name="key" value="${key}">
<label for="objection">Belum puas? Tulis alasan keberatan Anda <small>boleh dikosongkan</small></label>
<textarea id="objection" name="alasan" maxlength="2000">${esc(o.typed?.alasan)}</textarea>
<button type="submit" id="object">Saya tidak puas (ajukan keberatan)</button></form></div>`;
  }
  return '';
}
