import { OFFICER_ROLE_LABELS } from '@lapor/contracts';
import type { Principal } from '../access/principal';

/** Escapes text for HTML; every value from a request, the router or the database goes through it. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function wib(iso: string | Date | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString('id-ID', { timeZone: 'Asia/Jakarta', dateStyle: 'medium', timeStyle: 'short' });
}

/** The hidden CSRF field every console form carries. */
export function csrfField(token: string): string {
  return `<input type="hidden" name="_csrf" value="${esc(token)}">`;
}

export interface Viewer {
  principal: Principal;
  csrf: string;
}

/**
 * The console frame: server-rendered, no scripts, one small stylesheet, so it works on a
 * low-end laptop. Focus is always visible and every control is at least 44 px high.
 */
export function layout(title: string, body: string, viewer?: Viewer): string {
  const o = viewer?.principal.kind === 'officer' ? viewer.principal.officer : null;
  const manager = o && o.role !== 'officer';
  const nav = o
    ? `<nav aria-label="Menu utama"><ul>
<li><a href="/desk/laporan">Antrean laporan</a></li>
<li><a href="/desk/statistik">Statistik</a></li>
<li><a href="/desk/tenggat">Tenggat</a></li>
${o.role === 'national-admin' ? '<li><a href="/desk/triase">Triase nasional</a></li><li><a href="/desk/jalur-cepat">Jalur cepat</a></li>' : ''}
${manager ? '<li><a href="/desk/petugas">Petugas</a></li><li><a href="/desk/token">Token API</a></li><li><a href="/desk/webhook">Webhook</a></li><li><a href="/desk/hari-kerja">Hari kerja</a></li>' : ''}
</ul>
<form method="post" action="/desk/keluar" class="inline">${csrfField(viewer!.csrf)}<span class="who">${esc(o.displayName)} · ${esc(OFFICER_ROLE_LABELS[o.role])}${o.bodyName ? ` · ${esc(o.bodyName)}` : ''}${o.unit ? ` · ${esc(o.unit)}` : ''}</span> <button type="submit" class="secondary">Keluar</button></form></nav>`
    : '';
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Meja Instansi LAPOR!</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:72rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}
header{border-bottom:3px solid #c8102e;margin-bottom:1rem;display:flex;gap:1rem;align-items:baseline}header a{color:#c8102e;text-decoration:none;font-weight:700;font-size:1.3rem}
nav ul{list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.25rem 1rem}nav a{display:inline-block;min-height:44px;line-height:44px}
.who{color:#444}.inline{display:inline}
a,button,input,select,textarea,summary{font-size:1rem}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
label{display:block;font-weight:600;margin-top:.8rem}small,.hint{display:block;color:#555;font-weight:400}
input[type=text],input[type=email],input[type=password],input[type=url],input[type=number],input[type=date],input[type=datetime-local],select,textarea{width:100%;max-width:36rem;box-sizing:border-box;min-height:44px;padding:.5rem;border:1px solid #777;border-radius:4px}
textarea{min-height:6rem}
button,.button{min-height:44px;min-width:44px;margin-top:.6rem;padding:.5rem 1.1rem;background:#c8102e;color:#fff;border:0;border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#555}
.error{color:#a00;font-weight:600}.ok{color:#0a6b2d;font-weight:600}.box{border:1px solid #ccc;border-radius:6px;padding:1rem;margin:1rem 0}
.secret{font-family:ui-monospace,monospace;font-size:1.1rem;background:#fff7d6;padding:.5rem;border:1px dashed #b58900;word-break:break-all}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #e5e5e5;vertical-align:top}
.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:end}.filters label{margin-top:.3rem}.filters select,.filters input{width:auto}
details{margin:.5rem 0;border:1px solid #ddd;border-radius:4px;padding:.3rem .8rem}summary{min-height:44px;line-height:44px;cursor:pointer;font-weight:600}
.tag{display:inline-block;padding:0 .4rem;border-radius:3px;background:#eee;font-size:.85rem}.tag.warn{background:#fde2e2}
.pager a{margin-right:1rem}
fieldset{border:1px solid #ccc;border-radius:4px;margin:.8rem 0;max-width:36rem}legend{font-weight:600}
label.choice,label.check{display:flex;align-items:center;gap:.6rem;min-height:44px;margin:0;font-weight:400;cursor:pointer}label.choice input,label.check input{width:1.4rem;height:1.4rem;margin:0}
</style>
</head>
<body>
<header><a href="/desk">Meja Instansi LAPOR!</a><span>SP4N-LAPOR! untuk pejabat penghubung dan petugas</span></header>
${nav}
<main id="isi">
${body}
</main>
</body>
</html>`;
}

export function errorPage(status: number, message: string, viewer?: Viewer): string {
  const title = status === 404 ? 'Tidak ditemukan' : status === 403 ? 'Tidak diizinkan' : status === 409 ? 'Tidak dapat dilakukan' : status >= 500 ? 'Terjadi kesalahan' : 'Permintaan tidak valid';
  return layout(title, `<h1>${esc(title)}</h1><p class="error" role="alert">${esc(message)}</p><p><a href="/desk/laporan">Kembali ke antrean</a></p>`, viewer);
}
