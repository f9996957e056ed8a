import { ComplaintView, formatTrackingId } from '@lapor/contracts';
import type { Region, RegionLevel } from '../services/region-directory';
import type { DeadlineSummary, StageDuration } from '../services/deadline-summary';
import { bold, esc, link, page, PageContext } from './html';

/** The form's fields as posted (all text; the controller turns them into the API's shape). */
export interface FormValues {
  text?: string;
  lokasi?: string;
  provinsi?: string;
  kabupaten?: string;
  kecamatan?: string;
  desa?: string;
  lat?: string;
  lon?: string;
  name?: string;
  email?: string;
  phone?: string;
  anonymous?: string;
  confidential?: string;
  idempotencyKey: string;
}

/** The place picker's field for each level, from the province down. */
export const PLACE_FIELDS = { province: 'provinsi', regency: 'kabupaten', district: 'kecamatan', village: 'desa' } as const satisfies Record<RegionLevel, keyof FormValues>;
const PLACE_LABELS = { province: 'form.place.province', regency: 'form.place.regency', district: 'form.place.district', village: 'form.place.village' } as const;

/** One select of the picker: the regions to choose from at that level, and the one chosen. */
export interface PlaceStep {
  level: RegionLevel;
  options: Region[];
  selected?: Region;
}

export interface FormPageOptions {
  errors?: Record<string, string[]>;
  notice?: string;
  /** The reporter pressed "Lanjut" with files chosen: the browser does not keep them. */
  filesDropped?: boolean;
}

const fieldError = (errors: Record<string, string[]>, field: string) =>
  errors[field] ? `<p class="error" id="${esc(field)}-error">${esc(errors[field].join('; '))}</p>` : '';
const describedBy = (errors: Record<string, string[]>, field: string, hint?: string) => {
  const ids = [hint, errors[field] ? `${field}-error` : undefined].filter(Boolean);
  return ids.length ? ` aria-describedby="${esc(ids.join(' '))}"` : '';
};
const invalid = (errors: Record<string, string[]>, field: string) => (errors[field] ? ' aria-invalid="true"' : '');

/**
 * The web form: what happened, where (a province → kabupaten/kota → kecamatan → desa picker
 * that works as server-side steps without JavaScript, plus free text and, with JavaScript,
 * the phone's position), how to reach the reporter, and Anonim/Rahasia explained in place.
 */
export function complaintFormPage(ctx: PageContext, values: FormValues, steps: PlaceStep[], o: FormPageOptions = {}): string {
  const { t } = ctx;
  const errors = o.errors ?? {};
  const checked = (v?: string) => (v ? ' checked' : '');
  const location = errors['location'] ?? errors['location.lat'] ?? errors['location.lon'];
  const chosen = steps.filter((s) => s.selected).map((s) => s.selected!.name);
  return page(
    ctx,
    t('form.title'),
    `<h1>${esc(t('form.heading'))}</h1>
<p>${esc(t('form.intro'))}</p>
${o.notice ? `<p class="error" role="alert">${esc(o.notice)}</p>` : ''}
${Object.keys(errors).length ? `<p class="error" role="alert">${esc(t('form.checkFields'))}</p>` : ''}
<form id="report" method="post" action="/lapor" accept-charset="utf-8" enctype="multipart/form-data">
<input type="hidden" name="idempotencyKey" value="${esc(values.idempotencyKey)}">
<input type="hidden" name="lang" value="${ctx.locale}">
<label for="text">${esc(t('form.text.label'))}</label>
<span class="hint" id="text-hint">${esc(t('form.text.hint'))}</span>
<textarea id="text" name="text" required minlength="10" maxlength="5000"${describedBy(errors, 'text', 'text-hint')}${invalid(errors, 'text')}>${esc(values.text)}</textarea>
${fieldError(errors, 'text')}
<fieldset id="place"><legend>${esc(t('form.place.legend'))}</legend>
<span class="hint" id="place-hint">${esc(t('form.place.hint'))}</span>
<div id="place-steps">${steps.map((s) => placeSelect(ctx, s)).join('\n')}</div>
${fieldError(errors, 'regionCode')}
<p id="place-chosen" aria-live="polite">${chosen.length ? esc(t('form.place.chosen', { name: chosen.reverse().join(', ') })) : ''}</p>
<div class="actions"><input type="submit" class="secondary" id="place-next" name="langkah" value="${esc(t('form.place.next'))}" formnovalidate>
<button type="button" class="secondary" id="use-location" hidden>${esc(t('form.place.useMyLocation'))}</button></div>
<p id="location-status" aria-live="polite">${values.lat && values.lon ? esc(t('form.place.located', { lat: values.lat, lon: values.lon })) : ''}</p>
${location ? `<p class="error" id="location-error">${esc(location.join('; '))}</p>` : ''}
<input type="hidden" id="lat" name="lat" value="${esc(values.lat)}"><input type="hidden" id="lon" name="lon" value="${esc(values.lon)}">
<label for="lokasi">${esc(t('form.place.detail'))}</label>
<span class="hint" id="lokasi-hint">${esc(t('form.place.detailHint'))}</span>
<input type="text" id="lokasi" name="lokasi" maxlength="300" autocomplete="street-address" value="${esc(values.lokasi)}" aria-describedby="lokasi-hint">
</fieldset>
<fieldset><legend>${esc(t('form.contact.legend'))}</legend>
<label for="name">${esc(t('form.name.label'))}</label>
<span class="hint" id="name-hint">${esc(t('form.optional'))}</span>
<input type="text" id="name" name="name" maxlength="200" autocomplete="name" value="${esc(values.name)}"${describedBy(errors, 'reporter.name', 'name-hint')}${invalid(errors, 'reporter.name')}>
${fieldError(errors, 'reporter.name')}
<label for="email">${esc(t('form.email.label'))}</label>
<span class="hint" id="email-hint">${esc(t('form.email.hint'))}</span>
<input type="email" id="email" name="email" autocomplete="email" value="${esc(values.email)}"${describedBy(errors, 'reporter.email', 'email-hint')}${invalid(errors, 'reporter.email')}>
${fieldError(errors, 'reporter.email')}
<label for="phone">${esc(t('form.phone.label'))}</label>
<span class="hint" id="phone-hint">${esc(t('form.phone.hint'))}</span>
<input type="tel" id="phone" name="phone" autocomplete="tel" value="${esc(values.phone)}"${describedBy(errors, 'reporter.phone', 'phone-hint')}${invalid(errors, 'reporter.phone')}>
${fieldError(errors, 'reporter.phone')}
</fieldset>
<label for="lampiran">${esc(t('form.files.label'))}</label>
<span class="hint" id="lampiran-hint">${esc(t('form.files.hint'))}</span>
${o.filesDropped ? `<p class="error" id="files-again">${esc(t('form.place.filesAgain'))}</p>` : ''}
<input type="file" id="lampiran" name="lampiran" multiple accept="image/jpeg,image/png,image/webp,image/gif,application/pdf,.docx,.xlsx,.odt,.ods"${describedBy(errors, 'attachments', 'lampiran-hint')}>
${fieldError(errors, 'attachments')}
<fieldset><legend>${esc(t('form.identity.legend'))}</legend>
<div class="check"><input type="checkbox" id="anonymous" name="anonymous" value="1"${checked(values.anonymous)} aria-describedby="anonymous-explain">
<div><label for="anonymous">${esc(t('form.anonymous.label'))}</label><span class="hint" id="anonymous-explain">${esc(t('form.anonymous.explain'))}</span></div></div>
<div class="check"><input type="checkbox" id="confidential" name="confidential" value="1"${checked(values.confidential)} aria-describedby="confidential-explain">
<div><label for="confidential">${esc(t('form.confidential.label'))}</label><span class="hint" id="confidential-explain">${esc(t('form.confidential.explain'))}</span></div></div>
</fieldset>
<button type="submit" id="submit-report">${esc(t('form.submit'))}</button>
</form>`,
    enhancement(ctx),
  );
}

function placeSelect(ctx: PageContext, step: PlaceStep): string {
  const field = PLACE_FIELDS[step.level];
  const options = step.options.map((r) => `<option value="${esc(r.code)}"${r.code === step.selected?.code ? ' selected' : ''}>${esc(r.name)}</option>`).join('');
  return `<div class="step" data-level="${step.level}"><label for="place-${field}">${esc(ctx.t(PLACE_LABELS[step.level]))}</label>
<select id="place-${field}" name="${field}" aria-describedby="place-hint"><option value="">${esc(ctx.t('form.place.choose'))}</option>${options}</select></div>`;
}

/**
 * Progressive enhancement, only where JavaScript runs: choosing a region fills the next select
 * from GET /api/v1/regions/{code} without leaving the page (so chosen files stay), and
 * "Gunakan lokasi saya" puts the phone's position into lat/lon. Without it, "Lanjut" posts the
 * form and the server renders the next select.
 */
function enhancement(ctx: PageContext): string {
  const { t } = ctx;
  const words = {
    levels: ['province', 'regency', 'district', 'village'],
    fields: PLACE_FIELDS,
    labels: Object.fromEntries(Object.entries(PLACE_LABELS).map(([level, key]) => [level, t(key)])),
    choose: t('form.place.choose'),
    locating: t('form.place.locating'),
    located: t('form.place.located'),
    failed: t('form.place.locationFailed'),
    lang: ctx.locale,
  };
  // "Lanjut" leaves the DOM, so Enter in a field sends the report (the first submit button is the form's default).
  // JSON inside <script>: "<" escaped so no value can close the element.
  return `(function(){var W=${JSON.stringify(words).replace(/</g, '\\u003c')};
var steps=document.getElementById('place-steps'),next=document.getElementById('place-next');if(!steps||!window.fetch)return;next.remove();
function step(level,children){var f=W.fields[level],d=document.createElement('div');d.className='step';d.dataset.level=level;
var l=document.createElement('label');l.htmlFor='place-'+f;l.textContent=W.labels[level];var s=document.createElement('select');s.id='place-'+f;s.name=f;s.setAttribute('aria-describedby','place-hint');
s.add(new Option(W.choose,''));children.forEach(function(c){s.add(new Option(c.name,c.code))});d.appendChild(l);d.appendChild(s);steps.appendChild(d)}
steps.addEventListener('change',function(e){var d=e.target.closest('.step'),i=W.levels.indexOf(d.dataset.level);
while(d.nextElementSibling)steps.removeChild(d.nextElementSibling);if(!e.target.value||i>=W.levels.length-1)return;
fetch('/api/v1/regions/'+encodeURIComponent(e.target.value)+'?lang='+W.lang).then(function(r){return r.ok?r.json():null}).then(function(b){if(b&&b.children.length)step(W.levels[i+1],b.children)}).catch(function(){})});
var use=document.getElementById('use-location'),st=document.getElementById('location-status');if(!navigator.geolocation)return;use.hidden=false;
use.addEventListener('click',function(){st.textContent=W.locating;navigator.geolocation.getCurrentPosition(function(p){var lat=p.coords.latitude.toFixed(6),lon=p.coords.longitude.toFixed(6);
document.getElementById('lat').value=lat;document.getElementById('lon').value=lon;st.textContent=W.located.replace('{lat}',lat).replace('{lon}',lon)},function(){st.textContent=W.failed},{enableHighAccuracy:true,timeout:15000})})})();`;
}

export interface AcceptedPageData {
  trackingId: string;
  /** The router's view, once it has registered the complaint (null in the first moments). */
  view: ComplaintView | null;
  deadlines: DeadlineSummary;
  anonymous: boolean;
  confidential: boolean;
}

/** After sending: the tracking number, who handles it, the deadlines that apply, how to follow it, and what Anonim/Rahasia mean. */
export function complaintAcceptedPage(ctx: PageContext, d: AcceptedPageData): string {
  const { t, h } = ctx;
  const id = d.trackingId;
  const statusUrl = `/lapor/cek?id=${id}`;
  const during = (x: StageDuration) => ('workingDays' in x ? t('duration.workingDays', { count: x.workingDays }) : t('duration.hours', { count: x.hours }));
  const a = d.view?.assignment;
  const handler = !a
    ? h('next.handler.pending', { link: link(statusUrl, t('next.statusPageLink')) })
    : a.kind === 'triage'
      ? h('next.handler.triage', { duration: during(d.deadlines.verification) })
      : h('next.handler.known', { name: bold(`${a.name}${a.unit ? `, ${a.unit}` : ''}`, 'handler') });
  const choices = [d.anonymous ? t('form.anonymous.label') : '', d.confidential ? t('form.confidential.label') : ''].filter(Boolean);
  return page(
    ctx,
    t('accepted.title'),
    `<h1>${esc(t('accepted.heading'))}</h1>
<div class="box"><p>${esc(t('accepted.trackingId'))}:</p><p class="id" id="tracking-id">${esc(formatTrackingId(id))}</p>
<p>${esc(t('accepted.keep'))}</p></div>
<section id="what-next" aria-labelledby="what-next-heading"><h2 id="what-next-heading">${esc(t('next.heading'))}</h2>
<p id="handler-line">${handler}</p>
<ol class="steps" id="deadlines">
${a ? '' : `<li>${esc(t('next.step.verification', { duration: during(d.deadlines.verification) }))}</li>`}
<li>${esc(t('next.step.acceptance', { duration: during(d.deadlines.acceptance) }))}</li>
<li>${esc(t('next.step.firstResponse', { duration: during(d.deadlines.firstResponse), information: during(d.deadlines.firstResponseInformationRequest) }))}</li>
<li>${esc(t('next.step.followUp', { duration: during(d.deadlines.followUp) }))}</li>
<li>${esc(t('next.step.confirm'))}</li>
</ol>
<p>${esc(t('next.workingDays'))} ${esc(t('next.updates'))}</p>
<h2>${esc(t('next.check.heading'))}</h2>
<ul id="check-status">
<li>${h('next.check.web', { link: link(statusUrl, t('next.statusPageLink')) })}</li>
<li>${h('next.check.sms', { command: bold(`CEK ${id}`) })}</li>
<li>${h('next.check.chat', { command: bold(`CEK ${id}`) })}</li>
</ul>
<h2>${esc(t('next.choices.heading'))}</h2>
<p id="choices">${esc(choices.length ? t('next.choices.chosen', { choices: choices.join(', ') }) : t('next.choices.none'))}</p>
<dl><dt><b>${esc(t('form.anonymous.label'))}</b></dt><dd>${esc(t('form.anonymous.explain'))}</dd>
<dt><b>${esc(t('form.confidential.label'))}</b></dt><dd>${esc(t('form.confidential.explain'))}</dd></dl>
</section>
<p><a class="button-link" href="/lapor">${esc(t('accepted.another'))}</a></p>`,
  );
}
