import { ChannelNoticePayload, CommandName, formatTrackingId, isTerminal, StatusReplyPayload } from '@lapor/contracts';
import { chatMessages, Locale, toLocale, translator } from '@lapor/i18n';
import type { CitizenChannel } from '../entities';
import { fit, RenderedMessage, sms, smsWith, syntaxOf } from './message';
import { archiveReasonIn, notificationTexts, statusLabelIn } from './status.message';

/** Commands about one complaint: the router answers them (StatusReply, or the status change an action causes). */
export type RouterCommand = 'status' | 'object' | 'confirm' | 'ombudsman';
export const ROUTER_COMMANDS: readonly CommandName[] = ['status', 'object', 'confirm', 'ombudsman'];

type T = ReturnType<typeof translator<typeof chatMessages>>;
/** Keyword channels (SMS, X, WhatsApp) get the short texts; Telegram, with its command menu, the long ones. */
const style = (channel: CitizenChannel) => (channel === 'telegram' ? 'slash' : 'keyword');
/** Our own words on SMS are folded to GSM-7. */
const shaped = (channel: CitizenChannel, body: string): string => (channel === 'sms' ? sms(body).body : body);

/** Answers to a citizen's own commands, in their language, shaped for the channel. */
export function renderCommandReply(command: Exclude<CommandName, RouterCommand>, channel: CitizenChannel, locale: string = 'id'): RenderedMessage {
  const language = toLocale(locale);
  const t = translator(chatMessages, language);
  const s = syntaxOf(channel, language);
  const number = t('arg.number');
  const texts: Record<typeof command, () => string> = {
    help: () =>
      style(channel) === 'slash'
        ? t('help.slash', { status: s.status(number), object: `${s.object(number)} ${t('arg.reason')}`, confirm: s.confirm(number), ombudsman: s.ombudsman(number), report: s.report, stop: s.stop, start: s.start })
        : t('help.keyword', { status: s.status(number), stop: s.stop, start: s.start }),
    start: () => (style(channel) === 'slash' ? t('start.slash', { help: s.help }) : t('start.keyword')),
    report: () => t(style(channel) === 'slash' ? 'report.slash' : 'report.keyword'),
    opt_out: () => t('opt_out', { start: s.start }),
    opt_in: () => t('opt_in', { stop: s.stop }),
  };
  return { subject: 'LAPOR!', body: shaped(channel, texts[command]()) };
}

/**
 * The answer to a status query (the latest step, and the start of the body's response), or
 * to a reporter's action that could not be applied, in the language the command carried. A
 * mistyped id is said to be mistyped, never matched to another complaint; an action on
 * someone else's complaint gets the same answer as an unknown number.
 */
export function renderStatusReply(p: StatusReplyPayload, channel: CitizenChannel): RenderedMessage {
  const locale = toLocale(p.locale);
  const t = translator(chatMessages, locale);
  const s = syntaxOf(channel, locale);
  const r = p.result;
  const subject = t('reply.subject');
  const query = fit(p.query.toUpperCase(), 20);
  const text = (body: string): RenderedMessage => ({ subject, body: shaped(channel, body) });
  switch (r.outcome) {
    case 'found':
      return { subject, ...(channel === 'sms' ? statusSms(r, t, locale) : { body: statusChat(r, t, locale) }) };
    case 'not_allowed': {
      const id = channel === 'sms' ? r.trackingId : formatTrackingId(r.trackingId);
      const label = statusLabelIn(notificationTexts(locale), r.status);
      // OMBUDSMAN: the router says why (not overdue, closed without objection, already forwarded).
      const reason = r.reason ? refusalIn(r.reason, t, locale) : undefined;
      if (reason) return channel === 'sms' ? { subject, ...smsWith(t('reply.refused.sms', { id }), 'reason', reason) } : text(t('reply.refused', { id, reason }));
      const action = p.command === 'object' || p.command === 'ombudsman' ? p.command : 'confirm';
      return text(t(isTerminal(r.status) ? `reply.ended.${action}` : `reply.early.${action}`, { id, label }));
    }
    case 'mistyped':
      return text(t('reply.mistyped', { query }));
    case 'not_found':
      return text(p.command === 'status' ? t('reply.notFound', { query }) : t(channel === 'sms' ? 'reply.notYours.phone' : 'reply.notYours.account', { query }));
    default: {
      const syntax = p.command === 'object' ? s.object : p.command === 'confirm' ? s.confirm : p.command === 'ombudsman' ? s.ombudsman : s.status;
      const format = p.command === 'object' ? `${s.object(t('arg.reportNumber'))} ${t('arg.reason')}` : syntax(t('arg.reportNumber'));
      const example = p.command === 'object' ? `${s.object('7KQ4M9XWRTC')} ${t('example.reason')}` : syntax('7KQ4M9XWRTC');
      return text(t('reply.format', { format, example }));
    }
  }
}

/** The router's refusals it sends as text (libs/contracts ombudsmanEligibility), by their catalogue key. */
const REFUSALS = ['ombudsman.refused.already', 'ombudsman.refused.closedWithoutObjection', 'ombudsman.refused.notOverdue'] as const;

/**
 * The router's reason in the reporter's language: a known refusal is said from the catalogue;
 * any other reason (a lifecycle refusal, in Bahasa Indonesia) is kept for Indonesian and left
 * out for English, whose answer then says what the status allows.
 */
function refusalIn(reason: string, t: T, locale: Locale): string | undefined {
  const known = REFUSALS.find((key) => translator(chatMessages, 'id')(key) === reason);
  if (known) return t(known);
  return locale === 'id' ? reason : undefined;
}

type Found = Extract<StatusReplyPayload['result'], { outcome: 'found' }>;
const handling = (r: Found) => (r.assignment && r.assignment.kind !== 'triage' ? `${r.assignment.name}${r.assignment.unit ? ` (${r.assignment.unit})` : ''}` : '');

/** One GSM-7 segment: the status, then what matters most about it (the response, the question, who handles it, why it ended). */
function statusSms(r: Found, t: T, locale: Locale): RenderedMessage {
  const head = t('reply.head', { id: r.trackingId, label: statusLabelIn(notificationTexts(locale), r.status) });
  const latest = r.latest;
  if (r.status === 'waiting_info' && latest?.message) return smsWith(t('reply.sms.question', { head }), 'question', latest.message);
  if (r.response && ['responded', 'closed', 'reopened'].includes(r.status)) return smsWith(t('reply.sms.response', { head }), 'response', r.response);
  if (r.status === 'closed' && latest?.closedBy) return sms(t(`reply.sms.closed.${latest.closedBy === 'reporter' ? 'reporter' : latest.closedBy === 'system' ? 'system' : 'admin'}`, { head }));
  if (r.status === 'archived' && latest?.archiveReason) return smsWith(t('reply.sms.archived', { head }), 'reason', archiveReasonIn(notificationTexts(locale), latest.archiveReason));
  if (r.status === 'merged' && latest?.mergedInto) return sms(t('reply.sms.merged', { head, into: latest.mergedInto, command: syntaxOf('sms', locale).status(latest.mergedInto) }));
  const who = handling(r);
  return who ? smsWith(t('reply.sms.handledBy', { head }), 'who', who) : sms(head);
}

function statusChat(r: Found, t: T, locale: Locale): string {
  const lines = [t('reply.chat.head', { id: formatTrackingId(r.trackingId), label: statusLabelIn(notificationTexts(locale), r.status) })];
  const who = handling(r);
  if (who) lines.push(t('reply.chat.handledBy', { who }));
  if (r.status === 'waiting_info' && r.latest?.message) lines.push(t('reply.chat.question'), r.latest.message, t('reply.chat.answerHere'));
  else if (r.response) lines.push(t('reply.chat.response'), r.response);
  if (r.latest?.archiveReason) lines.push(t('reply.chat.reason', { reason: archiveReasonIn(notificationTexts(locale), r.latest.archiveReason) }));
  if (r.latest?.mergedInto) lines.push(t('reply.chat.merged', { into: formatTrackingId(r.latest.mergedInto) }));
  return lines.join('\n');
}

/** Notices about the sender's own message, in the language it carried; SMS texts fit one GSM-7 segment. */
export function renderNotice(p: ChannelNoticePayload, channel: CitizenChannel): RenderedMessage {
  const t = translator(chatMessages, toLocale(p.locale));
  const body =
    p.notice === 'body_too_long'
      ? t('notice.body_too_long', { limit: p.limit ?? '-' })
      : p.trackingId
        ? t('notice.rate_limited.report', { id: channel === 'sms' ? p.trackingId : formatTrackingId(p.trackingId) })
        : t('notice.rate_limited');
  return { subject: 'LAPOR!', body: shaped(channel, body) };
}
