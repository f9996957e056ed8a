import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Update } from 'telegraf/types';
import { TelegramChatAdapter } from '../adapters/telegram/telegram.adapter';
import { ChannelIntakeService } from '@lapor/runtime';

const IDLE_PAUSE_MS = 300;
const MAX_BACKOFF_MS = 30_000;

/**
 * Long polling for local use (TELEGRAM_MODE=polling). Telegram forgets an update only when
 * a later getUpdates passes an offset beyond it, so the offset moves past an update only
 * after its event is durably on the bus: a crash or a bus outage re-reads it, and its
 * update_id keeps the re-read from registering twice. (telegraf's own launch() moves the
 * offset as soon as updates arrive, which would lose them on a bus outage.)
 */
@Injectable()
export class TelegramPollingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('TelegramPolling');
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly adapter: TelegramChatAdapter,
    private readonly intake: ChannelIntakeService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.adapter.enabled && this.adapter.settings.mode === 'polling') this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const telegram = this.adapter.bot!.telegram;
    // getUpdates is refused while a webhook is set.
    await this.retrying('deleteWebhook', () => telegram.deleteWebhook());
    this.log.log('Telegram long polling started');
    let offset = 0;
    while (!this.stopped) {
      const updates = await this.retrying('getUpdates', () =>
        telegram.callApi('getUpdates', { offset, timeout: 25, allowed_updates: ['message', 'edited_message'] }, { signal: this.abort.signal as never }),
      );
      for (const update of updates ?? []) {
        const ok = await this.retrying(`update ${update.update_id}`, async () => this.intake.publish('telegram', [await this.adapter.handle(update as Update)]).then(() => true));
        if (ok === undefined) return; // stopped before it was stored: not acknowledged, re-read next time
        offset = update.update_id + 1;
      }
      if (!updates?.length) await this.sleep(IDLE_PAUSE_MS);
    }
  }

  /** Retries with backoff until it works or the service stops (then undefined). */
  private async retrying<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (this.stopped) return undefined;
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
        this.log.warn(`${what} failed (${(error as Error).message}); retrying in ${delay} ms`);
        await this.sleep(delay);
      }
    }
    return undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done);
    });
  }
}
