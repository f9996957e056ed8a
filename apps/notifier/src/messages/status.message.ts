import { ArchiveReason, ComplaintStatus, ComplaintStatusChangedPayload, formatTrackingId, OmbudsmanReason, SubmissionType } from '@lapor/contracts';
import { Locale, notificationMessages, toLocale, translator } from '@lapor/i18n';
import type { CitizenChannel } from '../entities';
import { MessageLinks, RenderedMessage, sms, smsWith, statusPageUrl, syntaxOf } from './message';

type T = ReturnType<typeof translator<typeof notificationMessages>>;

/** The notifier's messages in one language. */
export const notificationTexts = (locale: Locale): T => translator(notificationMessages, locale);

/** A status's label in the reporter's language (libs/contracts has the Indonesian ones for officials). */
export const statusLabelIn = (t: T, status: ComplaintStatus) => t(`status.${status}`);
/** Why a complaint was archived, in plain words: completes "archived because ..." / "archived: ...". */
export const archiveReasonIn = (t: T, reason: ArchiveReason | null | undefined) => t(reason ? `archiveReason.${reason}` : 'archiveReason.unknown');
const submissionTypeIn = (t: T, type: SubmissionType) => t(`submissionType.${type}`);

/**
 * Statuses with no message of their own: `received` is acknowledged with the routing outcome,
 * `returned` with the re-routing that follows it in the same step. A missed deadline is the
 * officials' business: the reporter hears of it only through the Ombudsman offer.
 */
export function isSilent(p: ComplaintStatusChangedPayload): boolean {
  return p.status === 'received' || p.status === 'returned' || !!p.escalation;
}

/** Why the reporter may go to Ombudsman RI now. */
const offerReason = (p: ComplaintStatusChangedPayload): OmbudsmanReason => (p.status === 'closed' ? 'closed-while-objecting' : 'follow-up-overdue');

/**
 * The Ombudsman RI offer on its own (an overdue follow-up: the escalation itself is silent),
 * with how to answer on this channel. SMS: one GSM-7 segment. A status message that comes
 * with an offer (closed while the reporter objected) carries it itself: see renderStatus.
 * `optedOut`: the reporter sent STOP; the offer still comes (it is their right, once) and says why.
 */
export function renderOmbudsmanOffer(p: ComplaintStatusChangedPayload, channel: CitizenChannel, links: MessageLinks = {}, optedOut = false): RenderedMessage {
  const locale = toLocale(p.locale);
  const t = notificationTexts(locale);
  const reason = offerReason(p);
  const why = optedOut ? [t('offer.optedOut')] : [];
  if (channel === 'sms') return sms([t(`offer.${reason}`, { id: p.trackingId, command: syntaxOf('sms', locale).ombudsman(p.trackingId) }), ...why].join(' '));
  const id = formatTrackingId(p.trackingId);
  if (channel !== 'email') return { body: [t(`offer.${reason}`, { id, command: syntaxOf(channel, locale).ombudsman(p.trackingId) }), ...why].join('\n') };
  return email(t, locale, t('offer.email.subject', { id }), [...offerEmailLines(p, t, locale, links), ...why], links, p.trackingId, false);
}

function offerEmailLines(p: ComplaintStatusChangedPayload, t: T, locale: Locale, links: MessageLinks): string[] {
  const id = formatTrackingId(p.trackingId);
  const page = statusPageUrl(links.publicBaseUrl, p.trackingId, locale);
  return [t(`offer.email.${offerReason(p)}`, { id }), page ? t('offer.email.how.link', { url: page }) : t('offer.email.how.noLink')];
}

/** The reporter's forward reached the gateway: it goes to Ombudsman RI now. */
function renderForwarded(p: ComplaintStatusChangedPayload, channel: CitizenChannel, t: T, locale: Locale, links: MessageLinks): RenderedMessage {
  if (channel === 'sms') return sms(t('sms.forwarded', { id: p.trackingId }));
  const id = formatTrackingId(p.trackingId);
  const body = [t('story.forwarded', { id }), t('story.forwarded.next', { ombudsman: t('ombudsman.contact') })];
  if (channel !== 'email') return { body: body.join('\n') };
  const page = statusPageUrl(links.publicBaseUrl, p.trackingId, locale);
  return email(t, locale, t('email.subject.forwarded', { id }), [...body, '', page ? t('email.check.link', { url: page }) : t('email.check.noLink', { id })], links, p.trackingId, false);
}

/**
 * A status change, told to the complainant in their language (the complaint's `locale`),
 * always with the tracking id. The first message after registration (previous status
 * `received`) doubles as the acknowledgement, so an SMS complainant gets one SMS, not two,
 * when a complaint is filed. SMS: one GSM-7 segment (the body's words are shortened, never
 * the id or how to answer); chat and e-mail carry the body's response and question in full.
 * A change that comes with the Ombudsman offer (`ombudsmanOffer`) says both in one message.
 */
export function renderStatus(p: ComplaintStatusChangedPayload, channel: CitizenChannel, links: MessageLinks = {}): RenderedMessage {
  const locale = toLocale(p.locale);
  const t = notificationTexts(locale);
  if (p.event === 'forwarded-ombudsman') return renderForwarded(p, channel, t, locale, links);
  if (channel === 'email') return renderEmail(p, t, locale, links);
  if (channel === 'sms') return renderSms(p, t, locale);
  return { body: chatLines(p, channel, t, locale).join('\n') };
}

/** The first status after registration: the message that acknowledges a new complaint. */
export const isAcknowledgement = (p: ComplaintStatusChangedPayload) => p.status !== 'received' && (p.previousStatus === 'received' || p.previousStatus === null);

const handledBy = (p: ComplaintStatusChangedPayload) =>
  p.assignment && p.assignment.kind !== 'triage' ? `${p.assignment.name}${p.assignment.unit ? ` (${p.assignment.unit})` : ''}` : null;
const bodyName = (p: ComplaintStatusChangedPayload, t: T) => (p.assignment && p.assignment.kind !== 'triage' ? p.assignment.name : t('body.unknown'));
/** Moved to another body after it had one: returned (re-routed), forwarded, or re-assigned by the admin. */
const isRedirect = (p: ComplaintStatusChangedPayload) => p.status === 'assigned' && !isAcknowledgement(p) && p.previousStatus !== 'triage';
/**
 * Closed by an admin while the reporter objected: the close and the Ombudsman offer are one
 * message (the close alone would name Ombudsman RI's phone line, and a second SMS the offer).
 */
export const carriesOmbudsmanOffer = (p: ComplaintStatusChangedPayload) => p.status === 'closed' && p.closedBy === 'admin' && !!p.ombudsmanOffer && !p.event;

// ---------------------------------------------------------------- SMS (one GSM-7 segment)

function renderSms(p: ComplaintStatusChangedPayload, t: T, locale: Locale): RenderedMessage {
  const id = p.trackingId;
  const s = syntaxOf('sms', locale);
  const check = t('sms.check', { command: s.status(id) });
  const who = handledBy(p) ?? t('body.unknown');
  const withWho = (key: Parameters<T>[0]) => smsWith(t(key, { id, check }), 'who', who);
  switch (p.status) {
    case 'triage':
      return sms(t(isAcknowledgement(p) ? 'sms.ack.triage' : 'sms.triage.returned', { id, check }));
    case 'assigned':
      if (isAcknowledgement(p)) return withWho('sms.ack.assigned');
      if (p.previousStatus === 'returned') return withWho('sms.assigned.rerouted');
      return withWho(isRedirect(p) ? 'sms.assigned.redirected' : 'sms.assigned.verified');
    case 'accepted':
      return smsWith(t('sms.accepted', { id, check }), 'body', bodyName(p, t));
    case 'disposed':
      return smsWith(t('sms.disposed', { id, check }), 'unit', p.assignment?.unit ?? who);
    case 'in_progress':
      if (p.previousStatus === 'waiting_info') return sms(t('sms.in_progress.answered', { id, check }));
      return withWho('sms.in_progress');
    case 'waiting_info':
      return smsWith(t('sms.waiting_info', { id }), 'question', p.reporterMessage ?? t('sms.waiting_info.default'));
    case 'responded':
      return smsWith(t('sms.responded', { id, status: s.status(id), object: s.object(id) }), 'response', p.reporterMessage ?? statusLabelIn(t, 'responded'));
    case 'reopened':
      return smsWith(t('sms.reopened', { id, check }), 'body', bodyName(p, t));
    case 'closed':
      if (p.closedBy === 'reporter') return sms(t('sms.closed.reporter', { id }));
      if (carriesOmbudsmanOffer(p)) return sms(t('sms.closed.admin.offer', { id, command: s.ombudsman(id) }));
      return sms(t(p.closedBy === 'system' ? 'sms.closed.system' : 'sms.closed.admin', { id }));
    case 'archived':
      return smsWith(t('sms.archived', { id }), 'reason', archiveReasonIn(t, p.archiveReason));
    case 'merged':
      return sms(t('sms.merged', { id, into: p.mergedInto ?? '-', check: p.mergedInto ? t('sms.check', { command: s.status(p.mergedInto) }) : '' }));
    default:
      return sms(t('sms.other', { id, label: statusLabelIn(t, p.status), check }));
  }
}

// ---------------------------------------------------------------- chat (Telegram, X DM, WhatsApp)

function chatLines(p: ComplaintStatusChangedPayload, channel: Exclude<CitizenChannel, 'sms' | 'email'>, t: T, locale: Locale): string[] {
  const id = formatTrackingId(p.trackingId);
  const s = syntaxOf(channel, locale);
  const lines = story(p, id, t);
  if (carriesOmbudsmanOffer(p)) lines.splice(-1, 1, t('offer.closed-while-objecting', { id, command: s.ombudsman(p.trackingId) }));
  if (p.status === 'waiting_info') lines.push(t('chat.waiting_info'));
  if (p.status === 'responded') {
    lines.push(t('chat.responded.confirm', { command: s.confirm(p.trackingId) }));
    lines.push(t('chat.responded.object', { command: s.object(p.trackingId) }));
  }
  lines.push(t('chat.check', { command: s.status(p.mergedInto ?? p.trackingId) }));
  return lines;
}

// ---------------------------------------------------------------- e-mail

function renderEmail(p: ComplaintStatusChangedPayload, t: T, locale: Locale, links: MessageLinks): RenderedMessage {
  const id = formatTrackingId(p.trackingId);
  const label = statusLabelIn(t, p.status);
  const target = p.mergedInto ?? p.trackingId;
  const page = statusPageUrl(links.publicBaseUrl, target, locale);
  const lines = [t('email.statusNow', { id, label }), ''];
  if (isAcknowledgement(p)) {
    lines.push(t('email.ack', { id }));
    if (p.status === 'triage') lines.push(...story(p, id, t).slice(1));
  } else {
    lines.push(...story(p, id, t));
  }
  if (carriesOmbudsmanOffer(p)) lines.splice(-1, 1, ...offerEmailLines(p, t, locale, links));
  if (p.assignment && p.assignment.kind !== 'triage' && p.status !== 'merged') {
    const { name, kind, unit } = p.assignment;
    lines.push(unit ? t('email.handledBy.unit', { name, kind: t(`kind.${kind}`), unit }) : t('email.handledBy', { name, kind: t(`kind.${kind}`) }));
  }
  if (p.submissionType && p.submissionType !== 'complaint') lines.push(t('email.submissionType', { type: submissionTypeIn(t, p.submissionType) }));
  lines.push('');
  if (p.status === 'waiting_info') lines.push(page ? t('email.waitingInfo.link', { url: page }) : t('email.waitingInfo.noLink'));
  else if (p.status === 'responded') {
    lines.push(page ? t('email.responded.link', { url: page }) : t('email.responded.noLink'));
    lines.push(t('email.responded.autoClose'));
  } else lines.push(page ? t('email.check.link', { url: page }) : t('email.check.noLink', { id: formatTrackingId(target) }));
  return email(t, locale, t('email.subject', { id, label }), lines, links, target, true);
}

/**
 * Every e-mail to a reporter: greeting, the lines, how to check by SMS when the SMS number is
 * set, the closing. Plain text; the sender adds an HTML part with the same content.
 */
function email(t: T, locale: Locale, subject: string, lines: string[], links: MessageLinks, trackingId: string, offerSms: boolean): RenderedMessage {
  const check = offerSms && links.smsNumber ? [t('email.check.sms', { command: syntaxOf('sms', locale).status(trackingId), number: links.smsNumber })] : [];
  const body = [t('email.greeting'), '', ...lines, ...check, '', t('email.thanks'), '', '--', t('email.automatic')];
  return { subject, body: body.join('\n'), headers: { 'Content-Language': locale } };
}

// ---------------------------------------------------------------- what happened, in full (chat and e-mail)

function story(p: ComplaintStatusChangedPayload, id: string, t: T): string[] {
  const who = handledBy(p) ?? t('body.unknown');
  const body = bodyName(p, t);
  const ombudsman = t('ombudsman.contact');
  switch (p.status) {
    case 'triage':
      return isAcknowledgement(p) ? [t('story.received', { id }), t('story.triage.ack')] : [t('story.triage.returned', { id }), t('story.triage.returned.next')];
    case 'assigned':
      if (isAcknowledgement(p)) return [t('story.received', { id }), t('story.assigned.ack', { who })];
      if (p.previousStatus === 'returned') return [t('story.assigned.rerouted', { id }), t('story.assigned.rerouted.next', { who })];
      return [t(isRedirect(p) ? 'story.assigned.redirected' : 'story.assigned.verified', { id, who })];
    case 'accepted':
      return [t('story.accepted', { id, body })];
    case 'disposed':
      return [p.assignment?.unit ? t('story.disposed', { id, unit: p.assignment.unit, body }) : t('story.disposed.noUnit', { id, body })];
    case 'in_progress':
      return [p.previousStatus === 'waiting_info' ? t('story.in_progress.answered', { id }) : t('story.in_progress', { id, who })];
    case 'waiting_info':
      return [t('story.waiting_info', { id }), '', quote(p.reporterMessage ?? t('story.waiting_info.default')), ''];
    case 'responded':
      return [t('story.responded', { id, body }), '', quote(p.reporterMessage ?? '-'), ''];
    case 'reopened':
      return [t('story.reopened', { id, body })];
    case 'closed':
      if (p.closedBy === 'reporter') return [t('story.closed.reporter', { id })];
      return [t(p.closedBy === 'system' ? 'story.closed.system' : 'story.closed.admin', { id }), t('story.closed.ombudsman', { ombudsman })];
    case 'archived':
      return p.archiveReason === 'reporter_request'
        ? [t('story.archived.onRequest', { id }), t('story.archived.thanks')]
        : [t('story.archived', { id, reason: archiveReasonIn(t, p.archiveReason) }), t('story.archived.next', { ombudsman })];
    case 'merged': {
      const into = p.mergedInto ? formatTrackingId(p.mergedInto) : '-';
      return [t('story.merged', { id, into })];
    }
    default:
      return [t('story.other', { id, label: statusLabelIn(t, p.status) })];
  }
}

/** The body's own words, set off as a quote. */
function quote(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}
