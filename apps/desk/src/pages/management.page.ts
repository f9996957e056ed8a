import { ApiTokenView, OFFICER_ROLE_LABELS, OfficerView, ReporterIdentity, WebhookSettingsView, formatTrackingId } from '@lapor/contracts';
import { csrfField, esc, layout, Viewer, wib } from './layout';

export type Notice = { kind: 'ok' | 'error'; text: string; secret?: string };

export const noticeHtml = (n?: Notice) =>
  n ? `<p class="${n.kind}" role="${n.kind === 'error' ? 'alert' : 'status'}" id="notice">${esc(n.text)}</p>${n.secret ? `<p>Catat sekarang, ini hanya ditampilkan sekali:</p><p class="secret" id="secret">${esc(n.secret)}</p>` : ''}` : '';

export const isAdmin = (v: Viewer) => v.principal.kind === 'officer' && v.principal.officer.role === 'national-admin';

const bodyField = (v: Viewer, id: string, value = '') =>
  isAdmin(v) ? `<label for="${id}">Instansi <small>kode wilayah (mis. 32.73) atau slug instansi</small></label><input type="text" id="${id}" name="body" value="${esc(value)}" required>` : '';

export function officersPage(viewer: Viewer, officers: OfficerView[], notice?: Notice): string {
  const rows = officers
    .map(
      (o) => `<tr><td>${esc(o.displayName)}<small>${esc(o.email)}</small></td><td>${esc(OFFICER_ROLE_LABELS[o.role])}</td><td>${esc(o.bodyName ?? '–')}${o.unit ? `<small>${esc(o.unit)}</small>` : ''}</td>
<td>${o.disabledAt ? 'Nonaktif' : o.lockedUntil && new Date(o.lockedUntil) > new Date() ? 'Terkunci' : o.mustChangePassword ? 'Belum ganti kata sandi' : 'Aktif'}<small>terakhir masuk ${esc(wib(o.lastLoginAt))}</small></td>
<td><form method="post" action="/desk/petugas/${esc(o.id)}/atur-ulang" class="inline">${csrfField(viewer.csrf)}<button type="submit" class="secondary" aria-label="Atur ulang sandi ${esc(o.email)}">Atur ulang sandi</button></form>
${o.disabledAt ? '' : `<form method="post" action="/desk/petugas/${esc(o.id)}/nonaktif" class="inline">${csrfField(viewer.csrf)}<button type="submit" class="secondary" aria-label="Nonaktifkan ${esc(o.email)}">Nonaktifkan</button></form>`}</td></tr>`,
    )
    .join('');
  const roles = (isAdmin(viewer) ? (['liaison', 'officer', 'national-admin'] as const) : (['officer', 'liaison'] as const)).map((r) => `<option value="${r}">${esc(OFFICER_ROLE_LABELS[r])}</option>`).join('');
  return layout(
    'Petugas',
    `<h1>Petugas</h1>${noticeHtml(notice)}
<table><thead><tr><th scope="col">Nama</th><th scope="col">Peran</th><th scope="col">Instansi / unit</th><th scope="col">Keadaan</th><th scope="col">Kelola</th></tr></thead><tbody>${rows || '<tr><td colspan="5">Belum ada petugas.</td></tr>'}</tbody></table>
<h2>Tambah petugas</h2>
<form method="post" action="/desk/petugas">${csrfField(viewer.csrf)}
<label for="o-email">E-mail</label><input type="email" id="o-email" name="email" required>
<label for="o-name">Nama</label><input type="text" id="o-name" name="displayName">
<label for="o-role">Peran</label><select id="o-role" name="role">${roles}</select>
${bodyField(viewer, 'o-body')}
<label for="o-unit">Unit kerja <small>wajib untuk petugas unit kerja</small></label><input type="text" id="o-unit" name="unit">
<button type="submit">Tambah</button></form>`,
    viewer,
  );
}

export function tokensPage(viewer: Viewer, tokens: ApiTokenView[], notice?: Notice): string {
  const rows = tokens
    .map(
      (t) => `<tr><td>${esc(t.name)}<small>${esc(t.prefix)}…</small></td><td>${esc(t.bodyCode)}</td><td>${t.readOnly ? 'Hanya baca' : 'Baca dan tindak'}</td><td>${esc(wib(t.createdAt))}<small>oleh ${esc(t.createdBy)}</small></td><td>${esc(wib(t.lastUsedAt))}</td>
<td>${t.revokedAt ? `Dicabut ${esc(wib(t.revokedAt))}` : `<form method="post" action="/desk/token/${esc(t.id)}/cabut">${csrfField(viewer.csrf)}<button type="submit" class="secondary" aria-label="Cabut token ${esc(t.name)}">Cabut</button></form>`}</td></tr>`,
    )
    .join('');
  return layout(
    'Token API',
    `<h1>Token API</h1>${noticeHtml(notice)}
<p>Token API dipakai sistem instansi Anda untuk mengambil dan menindaklanjuti laporan lewat <a href="/desk/v1/openapi.json">API petugas</a> (<code>Authorization: Bearer …</code>). Token hanya ditampilkan sekali saat dibuat.</p>
<table><thead><tr><th scope="col">Nama</th><th scope="col">Instansi</th><th scope="col">Hak</th><th scope="col">Dibuat</th><th scope="col">Terakhir dipakai</th><th scope="col">Cabut</th></tr></thead><tbody>${rows || '<tr><td colspan="6">Belum ada token.</td></tr>'}</tbody></table>
<h2>Buat token</h2>
<form method="post" action="/desk/token">${csrfField(viewer.csrf)}
<label for="t-name">Nama <small>mis. sistem pengaduan kota</small></label><input type="text" id="t-name" name="name" required>
${bodyField(viewer, 't-body')}
<label class="check"><input type="checkbox" id="t-readonly" name="readOnly" value="1"> Hanya baca</label>
<button type="submit">Buat token</button></form>`,
    viewer,
  );
}

export function webhookPage(viewer: Viewer, settings: WebhookSettingsView | null, notice?: Notice): string {
  const s = settings;
  return layout(
    'Webhook',
    `<h1>Webhook instansi</h1>${noticeHtml(notice)}
<p>Sistem instansi Anda dapat menerima setiap pemberitahuan (laporan baru, disposisi, jawaban dan keberatan pelapor) sebagai POST JSON bertanda tangan HMAC-SHA256 (<code>X-Lapor-Signature</code>). Kunci penanda tangan hanya ditampilkan sekali saat webhook diatur atau kuncinya diganti.</p>
${isAdmin(viewer) ? `<form method="get" action="/desk/webhook"><label for="w-show">Instansi</label><input type="text" id="w-show" name="body" value="${esc(s?.bodyCode ?? '')}"><button type="submit">Tampilkan</button></form>` : ''}
${s ? `<div class="box"><p>Instansi: <b>${esc(s.bodyCode)}</b></p><p>URL: <b id="webhook-url">${esc(s.url ?? 'belum diatur')}</b> · versi kunci ${s.keyVersion}</p>${s.enabled ? '' : '<p class="error">Webhook tidak aktif di server ini (AGENCY_WEBHOOK_SECRET belum diatur).</p>'}</div>
<form method="post" action="/desk/webhook">${csrfField(viewer.csrf)}<input type="hidden" name="body" value="${esc(s.bodyCode)}">
<label for="w-url">URL webhook</label><input type="url" id="w-url" name="url" value="${esc(s.url ?? '')}" required>
<button type="submit">Simpan (kunci baru)</button></form>
${s.url ? `<form method="post" action="/desk/webhook/rotasi">${csrfField(viewer.csrf)}<input type="hidden" name="body" value="${esc(s.bodyCode)}"><button type="submit" class="secondary">Ganti kunci</button></form>` : ''}` : ''}`,
    viewer,
  );
}

export function revealPage(viewer: Viewer, trackingId: string, reporter: ReporterIdentity | null): string {
  return layout(
    'Identitas pelapor',
    `<h1>Identitas pelapor ${esc(formatTrackingId(trackingId))}</h1>
<p class="ok" role="status">Pembukaan ini tercatat di log audit beserta alasannya.</p>
<div class="box" id="reporter">${reporter ? `<p>Nama: ${esc(reporter.name ?? '–')}</p><p>E-mail: ${esc(reporter.email ?? '–')}</p><p>Telepon: ${esc(reporter.phone ?? '–')}</p><p>Alamat kanal: ${esc(reporter.channelAddress ?? '–')}</p>` : '<p>Pelapor tidak memberikan identitas.</p>'}</div>
<p><a href="/desk/laporan/${esc(trackingId)}">Kembali ke laporan</a></p>`,
    viewer,
  );
}
