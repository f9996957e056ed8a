import { randomBytes } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Argon2id through @node-rs/argon2 (a maintained Rust binding, no build step), with the
 * library's defaults: m=19456 KiB, t=2, p=1, OWASP's recommended minimum for Argon2id
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html).
 */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash no password matches, verified for unknown accounts so their answer takes as long. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(16).toString('hex')));
}

/** One-time passwords: 4 groups of 4 from an alphabet without look-alikes (easy to read out and type). */
export function oneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

export const MIN_PASSWORD_LENGTH = 12;

/** Bahasa Indonesia reason, or null when acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter.`;
  if (password.length > 200) return 'Kata sandi terlalu panjang (maksimal 200 karakter).';
  if (password.toLowerCase().includes(email.split('@')[0].toLowerCase())) return 'Kata sandi tidak boleh memuat nama akun e-mail.';
  return null;
}
