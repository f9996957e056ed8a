import { DeadlineStage, FastLaneView } from '@lapor/contracts';
import { csrfField, esc, layout, Viewer, wib } from './layout';
import type { Notice } from './management.page';

/** Stage names as the national admin reads them. */
export const DEADLINE_STAGE_LABELS: Record<DeadlineStage, string> = {
  verification: 'Verifikasi admin',
  acceptance: 'Diterima instansi',
  'first-response': 'Tanggapan pertama',
  'follow-up': 'Tindak lanjut selesai',
};

const list = (raw: string | undefined) => (raw ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean);

/** A date field (YYYY-MM-DD) means the start of that day in WIB, the time zone the national admin works in. */
const startOfDayWib = (raw: string | undefined) => (raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00+07:00`).toISOString() : undefined);

/** The console form's fields as the API's FastLaneInput (validated by the caller with the same schema). */
export function fastLaneFromForm(form: Record<string, string | undefined>): unknown {
  const deadlines = Object.fromEntries(
    DeadlineStage.options
      .filter((s) => form[`deadline-${s}`]?.trim())
      .map((s) => [s, { [form[`deadline-${s}-unit`] === 'workingDays' ? 'workingDays' : 'hours']: Number(form[`deadline-${s}`]) }]),
  );
  return {
    slug: form.slug,
    name: form.name,
    ...(form.description?.trim() ? { description: form.description } : {}),
    active: form.active !== '0',
    rules: { keywords: list(form.keywords), labels: list(form.labels), regions: list(form.regions), from: startOfDayWib(form.from), until: startOfDayWib(form.until) },
    deadlines,
    coordinatingBodies: list(form.coordinatingBodies),
  };
}

function deadlineText(l: FastLaneView): string {
  const entries = Object.entries(l.deadlines) as [DeadlineStage, { hours?: number; workingDays?: number }][];
  if (!entries.length) return 'mengikuti kebijakan tenggat';
  return entries.map(([s, d]) => `${DEADLINE_STAGE_LABELS[s]}: ${d.hours ? `${d.hours} jam` : `${d.workingDays} hari kerja`}`).join('; ');
}

/** The national admin's page: the lanes, a switch for each, and the form to declare one. */
export function fastLanesPage(viewer: Viewer, lanes: FastLaneView[], notice?: Notice): string {
  const rows = lanes
    .map(
      (l) => `<tr id="lane-${esc(l.slug)}"><td><b>${esc(l.name)}</b><small>${esc(l.slug)} · versi ${l.version}</small></td>
<td>${l.active ? '<span class="tag warn">Aktif</span>' : '<span class="tag">Nonaktif</span>'}</td>
<td>${l.rules.keywords.length ? `Kata kunci: ${esc(l.rules.keywords.join(', '))}` : ''}${l.rules.labels.length ? `<small>Label unit: ${esc(l.rules.labels.join(', '))}</small>` : ''}<small>Wilayah: ${esc(l.rules.regions.join(', ') || 'seluruh Indonesia')}</small><small>Periode: ${esc(l.rules.from ? wib(l.rules.from) : '–')} s.d. ${esc(l.rules.until ? wib(l.rules.until) : '–')}</small></td>
<td>${esc(deadlineText(l))}</td>
<td>${esc(l.coordinatingBodies.map((b) => b.name).join(', ') || '–')}</td>
<td><form method="post" action="/desk/jalur-cepat/${esc(l.id)}/status">${csrfField(viewer.csrf)}<input type="hidden" name="active" value="${l.active ? '0' : '1'}"><button type="submit" class="secondary" aria-label="${l.active ? 'Nonaktifkan' : 'Aktifkan'} ${esc(l.name)}">${l.active ? 'Nonaktifkan' : 'Aktifkan'}</button></form></td></tr>`,
    )
    .join('');
  const stageFields = DeadlineStage.options
    .map(
      (s) => `<div><label for="d-${s}">${esc(DEADLINE_STAGE_LABELS[s])}</label><input type="number" min="1" id="d-${s}" name="deadline-${s}">
<select id="d-${s}-unit" name="deadline-${s}-unit" aria-label="Satuan tenggat ${esc(DEADLINE_STAGE_LABELS[s])}"><option value="hours">jam</option><option value="workingDays">hari kerja</option></select></div>`,
    )
    .join('');
  return layout(
    'Jalur cepat',
    `<h1>Jalur cepat</h1>${notice ? `<p class="${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}" id="notice">${esc(notice.text)}</p>` : ''}
<p>Laporan yang cocok dengan jalur cepat yang aktif ditandai prioritas, tampil paling atas di antrean, mendapat tenggat jalur ini, dan tembusannya (hanya baca) dikirim ke instansi koordinasi. Setiap perubahan tercatat di log audit.</p>
<table><thead><tr><th scope="col">Jalur</th><th scope="col">Keadaan</th><th scope="col">Aturan</th><th scope="col">Tenggat</th><th scope="col">Tembusan ke</th><th scope="col">Ubah</th></tr></thead><tbody>${rows || '<tr><td colspan="6">Belum ada jalur cepat.</td></tr>'}</tbody></table>
<h2>Nyatakan jalur cepat</h2>
<form method="post" action="/desk/jalur-cepat">${csrfField(viewer.csrf)}
<label for="l-name">Nama</label><input type="text" id="l-name" name="name" required>
<label for="l-slug">Kode <small>huruf kecil dan tanda hubung, mis. banjir-jateng-2026</small></label><input type="text" id="l-slug" name="slug" required>
<label for="l-description">Dasar / keterangan (opsional)</label><textarea id="l-description" name="description"></textarea>
<label for="l-keywords">Kata kunci <small>dipisah koma; cukup salah satu</small></label><input type="text" id="l-keywords" name="keywords">
<label for="l-labels">Label unit (level 2) <small>dipisah koma, mis. Dinas Kesehatan</small></label><input type="text" id="l-labels" name="labels">
<label for="l-regions">Wilayah <small>kode provinsi atau kota/kabupaten, dipisah koma; kosong = seluruh Indonesia</small></label><input type="text" id="l-regions" name="regions">
<label for="l-from">Berlaku untuk laporan sejak (WIB)</label><input type="date" id="l-from" name="from">
<label for="l-until">sampai sebelum (WIB)</label><input type="date" id="l-until" name="until">
<fieldset class="filters"><legend>Tenggat jalur ini (kosong = kebijakan biasa)</legend>${stageFields}</fieldset>
<label for="l-bodies">Instansi koordinasi (tembusan) <small>slug instansi atau kode wilayah, dipisah koma, mis. bnpb, kemenkes, ksp</small></label><input type="text" id="l-bodies" name="coordinatingBodies">
<button type="submit">Nyatakan jalur cepat</button></form>`,
    viewer,
  );
}
