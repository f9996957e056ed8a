import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';

/** What a running process leaves in DATA_DIR for the CLI: where to reach it and the secret it expects. */
export interface CliLinkFile {
  pid: number;
  url: string;
  secret: string;
}

export const CLI_SECRET_HEADER = 'x-desk-cli-secret';

export function cliLinkPath(dataDir: string): string {
  return join(dataDir, 'desk-cli.json');
}

/** The link of a process that is still running, or null (none, or left behind by a process that died). */
export function readCliLink(dataDir: string): CliLinkFile | null {
  const file = cliLinkPath(dataDir);
  if (!existsSync(file)) return null;
  try {
    const link = JSON.parse(readFileSync(file, 'utf8')) as CliLinkFile;
    process.kill(link.pid, 0);
    return link;
  } catch {
    return null;
  }
}

/**
 * PGlite is single-process: while `npm start` holds the embedded store, the CLI cannot open
 * it. So the running process publishes a local-only endpoint and a random secret in a file
 * only its user can read (DATA_DIR/desk-cli.json, mode 0600), and the CLI sends its command
 * there. The file is removed at shutdown; a stale one (its process gone) is ignored.
 */
@Injectable()
export class CliLink implements OnApplicationShutdown {
  private readonly secret = randomBytes(32).toString('hex');
  private published?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Only the embedded store needs it: on PostgreSQL the CLI opens the database itself. */
  get enabled(): boolean {
    return !this.config.database.databaseUrl;
  }

  publish(port: number): void {
    if (!this.enabled) return;
    const file = cliLinkPath(dirname(this.config.database.pgliteDir));
    mkdirSync(dirname(file), { recursive: true });
    const link: CliLinkFile = { pid: process.pid, url: `http://127.0.0.1:${port}`, secret: this.secret };
    writeFileSync(file, JSON.stringify(link), { mode: 0o600 });
    this.published = file;
  }

  accepts(secret: string | undefined): boolean {
    if (!this.published || !secret) return false;
    const a = Buffer.from(secret);
    const b = Buffer.from(this.secret);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  onApplicationShutdown(): void {
    if (this.published) rmSync(this.published, { force: true });
  }
}
