import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '@lapor/bus';
import { loadConfig } from '@lapor/runtime';
import { createNotifierApp } from '../../apps/notifier/src/notifier.app';
import { createTestDatabase } from './database';
import { ServiceHarness } from './service-harness';
import { startSmtpServer } from './smtp';

/**
 * The notifier as its own service for its integration tests: on a fresh PostgreSQL database,
 * a real SMTP server (test/support/smtp.ts), and an in-process bus the test publishes to.
 * Polls and retries fast (100 ms); `env` adds or overrides settings.
 */
export class NotifierHarness extends ServiceHarness {
  readonly bus = new InProcessBus();
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
    await this.boot(await createNotifierApp(config, { bus: this.bus }));
    return this;
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.smtp?.stop();
  }

  /** The e-mails the SMTP server took for `address`. */
  mailsTo(address: string) {
    return this.smtp.inbox.filter((m) => m.rcptTo.includes(address));
  }

}
