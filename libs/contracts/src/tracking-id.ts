import { createHash, randomBytes } from 'node:crypto';

/**
 * Tracking ids are what a citizen types into an SMS ("CEK 7KQ4M-9XWRT-C"), so they are
 * short, case-insensitive, free of look-alike characters and carry a check character.
 *
 * Alphabet: digits 2-9 and A-Z without I, L, O (31 symbols; 0/O and 1/I/L never appear).
 * Body: 10 symbols (31^10 ≈ 8.2e14 ids). Check: a weighted sum mod 31 with weights 1..10;
 * because 31 is prime and the weights are distinct and non-zero, every single-character
 * typo and every swap of two adjacent characters changes the check and is rejected.
 */
export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BODY_LENGTH = 10;
const BASE = TRACKING_ALPHABET.length; // 31, prime

export type TrackingIdCheck =
  | { ok: true; trackingId: string }
  | { ok: false; reason: 'format' | 'checksum' };

function checkSymbol(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (i + 1) * TRACKING_ALPHABET.indexOf(body[i]);
  return TRACKING_ALPHABET[sum % BASE];
}

function encode(bytes: Buffer): string {
  // 10 symbols of base 31 need 50 bits; 8 bytes give 64 bits of uniform-enough input.
  let n = bytes.readBigUInt64BE(0);
  let out = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    out += TRACKING_ALPHABET[Number(n % BigInt(BASE))];
    n /= BigInt(BASE);
  }
  return out;
}

function withCheck(body: string): string {
  return body + checkSymbol(body);
}

/** A fresh random tracking id. */
export function newTrackingId(): string {
  return withCheck(encode(randomBytes(8)));
}

/**
 * The tracking id for one channel message, the same every time: a channel's retry
 * (Twilio MessageSid, Telegram update_id, an HTTP Idempotency-Key) gets the same id
 * from any stateless intake replica without asking anyone.
 */
export function trackingIdFor(channel: string, channelMessageId: string): string {
  return withCheck(encode(createHash('sha256').update(`${channel}\u0000${channelMessageId}`).digest()));
}

/** Canonical form: upper case, separators and spaces removed. */
export function normalizeTrackingId(input: string): string {
  return input.toUpperCase().replace(/[\s\-_.]/g, '');
}

/** Accepts what a person typed (any case, with or without dashes) and says whether it is a valid id. */
export function checkTrackingId(input: string): TrackingIdCheck {
  const id = normalizeTrackingId(input);
  if (id.length !== BODY_LENGTH + 1 || [...id].some((c) => !TRACKING_ALPHABET.includes(c))) {
    return { ok: false, reason: 'format' };
  }
  if (checkSymbol(id.slice(0, BODY_LENGTH)) !== id[BODY_LENGTH]) return { ok: false, reason: 'checksum' };
  return { ok: true, trackingId: id };
}

/** Readable grouping for messages to citizens: 7KQ4M-9XWRT-C. Parsing ignores the dashes. */
export function formatTrackingId(id: string): string {
  return `${id.slice(0, 5)}-${id.slice(5, 10)}-${id.slice(10)}`;
}

/** A tracking id as people type it after a keyword (any case, maybe grouped 5-5-1 by dashes or spaces), then what follows. */
const LEADING_ID = /^\s*([0-9a-z]{5}[\s-]?[0-9a-z]{5}[\s-]?[0-9a-z])(?=$|[\s.,:;!?-])[\s.,:;!?-]*([\s\S]*)$/i;

/**
 * Splits a command's argument into the tracking id at its start and the rest ("KEBERATAN
 * 7KQ4M-9XWRT-C jalan belum diperbaiki" → id "7KQ4M-9XWRT-C", rest "jalan belum
 * diperbaiki"); null when the argument does not start with something shaped like an id.
 * The id is as typed: checkTrackingId decides whether it is valid or mistyped.
 */
export function splitTrackingIdArgument(argument: string): { id: string; rest: string } | null {
  const m = LEADING_ID.exec(argument);
  return m ? { id: m[1], rest: m[2].trim() } : null;
}
