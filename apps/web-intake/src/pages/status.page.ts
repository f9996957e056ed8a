import { CitizenTimelineEntry, commandWord, ComplaintView, CONVERSATION_CHANNEL_IDS, ConversationChannelId, CHANNELS, formatTrackingId, REPORTER_KEY_CHANNELS } from '@lapor/contracts';
import type { WebMessageKey } from '@lapor/i18n';
import { bold, esc, link, page, PageContext } from './html';

/** Channels whose reporter acts on this page (the tracking id is their key); the others answer on their own channel. */
export const PAGE_ACTION_CHANNELS: readonly ComplaintView['channel'][] = REPORTER_KEY_CHANNELS;

/** What the status page says after a form was sent (Post/Redirect/Get): `?terkirim=<key>`. */
export const SENT_NOTICES = { informasi: 'action.sent.informasi', keberatan: 'action.sent.keberatan', selesai: 'action.sent.selesai', ombudsman: 'action.sent.ombudsman' } as const satisfies Record<string, WebMessageKey>;

export interface StatusPageOptions {
  /** A one-line outcome after a form was sent (success), or a problem with it. */
  notice?: string;
  problem?: string;
  /** A fresh key for each form on the page, so a double submit counts once. */
  formKey?: string;
  /** What the reporter typed, kept when a form is shown again with a problem. */
  typed?: { text?: string; alasan?: string };
}

/** How a reporter who complained on a chat channel answers there (what the notifier told them too). */
function onChannel(ctx: PageContext, channel: ComplaintView['channel']) {
  const c = channel as ConversationChannelId;
  const where = CONVERSATION_CHANNEL_IDS.includes(c) && c in WHERE ? ctx.t(WHERE[c as keyof typeof WHERE]) : ctx.t('where.other', { channel: CHANNELS[c]?.label ?? channel });
  const reason = ctx.t('action.reasonPlaceholder');
  return {
    where,
    object: (id: string) => `${commandWord(c, 'object')} ${id} <${reason}>`,
    confirm: (id: string) => `${commandWord(c, 'confirm')} ${id}`,
    ombudsman: (id: string) => `${commandWord(c, 'ombudsman')} ${id}`,
  };
}
const WHERE = { sms: 'where.sms', telegram: 'where.telegram', x: 'where.x', whatsapp: 'where.whatsapp' } as const satisfies Partial<Record<ConversationChannelId, WebMessageKey>>;

/** Look up a complaint by its tracking id: its whole timeline, and what the reporter can do now. */
export function statusPage(ctx: PageContext, query: string, view: ComplaintView | null, o: StatusPageOptions = {}): string {
  const { t, h } = ctx;
  const lookup = `<form method="get" action="/lapor/cek"><label for="id">${esc(t('status.lookup.label'))}</label>
<span class="hint" id="id-hint">${esc(t('status.lookup.hint'))}</span>
<input type="text" id="id" name="id" value="${esc(query)}" autocapitalize="characters" autocomplete="off" spellcheck="false" aria-describedby="id-hint${o.problem ? ' problem' : ''}">
<button type="submit">${esc(t('status.lookup.submit'))}</button></form>`;
  const problem = o.problem ? `<p class="error" role="alert" id="problem">${esc(o.problem)}</p>` : '';
  if (!view) return page(ctx, t('status.title'), `<h1>${esc(t('status.title'))}</h1>${problem}${lookup}`);
  const a = view.assignment;
  const zone = view.timeZone;
  const when = (at: string) => localTime(ctx, at, zone);
  const rows = view.history.map((step) => `<tr><td>${esc(when(step.at))}</td><td>${esc(stepLabel(ctx, step))}</td><td>${details(ctx, step)}</td></tr>`).join('');
  const response = [...view.history].reverse().find((step) => step.status === 'responded' && step.message);
  const handledBy = view.status === 'merged' ? '' : !a ? `<p id="assignment-pending">${esc(t('status.pendingHandler'))}</p>` : `<p>${esc(t('status.handledBy'))}: <b id="assignment">${esc(a.kind === 'triage' ? t('kind.triage') : a.name)}</b>${a.kind === 'triage' ? '' : ` (${esc(t(`kind.${a.kind}`))})`}${a.unit ? `, ${esc(a.unit)}` : ''}</p>`;
  return page(
    ctx,
    t('status.heading'),
    `<h1>${esc(t('status.heading'))}</h1>
${o.notice ? `<p class="ok" role="status" id="notice">${esc(o.notice)}</p>` : ''}${problem}
<div class="box"><p class="id">${esc(formatTrackingId(view.trackingId))}</p>
<p>${esc(t('status.current'))}: <b id="status">${esc(statusLabel(ctx, view))}</b></p>
${view.forwardedToOmbudsmanAt ? `<p id="ombudsman">${esc(t('status.ombudsmanForwarded', { at: when(view.forwardedToOmbudsmanAt) }))}</p>` : ''}
${handledBy}
${view.mergedInto ? `<p id="merged">${h('status.merged', { link: link(`/lapor/cek?id=${view.mergedInto}`, formatTrackingId(view.mergedInto)) })}</p>` : ''}
${response ? `<h2>${esc(t('status.response.heading'))}</h2><blockquote class="message" id="response">${esc(response.message).replace(/\n/g, '<br>')}</blockquote>` : ''}
<table id="timeline"><caption>${esc(t('status.timeline.caption', { zone: zone.abbreviation }))}</caption>
<thead><tr><th scope="col">${esc(t('status.timeline.time', { zone: zone.abbreviation }))}</th><th scope="col">${esc(t('status.timeline.step'))}</th><th scope="col">${esc(t('status.timeline.details'))}</th></tr></thead><tbody>${rows}</tbody></table></div>
${statusActions(ctx, view, o)}${ombudsmanAction(ctx, view, o)}
${lookup}`,
  );
}

/**
 * A step's time in the handling body's zone, with the zone's name on every time (a reader in
 * Jakarta looking at a Makassar complaint sees "WITA", not a time that looks like their own).
 */
export function localTime(ctx: PageContext, at: string, zone: ComplaintView['timeZone']): string {
  const formatted = new Date(at).toLocaleString(ctx.locale === 'id' ? 'id-ID' : 'en-GB', { timeZone: zone.name, dateStyle: 'medium', timeStyle: 'short' });
  return `${formatted} ${zone.abbreviation}`;
}

/** In Bahasa Indonesia the router's own label (the lifecycle's); in English the catalogue's. */
function statusLabel(ctx: PageContext, view: ComplaintView): string {
  return ctx.locale === 'id' ? view.statusLabel : ctx.t('label.status', { status: view.status });
}

function stepLabel(ctx: PageContext, step: CitizenTimelineEntry): string {
  return ctx.locale === 'id' ? step.label : ctx.t('label.status', { status: step.event ?? step.status });
}

/** What a step means for the reporter: the body's words, who has it now, why it ended. */
function details(ctx: PageContext, step: CitizenTimelineEntry): string {
  const { t, h } = ctx;
  const parts: string[] = [];
  if (step.message) parts.push(`<blockquote class="message">${esc(step.message).replace(/\n/g, '<br>')}</blockquote>`);
  if (step.handledBy && !step.message) parts.push(esc(step.handledBy));
  if (step.closedBy && step.status === 'closed') parts.push(esc(t('status.timeline.closedBy', { who: t(`closedBy.${step.closedBy}`) })));
  if (step.archiveReason) parts.push(esc(t('status.timeline.archiveReason', { reason: t('label.archiveReason', { reason: step.archiveReason }) })));
  if (step.mergedInto) parts.push(h('status.timeline.mergedInto', { link: link(`/lapor/cek?id=${step.mergedInto}`, formatTrackingId(step.mergedInto)) }));
  return parts.join(' ');
}

/**
 * Forwarding to Ombudsman RI, when the router says the reporter may (the follow-up is
 * overdue, or it was closed while they objected): a button for a web/mobile reporter, the
 * command for a chat reporter.
 */
function ombudsmanAction(ctx: PageContext, view: ComplaintView, o: StatusPageOptions): string {
  if (!view.ombudsmanAvailable) return '';
  const { t, h } = ctx;
  const id = view.trackingId;
  const why = t(view.status === 'closed' ? 'action.ombudsman.whyClosed' : 'action.ombudsman.whyLate');
  if (!PAGE_ACTION_CHANNELS.includes(view.channel)) {
    const c = onChannel(ctx, view.channel);
    return `<div class="box" id="ombudsman-offer"><p>${esc(why)} ${h('action.ombudsman.onChannel', { command: bold(c.ombudsman(id)), where: c.where })}</p></div>`;
  }
  return `<div class="box" id="ombudsman-offer"><h2>${esc(t('action.ombudsman.heading'))}</h2>
<p>${esc(why)} ${esc(t('action.ombudsman.explain'))}</p>
<form method="post" action="/lapor/cek/${esc(id)}/ombudsman" accept-charset="utf-8"><input type="hidden" name="key" value="${esc(o.formKey ?? '')}"><input type="hidden" name="lang" value="${ctx.locale}">
<label for="ombudsman-note">${esc(t('action.ombudsman.note'))}</label><span class="hint" id="ombudsman-note-hint">${esc(t('form.optional'))}</span>
<textarea id="ombudsman-note" name="catatan" maxlength="2000" aria-describedby="ombudsman-note-hint"></textarea>
<button type="submit" id="forward-ombudsman">${esc(t('action.ombudsman.submit'))}</button></form></div>`;
}

function statusActions(ctx: PageContext, view: ComplaintView, o: StatusPageOptions): string {
  const { t, h } = ctx;
  const id = view.trackingId;
  const key = `<input type="hidden" name="key" value="${esc(o.formKey ?? '')}"><input type="hidden" name="lang" value="${ctx.locale}">`;
  const onPage = PAGE_ACTION_CHANNELS.includes(view.channel);
  if (view.status === 'waiting_info') {
    if (!onPage) return `<div class="box" id="actions"><p>${esc(t('action.info.onChannel', { where: onChannel(ctx, view.channel).where }))}</p></div>`;
    return `<div class="box" id="actions"><h2>${esc(t('action.info.heading'))}</h2>
<form method="post" action="/lapor/cek/${esc(id)}/informasi" accept-charset="utf-8">${key}
<label for="info-text">${esc(t('action.info.label'))}</label>
<textarea id="info-text" name="text" required maxlength="5000">${esc(o.typed?.text)}</textarea>
<button type="submit" id="send-info">${esc(t('action.info.submit'))}</button></form></div>`;
  }
  if (view.status === 'responded') {
    if (!onPage) {
      const c = onChannel(ctx, view.channel);
      return `<div class="box" id="actions"><p>${h('action.responded.onChannel', { confirm: bold(c.confirm(id)), object: bold(c.object(id)), where: c.where })}</p></div>`;
    }
    return `<div class="box" id="actions"><h2>${esc(t('action.responded.heading'))}</h2>
<p>${esc(t('action.responded.autoClose'))}</p>
<form method="post" action="/lapor/cek/${esc(id)}/selesai">${key}
<button type="submit" id="confirm">${esc(t('action.confirm'))}</button></form>
<form method="post" action="/lapor/cek/${esc(id)}/keberatan" accept-charset="utf-8">${key}
<label for="objection">${esc(t('action.objection.label'))}</label><span class="hint" id="objection-hint">${esc(t('form.optional'))}</span>
<textarea id="objection" name="alasan" maxlength="2000" aria-describedby="objection-hint">${esc(o.typed?.alasan)}</textarea>
<button type="submit" id="object">${esc(t('action.object'))}</button></form></div>`;
  }
  return '';
}
