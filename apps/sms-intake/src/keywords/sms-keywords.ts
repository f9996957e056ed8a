import { splitTrackingIdArgument, type CommandName } from '@lapor/contracts';

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
  /** The reporter objects to the body's response (tidak puas): `KEBERATAN <id> [alasan]`. */
  object: ['KEBERATAN', 'TIDAKPUAS', 'TIDAK PUAS'],
  /** The reporter is satisfied and closes it: `SELESAI <id>`. */
  confirm: ['SELESAI', 'PUAS'],
  /** The reporter forwards it to Ombudsman RI (offered by SMS when the follow-up is overdue): `OMBUDSMAN <id> [catatan]`. */
  ombudsman: ['OMBUDSMAN'],
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

/** "KEBERATAN <id> alasan", "tidak puas: <id>", "SELESAI<id>": the keyword, then everything after it. */
const ACTION_PATTERNS = (['object', 'confirm', 'ombudsman'] as const).map((command) => ({
  command,
  pattern: new RegExp(`^(?:${KEYWORDS[command].map((w) => w.replace(/ /g, '\\s+')).join('|')})(?=$|[\\s:#.,=-]|[0-9A-Z]{5})[\\s:#.,=-]*([\\s\\S]*)$`, 'iu'),
}));

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
  const action = reporterAction(text);
  if (action) return action;
  // Keep the citizen's text exactly as sent (emoji, non-Latin scripts, line breaks).
  return { kind: 'complaint', text: body!.trim() };
}

/**
 * KEBERATAN / SELESAI / OMBUDSMAN and their aliases. A command only when a tracking id follows the
 * keyword (then any reason after it is kept), or when what follows is short enough to be
 * a mistyped id (the router answers it); "Tidak puas dengan pelayanan RSUD ..." stays a
 * complaint, and so does "Selesai dibangun, jembatan sudah retak lagi".
 */
function reporterAction(text: string): SmsIntent | null {
  for (const { command, pattern } of ACTION_PATTERNS) {
    const m = pattern.exec(text);
    if (!m) continue;
    const rest = m[1].trim();
    if (!rest) return { kind: 'command', command };
    if (splitTrackingIdArgument(rest) || rest.replace(TRAILING_PUNCTUATION, '').length <= MAX_STATUS_ARGUMENT) return { kind: 'command', command, argument: rest };
  }
  return null;
}
