import {
  DEADLINE_STAGE_LABELS,
  DeadlinePolicy,
  DeadlinePolicyDocument,
  DeadlineRule,
  DeadlineStage,
  LegalBasis,
  SUBMISSION_TYPE_LABELS,
  SubmissionType,
  WorkingWeekView,
} from '@lapor/contracts';
import { csrfField, esc, layout, Viewer, wib } from './layout';
import { isAdmin, Notice, noticeHtml } from './management.page';

const STAGES = Object.keys(DEADLINE_STAGE_LABELS) as DeadlineStage[];

function duration(rule: DeadlineRule): string {
  return 'workingDays' in rule ? `${rule.workingDays} hari kerja` : `${rule.hours} jam`;
}

function basis(b: LegalBasis): string {
  if ('localPolicy' in b) return `Kebijakan lokal: ${esc(b.note)}`;
  return `${esc(b.regulation)}${b.article ? `, ${esc(b.article)}` : ''}${b.note ? `<small>${esc(b.note)}</small>` : ''}`;
}

/**
 * The deadline policy in force (docs/deadlines.md), for every official; the national admin
 * changes each stage's default length here (a new audited version that applies to stages
 * starting afterwards; deadlines already running keep theirs).
 */
export function deadlinePolicyPage(viewer: Viewer, doc: DeadlinePolicyDocument, notice?: Notice): string {
  const rows = STAGES.map((stage) => {
    const rules = doc.policy.stages[stage];
    const overrides = Object.entries(rules.bySubmissionType)
      .map(([type, rule]) => `<li>${esc(SUBMISSION_TYPE_LABELS[type as SubmissionType])}: ${esc(duration(rule!))} · ${basis(rule!.basis)}</li>`)
      .join('');
    return `<tr><th scope="row">${esc(DEADLINE_STAGE_LABELS[stage])}</th><td>${esc(duration(rules.default))}</td><td>${basis(rules.default.basis)}${overrides ? `<ul>${overrides}</ul>` : ''}</td></tr>`;
  }).join('');
  const form = isAdmin(viewer)
    ? `<h2>Ubah kebijakan</h2>
<form method="post" action="/desk/tenggat" id="policy-form">${csrfField(viewer.csrf)}
<p class="hint">Perubahan berlaku untuk tahap yang dimulai setelah disimpan; tenggat yang sedang berjalan tidak berubah. Setiap perubahan tercatat di log audit.</p>
${STAGES.map((stage) => {
  const rule = doc.policy.stages[stage].default;
  return `<label for="stage-${stage}">${esc(DEADLINE_STAGE_LABELS[stage])} <small>hari kerja (0–365)${'hours' in rule ? `; kini ${rule.hours} jam, kosongkan agar tetap` : ''}</small></label>
<input type="number" id="stage-${stage}" name="stage-${stage}" min="0" max="365" step="1" inputmode="numeric" value="${'workingDays' in rule ? rule.workingDays : ''}">`;
}).join('\n')}
<label for="policy-note">Dasar perubahan <small>wajib bila ada yang diubah; tahap yang diubah dicatat sebagai kebijakan lokal dengan dasar ini</small></label>
<textarea id="policy-note" name="note" maxlength="500"></textarea>
<button type="submit">Simpan kebijakan tenggat</button></form>`
    : '<p class="hint">Hanya admin nasional yang dapat mengubah kebijakan tenggat.</p>';
  return layout(
    'Kebijakan tenggat',
    `<h1>Kebijakan tenggat</h1>${noticeHtml(notice)}
<p id="policy-version">Versi ${doc.version}${doc.changedAt ? ` · diubah ${esc(wib(doc.changedAt))} oleh ${esc(doc.changedBy ?? '–')}` : ' · dari berkas kebijakan bawaan'}</p>
<table><caption>Tenggat setiap tahap (hari kerja instansi: Senin–Jumat atau enam hari, di luar libur nasional dan cuti bersama)</caption>
<thead><tr><th scope="col">Tahap</th><th scope="col">Tenggat</th><th scope="col">Dasar</th></tr></thead><tbody>${rows}</tbody></table>
${form}`,
    viewer,
  );
}

/**
 * The national admin's form as a new policy: every stage whose number changed gets that many
 * working days, marked local policy with the admin's stated basis. Null when nothing changed.
 * The result is validated by DeadlinePolicy (a missing or short basis is refused there).
 */
export function deadlinePolicyFromForm(current: DeadlinePolicy, form: Record<string, string | undefined>): unknown {
  const next = structuredClone(current) as { stages: Record<DeadlineStage, { default: unknown }> };
  let changed = false;
  for (const stage of STAGES) {
    const raw = form[`stage-${stage}`]?.trim();
    if (!raw) continue;
    const days = Number(raw);
    const rule = current.stages[stage].default;
    if ('workingDays' in rule && rule.workingDays === days) continue;
    next.stages[stage].default = { workingDays: days, basis: { localPolicy: true, note: (form.note ?? '').trim() } };
    changed = true;
  }
  return changed ? next : null;
}

/** A body's working week: its liaison (own body) or the national admin (any body) declares a six-day week. */
export function workingWeekPage(viewer: Viewer, week: WorkingWeekView | null, notice?: Notice): string {
  const chooser = isAdmin(viewer)
    ? `<form method="get" action="/desk/hari-kerja"><label for="week-body">Instansi <small>kode wilayah (mis. 32.73) atau slug instansi</small></label><input type="text" id="week-body" name="body" value="${esc(week?.bodyCode ?? '')}" required><button type="submit">Tampilkan</button></form>`
    : '';
  const form = week
    ? `<div class="box"><p>Instansi: <b>${esc(week.bodyCode)}</b></p><p id="working-week">Kini: <b>${week.sixDayWeek ? 'enam hari kerja (Senin–Sabtu)' : 'lima hari kerja (Senin–Jumat)'}</b>${week.updatedAt ? ` · diubah ${esc(wib(week.updatedAt))}` : ''}</p></div>
<form method="post" action="/desk/hari-kerja">${csrfField(viewer.csrf)}<input type="hidden" name="body" value="${esc(week.bodyCode)}">
<fieldset><legend>Pekan kerja instansi</legend>
<label class="choice"><input type="radio" name="sixDayWeek" value="0"${week.sixDayWeek ? '' : ' checked'}> Lima hari (Senin–Jumat)</label>
<label class="choice"><input type="radio" name="sixDayWeek" value="1"${week.sixDayWeek ? ' checked' : ''}> Enam hari (Senin–Sabtu)</label>
</fieldset>
<button type="submit">Simpan pekan kerja</button></form>`
    : '';
  return layout(
    'Hari kerja',
    `<h1>Hari kerja instansi</h1>${noticeHtml(notice)}
<p>Tenggat dihitung dalam hari kerja instansi, di luar libur nasional dan cuti bersama. Instansi yang melayani enam hari dapat menyatakannya di sini; perubahan berlaku untuk tahap yang dimulai setelahnya dan tercatat di log audit.</p>
${chooser}${form}`,
    viewer,
  );
}
