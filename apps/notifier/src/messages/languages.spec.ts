import {
  ArchiveReason,
  ChannelNoticePayload,
  COMMAND_VOCABULARY,
  ComplaintStatus,
  ComplaintStatusChangedPayload,
  CONVERSATION_CHANNEL_IDS,
  ombudsmanEligibility,
  OUTBOUND_CHANNEL_IDS,
  statusLabel,
  StatusReplyPayload,
  SUBMISSION_TYPE_LABELS,
  SubmissionType,
  trackingIdFor,
} from '@lapor/contracts';
import { chatMessages, LOCALES, Locale, notificationMessages, translate } from '@lapor/i18n';
import { smsSegments } from '../senders/sms/sms-segments';
import type { CitizenChannel } from '../entities';
import type { RenderedMessage } from './message';
import { renderPublicAcknowledgement } from './public-reply.message';
import { renderCommandReply, renderNotice, renderStatusReply } from './replies.message';
import { renderOmbudsmanOffer, renderStatus } from './status.message';

const ID = trackingIdFor('sms', 'languages-spec');
const OTHER = trackingIdFor('web', 'languages-spec-other');
// Names and officers' words in neither word list below, so what the check finds is ours.
const LONG_NAME = 'Dinas Pekerjaan Umum Penataan Ruang Kabupaten Kepulauan Siau Tagulandang Biaro';
const UNIT = 'Bidang Bina Marga';
const OFFICER = 'Lubang ditambal 3 Maret; tim UPT Jalan wilayah timur meninjau lokasi 🙏 (RT 04/RW 02).\nSemoga bermanfaat.';
const QUESTION = 'Pada RT/RW berapa lubang itu?';

/**
 * One language at a time: our own words in an English message contain none of these, and in
 * an Indonesian one none of the English ones. Command words (CEK, KEBERATAN, STATUS) are
 * taken out first: they are what the reporter types, in any language.
 */
const INDONESIAN_WORDS = ['laporan', 'anda', 'dengan', 'untuk', 'sudah', 'telah', 'kirim', 'diterima', 'tidak', 'atau', 'yang', 'dan', 'oleh', 'mohon', 'pesan', 'instansi', 'petugas', 'ditutup', 'balas', 'nomor', 'karena', 'akan', 'ini', 'di', 'ke', 'belum', 'jika', 'terima', 'kasih', 'sedang', 'dapat', 'alasan', 'cek'];
const ENGLISH_WORDS = ['the', 'your', 'report', 'has', 'been', 'was', 'send', 'with', 'please', 'reply', 'agency', 'check', 'received', 'number', 'you', 'is', 'and', 'of', 'to', 'for', 'not', 'by', 'if', 'it', 'this', 'reason'];
const COMMAND_WORDS = new Set(Object.values(COMMAND_VOCABULARY).flatMap((v) => [...v.id, ...(v.en ?? [])]).flatMap((w) => w.toLowerCase().split(' ')));

function strangers(text: string, locale: Locale): string[] {
  const foreign = new Set(locale === 'en' ? INDONESIAN_WORDS : ENGLISH_WORDS);
  return [...text.replace(/https?:\/\/\S+/g, ' ').matchAll(/(\/?)(\p{L}+)/gu)]
    .filter(([, slash, word]) => !(COMMAND_WORDS.has(word.toLowerCase()) && (slash || word === word.toUpperCase())))
    .map(([, , word]) => word)
    .filter((word) => foreign.has(word.toLowerCase()));
}

function change(over: Partial<ComplaintStatusChangedPayload>, channel: ComplaintStatusChangedPayload['channel'], locale: Locale): ComplaintStatusChangedPayload {
  return {
    trackingId: ID, status: 'assigned', previousStatus: 'received', sequence: 3, changedAt: '2026-03-02T01:15:00.000Z', channel, senderId: 'h:x', replyTo: [], locale,
    assignment: { kind: 'kabupaten', code: '71.09', name: LONG_NAME, unit: UNIT },
    ...over,
  };
}

const triage = { kind: 'triage', code: '', name: 'Triase' } as const;
/** Every status message a reporter can get, and the ones that carry more (the offer, a submission type). */
const STATUS_CASES: [string, Partial<ComplaintStatusChangedPayload>][] = [
  ['ack, assigned', {}],
  ['ack, triage', { status: 'triage', assignment: triage }],
  ['verified', { previousStatus: 'triage' }],
  ['re-routed', { previousStatus: 'returned' }],
  ['back to triage', { status: 'triage', previousStatus: 'returned', assignment: triage }],
  ['forwarded to another body', { previousStatus: 'accepted' }],
  ['accepted', { status: 'accepted', previousStatus: 'assigned' }],
  ['disposed', { status: 'disposed', previousStatus: 'accepted' }],
  ['disposed, no unit', { status: 'disposed', previousStatus: 'accepted', assignment: { kind: 'kota', code: '32.73', name: 'Kota Bandung', unit: null } }],
  ['in progress', { status: 'in_progress', previousStatus: 'disposed' }],
  ['answer received', { status: 'in_progress', previousStatus: 'waiting_info', actor: { kind: 'reporter' } }],
  ['question', { status: 'waiting_info', previousStatus: 'in_progress', reporterMessage: QUESTION }],
  ['question without words', { status: 'waiting_info', previousStatus: 'in_progress' }],
  ['response', { status: 'responded', previousStatus: 'in_progress', reporterMessage: OFFICER }],
  ['reopened', { status: 'reopened', previousStatus: 'responded', actor: { kind: 'reporter' } }],
  ['closed by the reporter', { status: 'closed', previousStatus: 'responded', closedBy: 'reporter' }],
  ['closed by the system', { status: 'closed', previousStatus: 'responded', closedBy: 'system' }],
  ['closed by an admin', { status: 'closed', previousStatus: 'in_progress', closedBy: 'admin' }],
  ['closed by an admin while objecting (with the offer)', { status: 'closed', previousStatus: 'reopened', closedBy: 'admin', ombudsmanOffer: true }],
  ...ArchiveReason.options.map((reason): [string, Partial<ComplaintStatusChangedPayload>] => [`archived: ${reason}`, { status: 'archived', previousStatus: 'assigned', archiveReason: reason, closedBy: 'admin' }]),
  ['merged', { status: 'merged', previousStatus: 'accepted', mergedInto: OTHER }],
  ['forwarded to Ombudsman RI', { status: 'in_progress', previousStatus: 'in_progress', event: 'forwarded-ombudsman', actor: { kind: 'reporter' } }],
  ...SubmissionType.options.map((type): [string, Partial<ComplaintStatusChangedPayload>] => [`accepted, a ${type}`, { status: 'accepted', previousStatus: 'assigned', submissionType: type }]),
];

const reply = (locale: Locale, result: StatusReplyPayload['result'], command: StatusReplyPayload['command'] = 'status', query: string = ID): StatusReplyPayload => ({ channel: 'sms', senderId: '+628', inReplyTo: 'SM1', locale, query, command, result });
const at = '2026-03-02T01:15:00.000Z';
const refusal = (status: ComplaintStatus, history: Parameters<typeof ombudsmanEligibility>[1]) => {
  const verdict = ombudsmanEligibility(status, history);
  if (verdict.ok) throw new Error('expected a refusal');
  return verdict.reason;
};
/** Every answer to CEK and to a refused action, with the router's real refusal texts. */
const REPLY_CASES: [string, (locale: Locale) => StatusReplyPayload][] = [
  ['found, in progress', (l) => reply(l, { outcome: 'found', trackingId: ID, status: 'in_progress', assignment: { kind: 'kabupaten', code: '71.09', name: LONG_NAME, unit: UNIT }, updatedAt: at })],
  ['found, in triage', (l) => reply(l, { outcome: 'found', trackingId: ID, status: 'triage', assignment: null, updatedAt: at })],
  ['found, responded', (l) => reply(l, { outcome: 'found', trackingId: ID, status: 'responded', assignment: { kind: 'kabupaten', code: '71.09', name: LONG_NAME, unit: null }, updatedAt: at, response: OFFICER })],
  ['found, a question', (l) => reply(l, { outcome: 'found', trackingId: ID, status: 'waiting_info', assignment: null, updatedAt: at, latest: { status: 'waiting_info', label: 'x', at, message: QUESTION } })],
  ...(['reporter', 'system', 'admin'] as const).map((closedBy): [string, (l: Locale) => StatusReplyPayload] => [`found, closed by ${closedBy}`, (l) => reply(l, { outcome: 'found', trackingId: ID, status: 'closed', assignment: null, updatedAt: at, latest: { status: 'closed', label: 'x', at, closedBy } })]),
  ['found, archived', (l) => reply(l, { outcome: 'found', trackingId: ID, status: 'archived', assignment: null, updatedAt: at, latest: { status: 'archived', label: 'x', at, archiveReason: 'sara' } })],
  ['found, merged', (l) => reply(l, { outcome: 'found', trackingId: ID, status: 'merged', assignment: null, updatedAt: at, latest: { status: 'merged', label: 'x', at, mergedInto: OTHER } })],
  ...(['object', 'confirm', 'ombudsman'] as const).flatMap((command): [string, (l: Locale) => StatusReplyPayload][] => [
    [`${command} too early`, (l) => reply(l, { outcome: 'not_allowed', trackingId: ID, status: 'waiting_info' }, command)],
    [`${command} too late`, (l) => reply(l, { outcome: 'not_allowed', trackingId: ID, status: 'archived' }, command)],
    [`${command} on someone else's`, (l) => reply(l, { outcome: 'not_found' }, command, 'Z'.repeat(30))],
    [`${command} without a number`, (l) => reply(l, { outcome: 'missing' }, command, '')],
  ]),
  ['ombudsman refused: already forwarded', (l) => reply(l, { outcome: 'not_allowed', trackingId: ID, status: 'closed', reason: refusal('closed', [{ status: 'closed', event: 'forwarded-ombudsman' }]) }, 'ombudsman')],
  ['ombudsman refused: closed without objection', (l) => reply(l, { outcome: 'not_allowed', trackingId: ID, status: 'closed', reason: refusal('closed', [{ status: 'responded' }, { status: 'closed' }]) }, 'ombudsman')],
  ['ombudsman refused: not overdue', (l) => reply(l, { outcome: 'not_allowed', trackingId: ID, status: 'in_progress', reason: refusal('in_progress', []) }, 'ombudsman')],
  ['ombudsman refused by the lifecycle', (l) => reply(l, { outcome: 'not_allowed', trackingId: ID, status: 'archived', reason: refusal('archived', []) }, 'ombudsman')],
  ['mistyped', (l) => reply(l, { outcome: 'mistyped' }, 'status', 'X'.repeat(200))],
  ['not found', (l) => reply(l, { outcome: 'not_found' }, 'status', 'Y'.repeat(200))],
  ['status without a number', (l) => reply(l, { outcome: 'missing' }, 'status', '')],
];

const notice = (locale: Locale, over: Partial<ChannelNoticePayload>): ChannelNoticePayload => ({ channel: 'sms', senderId: '+628', inReplyTo: 'SM1', notice: 'body_too_long', onceKey: 'k', limit: 1600, locale, ...over });
const NOTICE_CASES: [string, (locale: Locale) => ChannelNoticePayload][] = [
  ['too long', (l) => notice(l, {})],
  ['rate limited', (l) => notice(l, { notice: 'rate_limited', trackingId: ID })],
  ['rate limited, no complaint yet', (l) => notice(l, { notice: 'rate_limited' })],
];

interface Rendered {
  kind: string;
  channel: CitizenChannel;
  locale: Locale;
  message: RenderedMessage;
  /** The tracking id the message must carry (as typed on SMS; grouped elsewhere, so its first five symbols). */
  carries?: string;
}

const links = { publicBaseUrl: 'https://lapor.example.id', smsNumber: '1708' };
const every: Rendered[] = LOCALES.flatMap((locale) => [
  ...OUTBOUND_CHANNEL_IDS.flatMap((channel) => STATUS_CASES.map(([name, over]): Rendered => ({ kind: `status: ${name}`, channel, locale, message: renderStatus(change(over, channel === 'email' ? 'web' : channel, locale), channel, links), carries: ID }))),
  ...OUTBOUND_CHANNEL_IDS.flatMap((channel) =>
    ([['follow-up overdue', { status: 'in_progress', previousStatus: 'in_progress', ombudsmanOffer: true }], ['closed while objecting', { status: 'closed', previousStatus: 'reopened', closedBy: 'system', ombudsmanOffer: true }]] as const).flatMap(([name, over]) =>
      [false, true].map((optedOut): Rendered => ({ kind: `Ombudsman offer, ${name}${optedOut ? ', opted out' : ''}`, channel, locale, message: renderOmbudsmanOffer(change(over, channel === 'email' ? 'web' : channel, locale), channel, links, optedOut), carries: ID })),
    ),
  ),
  ...CONVERSATION_CHANNEL_IDS.flatMap((channel) => [
    ...(['help', 'start', 'report', 'opt_out', 'opt_in'] as const).map((command): Rendered => ({ kind: `command: ${command}`, channel, locale, message: renderCommandReply(command, channel, locale) })),
    ...REPLY_CASES.map(([name, make]): Rendered => ({ kind: `reply: ${name}`, channel, locale, message: renderStatusReply({ ...make(locale), channel }, channel), carries: name.startsWith('found') || name.includes('refused') || name.includes('too ') ? ID : undefined })),
    ...NOTICE_CASES.map(([name, make]): Rendered => ({ kind: `notice: ${name}`, channel, locale, message: renderNotice({ ...make(locale), channel }, channel) })),
  ]),
  { kind: 'public reply under a mention', channel: 'x', locale, message: renderPublicAcknowledgement(change({}, 'x', locale))!, carries: ID },
]);

describe('every message a reporter receives, in both languages', () => {
  it.each(every.map((r) => [`${r.locale} ${r.channel} ${r.kind}`, r] as const))('%s: one language, nothing unfilled', (_name, { channel, locale, message, carries }) => {
    const text = [message.subject ?? '', message.body].join('\n');
    expect({ text, foreign: strangers(text, locale) }).toEqual({ text, foreign: [] });
    expect(text).not.toMatch(/\{\w+\}|undefined|null|\[object|NaN/);
    if (carries) expect(text.replace(/-/g, '')).toContain(carries);
    if (channel === 'sms') expect({ body: message.body, ...smsSegments(message.body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    if (channel === 'email' && message.headers) expect(message.headers['Content-Language']).toBe(locale);
  });

  it('says each message differently in each language (nothing falls back to Bahasa Indonesia unnoticed)', () => {
    const byKey = new Map<string, string[]>();
    for (const r of every) byKey.set(`${r.channel} ${r.kind}`, [...(byKey.get(`${r.channel} ${r.kind}`) ?? []), r.message.body]);
    const same = [...byKey].filter(([, [id, en]]) => id === en).map(([key]) => key);
    expect(same).toEqual([]);
  });

  it('keeps the Indonesian words the rest of the system uses (statuses, submission types, the router\'s refusals)', () => {
    for (const status of ComplaintStatus.options) expect(translate(notificationMessages, `status.${status}`, 'id')).toBe(statusLabel(status));
    for (const type of SubmissionType.options) expect(translate(notificationMessages, `submissionType.${type}`, 'id')).toBe(SUBMISSION_TYPE_LABELS[type]);
    expect([
      refusal('closed', [{ status: 'closed', event: 'forwarded-ombudsman' }]),
      refusal('closed', [{ status: 'responded' }, { status: 'closed' }]),
      refusal('in_progress', []),
    ]).toEqual([translate(chatMessages, 'ombudsman.refused.already', 'id'), translate(chatMessages, 'ombudsman.refused.closedWithoutObjection', 'id'), translate(chatMessages, 'ombudsman.refused.notOverdue', 'id')]);
  });

  it('shows English speakers the English command words where the channel reads them', () => {
    const en = (p: Partial<ComplaintStatusChangedPayload>, channel: CitizenChannel) => renderStatus(change(p, channel === 'email' ? 'web' : channel, 'en'), channel).body;
    expect(en({}, 'sms')).toContain(`STATUS ${ID}`);
    expect(en({}, 'telegram')).toContain(`/status ${ID}`);
    expect(renderCommandReply('help', 'sms', 'en').body).toMatch(/HELP|STATUS <number> = check status\. STOP = stop notifications\. START = turn them on\./);
    // Telegram opens every chat with /start (the welcome), so opting in again stays /mulai there.
    expect(renderCommandReply('opt_out', 'telegram', 'en').body).toContain('/mulai');
    expect(renderCommandReply('opt_out', 'sms', 'en').body).toContain('Send START');
    expect(en({ status: 'responded', previousStatus: 'in_progress', reporterMessage: OFFICER }, 'whatsapp')).toContain(`KEBERATAN ${ID}`);
  });

  it('takes anything unknown as Bahasa Indonesia', () => {
    const body = (locale: string) => renderStatus({ ...change({}, 'sms', 'id'), locale }, 'sms').body;
    expect(body('fr-FR')).toBe(body('id'));
    expect(body('')).toBe(body('id'));
    expect(body('en-GB')).toBe(body('en'));
    expect(body('en')).not.toBe(body('id'));
  });
});
