import type { CommandName } from '@lapor/contracts';

/**
 * SMS keyword commands, Bahasa Indonesia first with English aliases. Matching is
 * case-insensitive and ignores surrounding spaces and trailing punctuation. Help, opt-out
 * and opt-in must be the whole message ("STOP", not "stop jalan rusak...") so a complaint
 * that happens to start with one of these words is never taken for a command. The opt-out
 * and opt-in lists include Twilio's own standard keywords, so our opt-out list agrees with
 * what Twilio does on its side (https://help.twilio.com/articles/223134027).
 * The table in docs/channels/sms.md is generated from KEYWORDS (see the spec).
 */
export const KEYWORDS: Record<Exclude<CommandName, 'start' | 'report'>, readonly string[]> = {
  status: ['CEK', 'STATUS'],
  help: ['INFO', 'BANTUAN', 'HELP'],
  opt_out: ['STOP', 'BERHENTI', 'UNSUBSCRIBE', 'STOPALL', 'CANCEL', 'END', 'QUIT'],
  opt_in: ['MULAI', 'START', 'SUBSCRIBE', 'UNSTOP', 'YES'],
};

export type SmsIntent =
  | { kind: 'empty' }
  | { kind: 'command'; command: CommandName; argument?: string }
  | { kind: 'complaint'; text: string };

/** A status argument is a tracking id as typed: 11 symbols, maybe grouped with dashes or spaces. Longer text is a complaint. */
const MAX_STATUS_ARGUMENT = 20;
const TRAILING_PUNCTUATION = /[\s.!?,;:]+$/u;

const EXACT = new Map<string, CommandName>(
  (['help', 'opt_out', 'opt_in'] as const).flatMap((command) => KEYWORDS[command].map((word) => [word, command] as const)),
);

const STATUS_PATTERN = new RegExp(`^(?:${KEYWORDS.status.join('|')})(?:$|[\\s:#.,=-]+(.*)$|([2-9A-Z]{11})$)`, 'isu');

export function parseSmsBody(body: string | undefined): SmsIntent {
  const text = (body ?? '').trim();
  if (!text) return { kind: 'empty' };
  const bare = text.replace(TRAILING_PUNCTUATION, '').toUpperCase();
  const exact = EXACT.get(bare);
  if (exact) return { kind: 'command', command: exact };

  // "CEK 7KQ4M-9XWRT-C", "cek: 7kq4m9xwrtc", "STATUS#7KQ4M9XWRTC", "CEK7KQ4M9XWRTC", or "CEK"
  // alone (answered with the format). A long argument means complaint text ("Cek jalan di ...").
  const head = text.replace(TRAILING_PUNCTUATION, '');
  const status = STATUS_PATTERN.exec(head);
  if (status) {
    const argument = (status[1] ?? status[2] ?? '').trim();
    if (argument.length <= MAX_STATUS_ARGUMENT) return { kind: 'command', command: 'status', ...(argument ? { argument } : {}) };
  }
  // Keep the citizen's text exactly as sent (emoji, non-Latin scripts, line breaks).
  return { kind: 'complaint', text: body!.trim() };
}
