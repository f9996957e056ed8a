import { z } from 'zod';

/**
 * What the system knows about one channel, in one place (libs/contracts/src/channels/registry.ts).
 * Everything that used to list the channels again (`Channel`, `ReplyAddress.channel`, the
 * delivery-status channel, the notifier's outbound channel, the command syntax shown to
 * people, the environment variables) is derived from these entries.
 */
export interface ChannelDefinition {
  /** How the channel is named to people (officials' e-mails, the console). */
  label: string;
  /** `in`: complaints arrive here only; `out`: we only send here (e-mail); `both`: a conversation. */
  direction: 'in' | 'out' | 'both';
  /** A citizen who wrote here can be answered here, at the address they wrote from. */
  replies: boolean;
  /**
   * The platform's rule for when we may write first: WhatsApp allows free-form text only
   * within 24 hours of the citizen's last message, and an approved template after that.
   */
  replyWindow?: { hours: number; outside: 'template' };
  /** Message-length limits in characters (code points): what we accept, and what one reply may carry. */
  limits?: { inboundChars?: number; outboundChars?: number };
  /**
   * How commands are written to people on this channel: `keyword` ("CEK <nomor>") or
   * `slash` ("/cek <nomor>", Telegram's bot commands). Absent: no commands (web forms, e-mail).
   */
  commands?: {
    style: 'keyword' | 'slash';
    /** Extra words this platform needs, beyond the shared vocabulary (commands.ts), e.g. Telegram's `/start`. */
    aliases?: Record<string, VocabularyCommand>;
    /** The word shown to people for a command when it is not the vocabulary's first Indonesian word. */
    shown?: Partial<Record<VocabularyCommand, string>>;
  };
  /** Where a reporter on this channel answers (the status page says "Balas <this>"), in Bahasa Indonesia. */
  whereToAnswer?: string;
  /** The channel's environment variables (merged into libs/runtime's EnvSchema), documented in docs/channels/. */
  env?: z.ZodRawShape;
  /** docs/channels/<file>: how to set the channel up. */
  docs?: string;
}

/** Every command a citizen can type somewhere (ChannelCommandPayload.command takes those the system handles). */
export type VocabularyCommand = 'status' | 'object' | 'confirm' | 'ombudsman' | 'help' | 'start' | 'report' | 'opt_out' | 'opt_in';

/** Keeps each entry's literal types (its direction) so the derived enums are exact. */
export function defineChannel<const D extends ChannelDefinition>(definition: D): D {
  return definition;
}

/**
 * A channel people write on and are answered on (direction `both`, replies possible): the
 * entry states only what differs — its label, length limit, command style, where to answer,
 * its docs and its variables. `chars` is both the inbound and the outbound limit.
 */
export function conversationChannel<const D extends Omit<ChannelDefinition, 'direction' | 'replies' | 'limits'> & { chars: number }>(definition: D) {
  const { chars, ...rest } = definition;
  return { ...rest, direction: 'both', replies: true, limits: { inboundChars: chars, outboundChars: chars } } as const satisfies ChannelDefinition;
}

// Environment value parsers for the channels' slices (the same rules as libs/runtime's).
/** An empty value (`FOO=` in a .env file) counts as unset. */
export const emptyAsUnset = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);
export const optionalEnvString = emptyAsUnset(z.string().optional());
export const envNumber = (fallback: number) => z.preprocess((v) => (v === '' || v === undefined ? fallback : Number(v)), z.number());
/** Variables that are optional strings (secrets, ids): a channel without them is off or sends to the outbox. */
export function optionalEnv<const K extends string>(...names: K[]): { [P in K]: typeof optionalEnvString } {
  return Object.fromEntries(names.map((name) => [name, optionalEnvString])) as { [P in K]: typeof optionalEnvString };
}
/** The vendor's API root, overridable with a local stand-in in tests and `npm start`. */
export const apiRoot = (vendorDefault: string) => z.string().default(vendorDefault);
