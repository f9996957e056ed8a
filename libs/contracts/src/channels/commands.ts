import { CommandName } from '../events/channel-command.event';
import { splitTrackingIdArgument } from '../tracking-id';
import type { ChannelDefinition, VocabularyCommand } from './channel-definition';
import { CHANNELS, ChannelId } from './registry';

/**
 * The one command vocabulary, per language (Bahasa Indonesia first; the first Indonesian
 * word is the one shown to people). Every channel with commands reads every word here,
 * any case; a channel adds only what its platform needs (registry `commands.aliases`,
 * e.g. Telegram's `/start`) and Telegram also takes each word as a slash command (`/cek`).
 * The opt-out and opt-in lists include Twilio's standard keywords, so our opt-out list
 * agrees with what Twilio does on its side (https://help.twilio.com/articles/223134027),
 * and UNSUBSCRIBE / QUIT / YES mean the same on every channel.
 * The table in docs/channels/commands.md is generated from this (commands.spec.ts).
 */
export const COMMAND_VOCABULARY: Record<Exclude<VocabularyCommand, 'start'>, { id: readonly string[]; en?: readonly string[]; usage: string }> = {
  status: { id: ['CEK'], en: ['STATUS'], usage: 'status laporan: `CEK <nomor>`' },
  /** The reporter objects to the body's response (tidak puas): `KEBERATAN <id> [alasan]`. */
  object: { id: ['KEBERATAN', 'TIDAKPUAS', 'TIDAK PUAS'], usage: 'keberatan atas tanggapan: `KEBERATAN <nomor> [alasan]`' },
  /** The reporter is satisfied and closes it: `SELESAI <id>`. */
  confirm: { id: ['SELESAI', 'PUAS'], usage: 'puas, tutup laporan: `SELESAI <nomor>`' },
  /** The reporter forwards it to Ombudsman RI: `OMBUDSMAN <id> [catatan]`. */
  ombudsman: { id: ['OMBUDSMAN'], usage: 'teruskan ke Ombudsman RI: `OMBUDSMAN <nomor> [catatan]`' },
  help: { id: ['INFO', 'BANTUAN'], en: ['HELP'], usage: 'cara memakai layanan' },
  opt_out: { id: ['STOP', 'BERHENTI'], en: ['UNSUBSCRIBE', 'STOPALL', 'CANCEL', 'END', 'QUIT'], usage: 'berhenti menerima notifikasi (laporan tetap diproses)' },
  opt_in: { id: ['MULAI'], en: ['START', 'SUBSCRIBE', 'UNSTOP', 'YES'], usage: 'aktifkan notifikasi lagi' },
  /** "LAPOR" alone asks how to write a complaint; "LAPOR <text>" is the complaint. */
  report: { id: ['LAPOR'], en: ['REPORT'], usage: 'cara menulis laporan; `LAPOR <isi>` adalah laporan itu sendiri' },
};

export type ParsedText =
  | { kind: 'empty' }
  | { kind: 'command'; command: CommandName; argument?: string }
  | { kind: 'complaint'; text: string };

export type CommandChannel = { [K in ChannelId]: (typeof CHANNELS)[K] extends { commands: object } ? K : never }[ChannelId];

const commandsOf = (channel: ChannelId): ChannelDefinition['commands'] => (CHANNELS[channel] as ChannelDefinition).commands;
const wordsOf = (command: keyof typeof COMMAND_VOCABULARY) => [...COMMAND_VOCABULARY[command].id, ...(COMMAND_VOCABULARY[command].en ?? [])];
const isHandled = (command: string): command is CommandName => (CommandName.options as readonly string[]).includes(command);

/** A status argument is a tracking id as typed: 11 symbols, maybe grouped with dashes or spaces. Longer text is a complaint. */
const MAX_STATUS_ARGUMENT = 20;
const TRAILING_PUNCTUATION = /[\s.!?,;:]+$/u;
const EXACT = new Map<string, VocabularyCommand>((['help', 'opt_out', 'opt_in', 'report'] as const).flatMap((command) => wordsOf(command).map((word) => [word, command] as const)));
const STATUS_PATTERN = new RegExp(`^(?:${wordsOf('status').join('|')})(?:$|[\\s:#.,=-]+(.*)$|([2-9A-Z]{11})$)`, 'isu');
/** "KEBERATAN <id> alasan", "tidak puas: <id>", "SELESAI<id>": the keyword, then everything after it. */
const ACTION_PATTERNS = (['object', 'confirm', 'ombudsman'] as const).map((command) => ({
  command,
  pattern: new RegExp(`^(?:${wordsOf(command).map((w) => w.replace(/ /g, '\\s+')).join('|')})(?=$|[\\s:#.,=-]|[0-9A-Z]{5})[\\s:#.,=-]*([\\s\\S]*)$`, 'iu'),
}));
const REPORT_WITH_TEXT = new RegExp(`^(?:${wordsOf('report').join('|')})[\\s:]+([\\s\\S]+)$`, 'iu');
const SLASH = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/u;

/**
 * The one command parser: what a citizen's text on `channel` is. Help, opt-out and opt-in
 * must be the whole message ("STOP", not "stop jalan rusak...") so a complaint that happens
 * to start with one of these words is never taken for a command; CEK / KEBERATAN / SELESAI
 * / OMBUDSMAN are commands only when what follows is (or may be) a tracking id.
 *
 * `botName`: on a slash channel, a command addressed to another bot ("/cek@OtherBot") is
 * not ours and reads as an unknown command (answered with help).
 */
export function parseCommandText(channel: CommandChannel, body: string | undefined, options: { botName?: string } = {}): ParsedText {
  const text = (body ?? '').trim();
  if (!text) return { kind: 'empty' };
  const commands = commandsOf(channel)!;
  const aliases: Record<string, VocabularyCommand | undefined> = commands.aliases ?? {};
  if (commands.style === 'slash' && text.startsWith('/')) {
    const m = SLASH.exec(text);
    const word = m?.[1].toLowerCase();
    const addressedElsewhere = m?.[2] && options.botName !== undefined && m[2].toLowerCase() !== options.botName.toLowerCase();
    const command = word && !addressedElsewhere ? (aliases[`/${word}`] ?? slashWords.get(word)) : undefined;
    if (!command || !isHandled(command)) return { kind: 'command', command: 'help' };
    const argument = (m?.[3] ?? '').trim();
    if (command === 'report' && argument) return { kind: 'complaint', text: argument };
    return { kind: 'command', command, ...(argument ? { argument } : {}) };
  }
  const bare = text.replace(TRAILING_PUNCTUATION, '').toUpperCase();
  const exact = aliases[bare] ?? EXACT.get(bare);
  if (exact && isHandled(exact)) return { kind: 'command', command: exact };
  // "CEK 7KQ4M-9XWRT-C", "cek: 7kq4m9xwrtc", "STATUS#7KQ4M9XWRTC", "CEK7KQ4M9XWRTC", or "CEK"
  // alone (answered with the format). A long argument means complaint text ("Cek jalan di ...").
  const status = STATUS_PATTERN.exec(text.replace(TRAILING_PUNCTUATION, ''));
  if (status) {
    const argument = (status[1] ?? status[2] ?? '').trim();
    if (argument.length <= MAX_STATUS_ARGUMENT) return { kind: 'command', command: 'status', ...(argument ? { argument } : {}) };
  }
  const action = reporterAction(text);
  if (action) return action;
  const report = REPORT_WITH_TEXT.exec(text);
  // Keep the citizen's text exactly as sent (emoji, non-Latin scripts, line breaks).
  return { kind: 'complaint', text: report ? report[1].trim() : text };
}

/** Telegram-style: every single-word vocabulary word as `/word`. */
const slashWords = new Map<string, VocabularyCommand>(
  (Object.keys(COMMAND_VOCABULARY) as (keyof typeof COMMAND_VOCABULARY)[]).flatMap((command) => wordsOf(command).filter((w) => !w.includes(' ')).map((w) => [w.toLowerCase(), command] as const)),
);

/**
 * KEBERATAN / SELESAI / OMBUDSMAN and their aliases. A command only when a tracking id follows
 * the keyword (then any reason after it is kept), or when what follows is short enough to be
 * a mistyped id (the router answers it); "Tidak puas dengan pelayanan RSUD ..." stays a
 * complaint, and so does "Selesai dibangun, jembatan sudah retak lagi".
 */
function reporterAction(text: string): ParsedText | null {
  for (const { command, pattern } of ACTION_PATTERNS) {
    const m = pattern.exec(text);
    if (!m || !isHandled(command)) continue;
    const rest = m[1].trim();
    if (!rest) return { kind: 'command', command };
    if (splitTrackingIdArgument(rest) || rest.replace(TRAILING_PUNCTUATION, '').length <= MAX_STATUS_ARGUMENT) return { kind: 'command', command, argument: rest };
  }
  return null;
}

/** How a command is written to people on a channel: "CEK" by SMS, "/cek" on Telegram. */
export function commandWord(channel: ChannelId, command: Exclude<VocabularyCommand, 'start'>): string {
  const commands = commandsOf(channel);
  const shown = commands?.shown?.[command];
  if (shown) return shown;
  const word = COMMAND_VOCABULARY[command].id[0];
  return commands?.style === 'slash' ? `/${word.toLowerCase()}` : word;
}

/** docs/channels/commands.md's table, generated from the vocabulary and the registry (commands.spec.ts fails on drift). */
export function commandsTable(): string {
  const channels = (Object.keys(CHANNELS) as ChannelId[]).filter((id) => commandsOf(id));
  const header = `| command | Bahasa Indonesia | English | ${channels.map((c) => CHANNELS[c].label).join(' | ')} | what it does |`;
  const rows = (Object.keys(COMMAND_VOCABULARY) as (keyof typeof COMMAND_VOCABULARY)[]).map((command) => {
    const v = COMMAND_VOCABULARY[command];
    const words = (list: readonly string[] | undefined) => (list?.length ? list.map((w) => `\`${w}\``).join(', ') : '—');
    const perChannel = channels.map((c) => {
      const word = commandWord(c, command);
      const aliases = Object.entries(commandsOf(c)?.aliases ?? {}).filter(([w, cmd]) => cmd === command && w !== word).map(([w]) => w);
      const shown = `\`${word}\``;
      return aliases.length ? `${shown} (also ${aliases.map((a) => `\`${a}\``).join(', ')})` : shown;
    });
    return `| \`${command}\` | ${words(v.id)} | ${words(v.en)} | ${perChannel.join(' | ')} | ${v.usage} |`;
  });
  const extra = channels.flatMap((c) => {
    return Object.entries(commandsOf(c)?.aliases ?? {})
      .filter(([, cmd]) => cmd === 'start')
      .map(([w]) => `| \`start\` | — | — | ${channels.map((x) => (x === c ? `\`${w}\`` : '—')).join(' | ')} | sapaan pembuka (${CHANNELS[c].label}) |`);
  });
  return [header, `|---|---|---|${channels.map(() => '---|').join('')}---|`, ...rows, ...extra].join('\n');
}
