import { randomUUID } from 'node:crypto';
import {
  ARCHIVE_REASONS,
  ComplaintActionName,
  DEADLINE_STAGE_LABELS,
  DeskComplaintDetail,
  formatTrackingId,
  OFFICER_ROLE_LABELS,
  OfficerRole,
  OMBUDSMAN_FORWARDED_LABEL,
  SUBMISSION_TYPE_LABELS,
} from '@lapor/contracts';
import { csrfField, esc, layout, Viewer, wib } from './layout';
import { flags } from './queue.page';

const ACTION_TITLES: Record<ComplaintActionName, string> = {
  assign: 'Tetapkan instansi',
  accept: 'Terima laporan',
  return: 'Kembalikan (bukan kewenangan instansi ini)',
  forward: 'Teruskan ke instansi lain',
  dispose: 'Disposisikan ke unit kerja',
  start: 'Mulai tindak lanjut',
  'request-info': 'Minta informasi dari pelapor',
  'provide-info': 'Informasi dari pelapor',
  respond: 'Beri tanggapan (tindak lanjut)',
  object: 'Keberatan pelapor',
  close: 'Tutup laporan',
  archive: 'Arsipkan',
  merge: 'Gabungkan dengan laporan lain',
  classify: 'Ubah jenis laporan',
  escalate: 'Eskalasi (tenggat terlewati)',
  'forward-ombudsman': 'Diteruskan ke Ombudsman RI',
};

const field = (id: string, name: string, label: string, input: string) => `<label for="${id}">${label}</label>${input.replace('<INPUT', `<input id="${id}" name="${name}"`).replace('<TEXTAREA', `<textarea id="${id}" name="${name}"`).replace('<SELECT', `<select id="${id}" name="${name}"`)}`;

/** The fields of one action's form (ids prefixed with the action, so every label has its own input). */
function actionFields(action: ComplaintActionName, d: DeskComplaintDetail): string {
  const id = (f: string) => `${action}-${f}`;
  const unitList = (d.decision?.unit?.alternatives ?? []).map((a) => `<option value="${esc(a.unit)}">`).join('');
  switch (action) {
    case 'assign': {
      const suggestions = (d.decision?.alternatives ?? []).map((a) => `<option value="${esc(a.code)}">${esc(a.name)} (${Math.round(a.confidence * 100)}%)</option>`).join('');
      return field(id('body'), 'body', 'Instansi <small>kode wilayah (mis. 32.73) atau slug instansi</small>', `<INPUT type="text" required list="${id('bodies')}">`) + `<datalist id="${id('bodies')}">${suggestions}</datalist>` + field(id('unit'), 'unit', 'Unit kerja (opsional)', `<INPUT type="text" list="${id('units')}">`) + `<datalist id="${id('units')}">${unitList}</datalist>` + field(id('note'), 'note', 'Catatan (opsional)', '<TEXTAREA></textarea>');
    }
    case 'return':
      return field(id('reason'), 'reason', 'Alasan <small>mengapa bukan kewenangan instansi ini</small>', '<TEXTAREA required></textarea>');
    case 'forward':
      return field(id('body'), 'body', 'Instansi tujuan <small>kode wilayah atau slug instansi</small>', '<INPUT type="text" required>') + field(id('reason'), 'reason', 'Alasan', '<TEXTAREA required></textarea>');
    case 'dispose':
      return field(id('unit'), 'unit', 'Unit kerja', `<INPUT type="text" required list="${id('units')}">`) + `<datalist id="${id('units')}">${unitList}</datalist>` + field(id('note'), 'note', 'Catatan (opsional)', '<TEXTAREA></textarea>');
    case 'request-info':
      return field(id('question'), 'question', 'Pertanyaan untuk pelapor <small>dikirim ke kanal pelapor (SMS: ringkas)</small>', '<TEXTAREA required maxlength="1000"></textarea>');
    case 'respond':
      return field(id('response'), 'response', 'Tanggapan (tindak lanjut) <small>dikirim ke pelapor; lewat SMS sebagai ringkasan</small>', '<TEXTAREA required maxlength="5000"></textarea>');
    case 'archive':
      return field(id('reason'), 'reason', 'Alasan arsip', `<SELECT required>${Object.entries(ARCHIVE_REASONS).map(([v, l]) => `<option value="${v}">${esc(l)}</option>`).join('')}</select>`) + field(id('note'), 'note', 'Catatan (opsional)', '<TEXTAREA></textarea>');
    case 'merge':
      return field(id('into'), 'into', 'Nomor laporan tujuan', '<INPUT type="text" required>') + field(id('note'), 'note', 'Catatan (opsional)', '<TEXTAREA></textarea>');
    case 'classify':
      return field(id('type'), 'submissionType', 'Jenis laporan', `<SELECT required>${Object.entries(SUBMISSION_TYPE_LABELS).map(([v, l]) => `<option value="${v}"${v === d.submissionType ? ' selected' : ''}>${esc(l)}</option>`).join('')}</select>`);
    default:
      return field(id('note'), 'note', 'Catatan (opsional)', '<TEXTAREA></textarea>');
  }
}

/** A complaint: messages, the routing explanation, the timeline, and a form for every action allowed now. */
export function detailPage(viewer: Viewer, d: DeskComplaintDetail, notice?: { kind: 'ok' | 'error'; text: string }): string {
  const admin = viewer.principal.kind === 'officer' && viewer.principal.officer.role === 'national-admin';
  const a = d.assignment;
  const messages = d.messages.map((m) => `<li><small>${esc(wib(m.at))} · ${esc(m.channel)}</small><p>${esc(m.text)}</p>${attachmentList(d.trackingId, m.attachments)}</li>`).join('');
  const evidence = (d.decision?.evidence ?? []).map((e) => `<li>${esc(e.detail)}</li>`).join('');
  const unit = d.decision?.unit;
  const timeline = d.timeline
    .map((t) => {
      const who = t.actor ? (t.actor.kind === 'officer' ? `${esc(t.actor.displayName ?? '')} (${esc(OFFICER_ROLE_LABELS[t.actor.role as OfficerRole] ?? t.actor.role ?? 'petugas')})` : t.actor.kind === 'reporter' ? 'Pelapor' : 'Sistem') : '';
      return `<tr${t.escalation ? ' class="escalation"' : ''}><td>${esc(wib(t.at))}</td><td>${esc(t.label)}</td><td>${who}</td><td>${esc(t.note ?? '')}${t.reporterMessage ? `<small>Untuk pelapor: ${esc(t.reporterMessage)}</small>` : ''}</td></tr>`;
    })
    .join('');
  const forms = d.availableActions
    .filter((x) => x !== 'provide-info' && x !== 'object')
    .map(
      (action) => `<details><summary>${esc(ACTION_TITLES[action])}</summary>
<form method="post" action="/desk/laporan/${esc(d.trackingId)}/tindakan" data-action="${esc(action)}">${csrfField(viewer.csrf)}
<input type="hidden" name="action" value="${esc(action)}"><input type="hidden" name="expectedVersion" value="${d.version}"><input type="hidden" name="idempotencyKey" value="${randomUUID()}">
${actionFields(action, d)}
<button type="submit">${esc(ACTION_TITLES[action])}</button></form></details>`,
    )
    .join('');
  const reporter = d.copy
    ? `<p>Pelapor: ${d.anonymous ? '<b>Anonim</b>; ' : ''}identitas hanya untuk instansi penanggung jawab.</p>`
    : d.anonymous
    ? `<p>Pelapor: <b>Anonim</b> (identitas tidak ditampilkan kepada instansi).</p>${admin ? `<details><summary>Buka identitas pelapor (admin nasional)</summary><form method="post" action="/desk/laporan/${esc(d.trackingId)}/identitas">${csrfField(viewer.csrf)}<label for="reveal-reason">Alasan <small>wajib; dicatat di log audit</small></label><textarea id="reveal-reason" name="reason" required minlength="10"></textarea><button type="submit">Buka identitas</button></form></details>` : ''}`
    : d.reporter
      ? `<p>Pelapor: ${esc([d.reporter.name, d.reporter.email, d.reporter.phone].filter(Boolean).join(' · ') || '(tanpa identitas)')}</p>`
      : '<p>Pelapor: (tanpa identitas)</p>';
  return layout(
    `Laporan ${formatTrackingId(d.trackingId)}`,
    `<h1>Laporan <span id="tracking-id">${esc(formatTrackingId(d.trackingId))}</span>${flags({ ...d, overdue: d.overdue?.map((o) => o.stage) })}</h1>
${notice ? `<p class="${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}" id="notice">${esc(notice.text)}</p>` : ''}
${d.copy ? `<p class="box" id="copy-notice">Tembusan jalur cepat${d.fastLane ? ` "${esc(d.fastLane.name)}"` : ''}: instansi Anda menerima salinan ini untuk koordinasi dan hanya dapat membacanya. Tindakan dilakukan oleh instansi penanggung jawab.</p>` : ''}
<div class="box"><p>Status: <b id="status">${esc(d.statusLabel)}</b> · Jenis: ${esc(SUBMISSION_TYPE_LABELS[d.submissionType])} · Kanal: ${esc(d.channel)}</p>
<p>Instansi: <b id="body">${esc(a && a.kind !== 'triage' ? a.name : 'Triase nasional')}</b>${a?.unit ? ` · Unit kerja: <b id="unit">${esc(a.unit)}</b>` : ''}</p>
${reporter}
${d.forwardedToOmbudsmanAt ? `<p id="ombudsman"><b>${esc(OMBUDSMAN_FORWARDED_LABEL)}</b> oleh pelapor, ${esc(wib(d.forwardedToOmbudsmanAt))} WIB</p>` : ''}
<p><small>Masuk ${esc(wib(d.receivedAt))} WIB · versi ${d.version}</small></p></div>
${deadlinesBox(d)}
<h2>Isi laporan</h2><ol class="messages">${messages}</ol>
<h2>Penjelasan perutean</h2>
${d.decision ? `<p>${esc(d.decision.name)} (keyakinan ${Math.round(d.decision.confidence * 100)}%)</p><ul>${evidence}</ul>${unit ? `<p>Saran unit kerja: <b id="unit-suggestion">${esc(unit.unit ?? '–')}</b> (${Math.round(unit.confidence * 100)}%)${unit.alternatives.length ? `; alternatif: ${unit.alternatives.map((u) => `${esc(u.unit)} (${Math.round(u.confidence * 100)}%)`).join(', ')}` : ''}</p>` : ''}` : '<p>Tidak ada.</p>'}
<h2>Riwayat</h2>
<table><thead><tr><th scope="col">Waktu (WIB)</th><th scope="col">Status</th><th scope="col">Oleh</th><th scope="col">Catatan</th></tr></thead><tbody id="timeline">${timeline}</tbody></table>
<h2>Tindakan</h2>
${forms || '<p>Tidak ada tindakan yang dapat Anda lakukan pada status ini.</p>'}`,
    viewer,
  );
}

/** The stages' deadlines still running, and which passed (escalated): times in WIB like the rest of the page. */
function deadlinesBox(d: DeskComplaintDetail): string {
  const overdue = (d.overdue ?? []).map((o) => `<li class="overdue">Tenggat ${esc(DEADLINE_STAGE_LABELS[o.stage])} terlewati (${esc(wib(o.dueAt))} WIB); dieskalasi ke ${esc(o.escalatedTo)}</li>`);
  const open = (d.deadlines ?? []).filter((t) => t.state === 'open').map((t) => `<li>Tenggat ${esc(DEADLINE_STAGE_LABELS[t.stage])}: ${esc(wib(t.dueAt))} WIB</li>`);
  if (!overdue.length && !open.length) return '';
  return `<div class="box" id="deadlines"><h2>Tenggat</h2><ul>${[...overdue, ...open].join('')}</ul></div>`;
}

/**
 * A message's files: stored ones (EXIF removed) as thumbnails or links through the desk's
 * scoped download route; the rest (a fetch that failed, a voice note) named by what they are.
 */
function attachmentList(trackingId: string, attachments: DeskComplaintDetail['messages'][number]['attachments']): string {
  if (!attachments.length) return '';
  const items = attachments.map((a) => {
    if (!a.storageKey) return `<li>${esc(a.name ?? a.kind)} <small>(belum tersimpan)</small></li>`;
    const href = `/desk/v1/complaints/${encodeURIComponent(trackingId)}/attachments/${a.storageKey.slice(4)}`;
    const label = esc(a.name ?? (a.kind === 'image' ? 'Foto' : 'Dokumen'));
    return a.kind === 'image'
      ? `<li><a href="${href}" target="_blank" rel="noopener"><img src="${href}" alt="${label}" loading="lazy" style="max-width:12rem;max-height:9rem"></a></li>`
      : `<li><a href="${href}" download>${label}</a></li>`;
  });
  return `<ul class="attachments" aria-label="Lampiran">${items.join('')}</ul>`;
}
