import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { loadConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { createNotifierApp } from '../../apps/notifier/src/notifier.app';
import { createTestDatabase, TestDatabase } from './database';
import { startSmtpServer } from './smtp';

/**
 * The notifier as its own service for its integration tests: on a fresh PostgreSQL database,
 * a real SMTP server (test/support/smtp.ts), and an in-process bus the test publishes to.
 * Polls and retries fast (100 ms); `env` adds or overrides settings.
 */
export class NotifierHarness {
  app!: INestApplication;
  readonly bus = new InProcessBus();
  db!: TestDatabase;
  smtp!: Awaited<ReturnType<typeof startSmtpServer>>;

  async start(env: Record<string, string> = {}, smtpOptions?: Parameters<typeof startSmtpServer>[0]): Promise<this> {
    this.db = await createTestDatabase();
    this.smtp = await startSmtpServer(smtpOptions);
    const config = loadConfig({
      DATABASE_URL: this.db.url,
      SMTP_URL: this.smtp.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-notifier-')),
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_POLL_MS: '100',
      LOG_LEVEL: 'error',
      ...env,
    } as NodeJS.ProcessEnv);
    this.app = await createNotifierApp(config, { bus: this.bus });
    await this.app.startAllMicroservices();
    await this.app.init();
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.db?.drop();
    await this.smtp?.stop();
  }

  /** The e-mails the SMTP server took for `address`. */
  mailsTo(address: string) {
    return this.smtp.inbox.filter((m) => m.rcptTo.includes(address));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as DataSource.query gives them; a test names the columns it reads
  sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.app.get(DataSource).query(query, params);
  }
}
