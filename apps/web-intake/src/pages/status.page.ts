import { ComplaintView, formatTrackingId } from '@lapor/contracts';
import { esc, page } from './html';

const KIND = { province: 'Pemerintah Provinsi', kota: 'Pemerintah Kota', kabupaten: 'Pemerintah Kabupaten', agency: 'Instansi pusat', triage: 'Tim verifikasi nasional' } as const;

/** Look up a complaint by its tracking id. */
export function statusPage(query: string, view: ComplaintView | null, problem?: string): string {
  const form = `<form method="get" action="/lapor/cek"><label for="id">Nomor pelacakan</label>
<input type="text" id="id" name="id" value="${esc(query)}" autocapitalize="characters" autocomplete="off">
<button type="submit">Cek status</button></form>`;
  if (!view) return page('Cek status laporan', `<h1>Cek status laporan</h1>${problem ? `<p class="error" role="alert">${esc(problem)}</p>` : ''}${form}`);
  const a = view.assignment;
  const rows = view.history.map((h) => `<tr><td>${esc(new Date(h.at).toLocaleString('id-ID', { timeZone: 'Asia/Jakarta' }))}</td><td>${esc(h.label)}</td></tr>`).join('');
  return page(
    'Status laporan',
    `<h1>Status laporan</h1>
<div class="box"><p class="id">${esc(formatTrackingId(view.trackingId))}</p>
<p>Status: <b id="status">${esc(view.statusLabel)}</b></p>
${a && a.kind !== 'triage' ? `<p>Ditangani oleh: <b id="assignment">${esc(a.name)}</b> (${esc(KIND[a.kind])})${a.unit ? `, ${esc(a.unit)}` : ''}</p>` : ''}
<table><thead><tr><th>Waktu (WIB)</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table></div>
${form}`,
  );
}
