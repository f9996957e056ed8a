import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Embedded mode's stand-in for a vendor: each outbound message becomes a file in
 * OUTBOX_DIR/<channel>/ (JSON; e-mail writes .eml itself), so `npm start` needs no account.
 */
export function writeToOutbox(outboxDir: string, channel: string, to: string, message: { subject?: string | null; body: string; headers?: Record<string, string> }): string {
  const dir = join(outboxDir, channel);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.json`);
  writeFileSync(file, JSON.stringify({ channel, to, ...message, writtenAt: new Date().toISOString() }, null, 2));
  return file;
}
