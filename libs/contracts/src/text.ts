/**
 * Text as people meant it and as PostgreSQL can store it: one normalization for every
 * channel's intake (web/mobile API and form, SMS, Telegram, X), and the rule every event
 * on the bus is checked against.
 *
 * PostgreSQL refuses NUL in `text` and `jsonb` ("invalid byte sequence for encoding UTF8:
 * 0x00", "unsupported Unicode escape sequence") and refuses an unpaired UTF-16 surrogate
 * escaped in `jsonb`. One such record used to fail in the router forever and block every
 * complaint behind it (issue 8), so intake removes them and the bus refuses them.
 */

/** An unpaired high or low surrogate (UTF-16 code units, hence no `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** CRLF, a lone CR, NEL and the Unicode line/paragraph separators all mean "new line". */
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;
/** C0 controls except tab (09) and line feed (0A), DEL, and C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Something a person wrote: a letter of any script. Emoji, symbols, digits and invisible characters alone are not a message. */
const LETTER = /\p{L}/u;

/**
 * The one normalization of text entering the system:
 * - an unpaired surrogate becomes U+FFFD (the replacement character);
 * - CRLF, CR, NEL, U+2028 and U+2029 become LF;
 * - NUL and every other control character except tab and LF are removed;
 * - Unicode NFC, so "é" typed as e + combining accent equals the precomposed "é".
 * Everything else is kept as sent: emoji, any script, zero-width joiners inside emoji.
 */
export function normalizeText(raw: string): string {
  return raw.replace(LONE_SURROGATE, '\uFFFD').replace(LINE_BREAKS, '\n').replace(CONTROLS, '').normalize('NFC');
}

/**
 * Whether normalized text says anything: at least one letter. Zero-width characters,
 * emoji, punctuation or digits alone are not a complaint (the API answers 400, the chat
 * channels answer with the help text, as for an empty message).
 */
export function isMeaningfulText(text: string): boolean {
  return LETTER.test(text);
}

/**
 * The first `max` UTF-16 units of the text (the unit zod's `.max()` counts), without
 * cutting an emoji in half: a plain `slice` can leave an unpaired surrogate at the end.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** True when the text contains a control character other than tab, LF and CR (vendor identifiers never do). */
export function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(text);
}

/** Whether PostgreSQL can store the string in `text` and `jsonb`: no NUL, no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  // Most strings have no surrogate and no NUL at all: one scan decides them. Only a string
  // with a surrogate needs the pairing check. (A `g` regex keeps lastIndex between calls,
  // so the pairing check uses its own non-global copy, compiled once.)
  if (!MAYBE_UNSTORABLE.test(text)) return true;
  return !text.includes('\u0000') && !LONE_SURROGATE_ONCE.test(text);
}
/** NUL or any surrogate code unit. */
const MAYBE_UNSTORABLE = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE_ONCE = new RegExp(LONE_SURROGATE.source);

/**
 * The path of the first string (value or object key) in `value` that PostgreSQL cannot
 * store, or null. Every event envelope is checked with it, so a record that slipped past
 * intake (an old producer, a replayed dead letter) is dead-lettered when it is parsed
 * instead of failing in the database on every retry.
 */
export function findUnstorableText(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, key];
      const found = findUnstorableText(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** The reason given when an event carries text PostgreSQL cannot store. */
export const UNSTORABLE_TEXT_REASON = 'contains NUL (U+0000) or an unpaired UTF-16 surrogate, which PostgreSQL cannot store';
