import { CHANNELS, COMMAND_VOCABULARY, CommandChannel, commandWord, OUTBOUND_CHANNEL_IDS, parseCommandText } from '@lapor/contracts';
import { DEFAULT_LOCALE, Locale, LOCALES } from '@lapor/i18n';
import type { CitizenChannel } from '../entities';
import { isGsm7, smsSegments } from '../senders/sms/sms-segments';

export interface RenderedMessage {
  subject?: string;
  body: string;
  /** E-mail headers of this message (its Content-Language, which the HTML part's `lang` follows). */
  headers?: Record<string, string>;
}

/**
 * Optional settings a message may point to. A sentence that needs one is left out when it
 * is unset, never left dangling (`senders/email/email.sender.spec.ts` tries each set and unset).
 */
export interface MessageLinks {
  /** PUBLIC_BASE_URL: the status page's address. */
  publicBaseUrl?: string;
  /** TWILIO_FROM_NUMBER: where CEK can be sent by SMS. */
  smsNumber?: string;
}

/** The path of the HTML status page (apps/web-intake web-form.controller.ts `@Get('lapor/cek')`; the npm start e2e test fetches it from the banner). */
export const STATUS_PAGE_PATH = '/lapor/cek';

/** The status page of one complaint, in the reporter's language (the page reads `lang`). */
export function statusPageUrl(publicBaseUrl: string | undefined, trackingId: string, locale: Locale): string | null {
  if (!publicBaseUrl) return null;
  return `${publicBaseUrl.replace(/\/+$/, '')}${STATUS_PAGE_PATH}?id=${trackingId}${locale === DEFAULT_LOCALE ? '' : `&lang=${locale}`}`;
}

export interface CommandSyntax {
  status: (id: string) => string;
  /** The reporter objects to the response (tidak puas). */
  object: (id: string) => string;
  /** The reporter is satisfied and closes it. */
  confirm: (id: string) => string;
  /** The reporter forwards it to Ombudsman RI (offered when the follow-up is overdue, or closed while they objected). */
  ombudsman: (id: string) => string;
  help: string;
  stop: string;
  start: string;
  /** How to ask how a complaint is written (Telegram's /lapor). */
  report: string;
}

/**
 * How a citizen sends a command on each channel (SMS keywords vs Telegram slash commands),
 * from the channel registry's vocabulary (libs/contracts/src/channels/commands.ts). A
 * channel without commands of its own (e-mail) is shown the keywords. An English-speaking
 * reporter is shown the vocabulary's English word where the channel reads it as the same
 * command (STATUS, HELP, START; STOP is the same word in both languages); KEBERATAN,
 * SELESAI and OMBUDSMAN have no English word, so they are shown as they are.
 */
export function commandSyntax(channel: CitizenChannel, locale: Locale = DEFAULT_LOCALE): CommandSyntax {
  const on = ('commands' in CHANNELS[channel] ? channel : 'sms') as CommandChannel;
  const word = (c: ShownCommand) => shownCommandWord(on, c, locale);
  return {
    status: (id) => `${word('status')} ${id}`,
    object: (id) => `${word('object')} ${id}`,
    confirm: (id) => `${word('confirm')} ${id}`,
    ombudsman: (id) => `${word('ombudsman')} ${id}`,
    help: word('help'),
    stop: word('opt_out'),
    start: word('opt_in'),
    report: word('report'),
  };
}

type ShownCommand = Parameters<typeof commandWord>[1];
/** Any valid tracking id: a status command is tried with one to see how the channel reads it. */
const SAMPLE_ID = '7KQ4M9XWRTC';

function shownCommandWord(channel: CommandChannel, command: ShownCommand, locale: Locale): string {
  const indonesian = commandWord(channel, command);
  if (locale === 'id') return indonesian;
  const vocabulary = COMMAND_VOCABULARY[command];
  const english = command === 'opt_out' ? vocabulary.id[0] : vocabulary.en?.[0];
  if (!english) return indonesian;
  const shown = CHANNELS[channel].commands.style === 'slash' ? `/${english.toLowerCase()}` : english;
  const read = parseCommandText(channel, command === 'status' ? `${shown} ${SAMPLE_ID}` : shown);
  return read.kind === 'command' && read.command === command ? shown : indonesian;
}

const SYNTAX = Object.fromEntries(LOCALES.map((locale) => [locale, Object.fromEntries(OUTBOUND_CHANNEL_IDS.map((c) => [c, commandSyntax(c, locale)]))])) as Record<Locale, Record<CitizenChannel, CommandSyntax>>;

/** The command syntax of a channel in a language (computed once). */
export const syntaxOf = (channel: CitizenChannel, locale: Locale): CommandSyntax => SYNTAX[locale][channel];

/** SMS text must stay within GSM-7 (160 chars a segment): fold what would force UCS-2 (70 chars). */
export function toGsmFriendly(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}

/**
 * Someone else's words inside an SMS (an officer's response or question): folded to GSM-7,
 * line breaks and runs of spaces made one space, and whatever GSM-7 cannot carry (emoji,
 * other scripts) dropped, so a quoted text never turns the SMS into 70-character UCS-2.
 */
export function toGsmQuote(text: string): string {
  return [...toGsmFriendly(text).replace(/\s+/g, ' ').trim()].filter(isGsm7).join('');
}

/** Shortens a name so the whole SMS stays within one segment when it can. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 3)).trimEnd()}...`;
}

/** A whole SMS of our own words, folded to GSM-7. */
export function sms(text: string): RenderedMessage {
  return { body: toGsmFriendly(text) };
}

const fitsOneSegment = (text: string) => {
  const size = smsSegments(text);
  return size.encoding === 'GSM-7' && size.segments === 1;
};

/**
 * head + as much of `middle` (a body's name, an officer's words) as keeps the SMS in one
 * GSM-7 segment + tail: the tracking id and how to answer are never cut.
 */
export function oneSegment(head: string, middle: string, tail: string): RenderedMessage {
  const h = toGsmFriendly(head);
  const t = toGsmFriendly(tail);
  const m = toGsmQuote(middle);
  if (fitsOneSegment(h + m + t)) return { body: h + m + t };
  for (let n = m.length - 1; n > 0; n--) {
    const cut = `${m.slice(0, n).trimEnd()}...`;
    if (fitsOneSegment(h + cut + t)) return { body: h + cut + t };
  }
  return { body: h + t };
}

/**
 * An SMS from a catalogue template whose `{slot}` is someone else's words (a body's name, an
 * officer's question): everything else is kept, the words are shortened to keep one segment.
 */
export function smsWith(template: string, slot: string, words: string): RenderedMessage {
  const at = template.indexOf(`{${slot}}`);
  if (at < 0) return sms(template);
  return oneSegment(template.slice(0, at), words, template.slice(at + slot.length + 2));
}
