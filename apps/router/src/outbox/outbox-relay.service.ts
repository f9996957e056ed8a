import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { RouterOutbox } from './router-outbox.service';

/**
 * Publishes what an interrupted handler left in the outbox: a router that crashed between
 * its commit and its publish, or a publish the bus refused (the admin API answers once the
 * change is committed). Every ROUTER_OUTBOX_RELAY_MS it takes complaints whose events have
 * waited longer than that; at start it also clears what the previous process left.
 * Every router replica runs one; they never publish the same complaint at once (see RouterOutbox).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly outbox: RouterOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
        this.schedule(this.config.env.ROUTER_OUTBOX_RELAY_MS);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    try {
      const published = await this.outbox.relayPass(this.config.env.ROUTER_OUTBOX_RELAY_MS);
      if (published) this.log.warn(`published ${published} event(s) an interrupted publish had left in the outbox`);
    } catch (error) {
      this.log.warn(`outbox relay pass failed, next in ${this.config.env.ROUTER_OUTBOX_RELAY_MS} ms: ${(error as Error).message}`);
    }
  }
}
