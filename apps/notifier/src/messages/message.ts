import { CHANNELS, commandWord, OUTBOUND_CHANNEL_IDS } from '@lapor/contracts';
import type { CitizenChannel } from '../entities';
import { isGsm7, smsSegments } from '../senders/sms/sms-segments';

export interface RenderedMessage {
  subject?: string;
  body: string;
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
}

/**
 * How a citizen sends a command on each channel (SMS keywords vs Telegram slash commands),
 * from the channel registry's vocabulary (libs/contracts/src/channels/commands.ts). A
 * channel without commands of its own (e-mail) is shown the keywords.
 */
export function commandSyntax(channel: CitizenChannel): CommandSyntax {
  const on = 'commands' in CHANNELS[channel] ? channel : 'sms';
  const word = (c: Parameters<typeof commandWord>[1]) => commandWord(on, c);
  return {
    status: (id) => `${word('status')} ${id}`,
    object: (id) => `${word('object')} ${id}`,
    confirm: (id) => `${word('confirm')} ${id}`,
    ombudsman: (id) => `${word('ombudsman')} ${id}`,
    help: word('help'),
    stop: word('opt_out'),
    start: word('opt_in'),
  };
}

export const COMMAND_SYNTAX = Object.fromEntries(OUTBOUND_CHANNEL_IDS.map((c) => [c, commandSyntax(c)])) as Record<CitizenChannel, CommandSyntax>;

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
