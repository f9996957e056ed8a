import { randomUUID } from 'node:crypto';
import { Channel, COMPLAINT_STATUS_LABELS, DeskComplaintPage, DeskComplaintSummary, formatTrackingId, SUBMISSION_TYPE_LABELS } from '@lapor/contracts';
import { csrfField, esc, layout, Viewer, wib } from './layout';

export interface QueueFilters {
  status: string;
  unit?: string;
  channel?: string;
  type?: string;
  body?: string;
}

const options = (values: [string, string][], selected: string | undefined) =>
  values.map(([v, label]) => `<option value="${esc(v)}"${v === (selected ?? '') ? ' selected' : ''}>${esc(label)}</option>`).join('');

export function flags(c: Pick<DeskComplaintSummary, 'anonymous' | 'confidential'> & { fastLane?: DeskComplaintSummary['fastLane']; copy?: boolean }): string {
  const lane = c.fastLane ? ` <span class="tag warn" data-flag="priority">Prioritas · ${esc(c.fastLane.name)}</span>` : '';
  const copy = c.copy ? ' <span class="tag" data-flag="copy">Tembusan (hanya baca)</span>' : '';
  return `${lane}${copy}${c.anonymous ? ' <span class="tag">Anonim</span>' : ''}${c.confidential ? ' <span class="tag warn">Rahasia</span>' : ''}`;
}

/** The queue: filters (status, unit, channel, type; body for the national admin), paging, the CSV export. */
/** The national triage queue: assign straight from routing's suggested bodies (or open the complaint to name another). */
function assignForm(viewer: Viewer, c: DeskComplaintSummary): string {
  if (!c.suggestions.length) return '<small>Tidak ada saran; buka laporan untuk menetapkan instansi.</small>';
  const id = `assign-${c.trackingId}`;
  return `<form method="post" action="/desk/laporan/${esc(c.trackingId)}/tindakan" data-action="assign">${csrfField(viewer.csrf)}
<input type="hidden" name="action" value="assign"><input type="hidden" name="idempotencyKey" value="${randomUUID()}">
<label for="${id}">Tetapkan ke</label><select id="${id}" name="body">${c.suggestions.map((s) => `<option value="${esc(s.code)}">${esc(s.name)} (${Math.round(s.confidence * 100)}%)</option>`).join('')}</select>
<button type="submit">Tetapkan</button></form>`;
}

export function queuePage(viewer: Viewer, page: DeskComplaintPage, filters: QueueFilters, title = 'Antrean laporan', action = '/desk/laporan'): string {
  const triage = action === '/desk/triase';
  const admin = viewer.principal.kind === 'officer' && viewer.principal.officer.role === 'national-admin';
  const query = (extra: Record<string, string | number>) => {
    const params = new URLSearchParams(Object.entries({ ...filters, ...extra }).filter(([, v]) => v !== undefined && v !== '') as [string, string][]);
    return params.toString();
  };
  const exportQuery = new URLSearchParams(Object.entries({ ...filters, status: filters.status === 'open' || filters.status === 'all' ? '' : filters.status }).filter(([, v]) => v) as [string, string][]);
  if (filters.status === 'open') for (const s of Object.keys(COMPLAINT_STATUS_LABELS).filter((s) => !['closed', 'archived', 'merged'].includes(s))) exportQuery.append('status', s);
  const rows = page.items
    .map(
      (c) => `<tr>
<td><a href="/desk/laporan/${esc(c.trackingId)}">${esc(formatTrackingId(c.trackingId))}</a>${flags(c)}</td>
<td>${esc(c.statusLabel)}<small>${esc(wib(c.statusAt))}</small></td>
<td>${esc(c.body?.name ?? '–')}${c.unit ? `<small>${esc(c.unit)}</small>` : ''}</td>
<td>${esc(c.channel ?? '')}<small>${esc(c.submissionType ? SUBMISSION_TYPE_LABELS[c.submissionType] : '')}</small></td>
<td>${esc(c.excerpt ?? '')}</td>
<td>${esc(wib(c.registeredAt))}</td>${triage ? `<td>${assignForm(viewer, c)}</td>` : ''}</tr>`,
    )
    .join('');
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  return layout(
    title,
    `<h1>${esc(title)}</h1>
<form method="get" action="${esc(action)}" class="filters" aria-label="Saring antrean">
<div><label for="f-status">Status</label><select id="f-status" name="status">${options([['open', 'Semua yang terbuka'], ['all', 'Semua'], ...Object.entries(COMPLAINT_STATUS_LABELS)], filters.status)}</select></div>
<div><label for="f-unit">Unit kerja</label><input type="text" id="f-unit" name="unit" value="${esc(filters.unit ?? '')}"></div>
<div><label for="f-channel">Kanal</label><select id="f-channel" name="channel">${options([['', 'Semua'], ...Channel.options.map((c) => [c, c] as [string, string])], filters.channel)}</select></div>
<div><label for="f-type">Jenis</label><select id="f-type" name="type">${options([['', 'Semua'], ...Object.entries(SUBMISSION_TYPE_LABELS)], filters.type)}</select></div>
${admin ? `<div><label for="f-body">Instansi (kode)</label><input type="text" id="f-body" name="body" value="${esc(filters.body ?? '')}"></div>` : ''}
<div><button type="submit">Terapkan</button></div>
</form>
<p><span id="total">${page.total}</span> laporan · <a href="/desk/v1/complaints.csv?${esc(exportQuery.toString())}" id="export">Unduh CSV</a></p>
<table><thead><tr><th scope="col">Nomor</th><th scope="col">Status</th><th scope="col">Instansi / unit</th><th scope="col">Kanal / jenis</th><th scope="col">Ringkasan</th><th scope="col">Masuk (WIB)</th>${triage ? '<th scope="col">Saran perutean</th>' : ''}</tr></thead>
<tbody>${rows || `<tr><td colspan="${triage ? 7 : 6}">Tidak ada laporan.</td></tr>`}</tbody></table>
<p class="pager">${page.page > 1 ? `<a href="${esc(action)}?${esc(query({ page: page.page - 1 }))}" rel="prev">← Sebelumnya</a>` : ''}Halaman ${page.page} dari ${pages}${page.page < pages ? ` <a href="${esc(action)}?${esc(query({ page: page.page + 1 }))}" rel="next">Berikutnya →</a>` : ''}</p>`,
    viewer,
  );
}
