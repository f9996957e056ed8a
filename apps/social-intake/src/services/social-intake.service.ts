import { Injectable, Logger } from '@nestjs/common';
import { EventPublisher } from '@lapor/runtime';
import type { Update } from 'telegraf/types';
import { InboundItem, summary, toEvents } from '../adapters/inbound-item';
import { TelegramChatAdapter } from '../adapters/telegram/telegram.adapter';
import { XAccountActivityAdapter } from '../adapters/x/x.adapter';

/**
 * Turns channel events into bus events and resolves only once they are durable, so a
 * 2xx to Telegram or X always means "stored"; a BusUnavailableError becomes 503 and the
 * platform re-delivers (the same update_id / event id registers once).
 */
@Injectable()
export class SocialIntakeService {
  private readonly log = new Logger(SocialIntakeService.name);

  constructor(
    private readonly events: EventPublisher,
    private readonly telegram: TelegramChatAdapter,
    private readonly x: XAccountActivityAdapter,
  ) {}

  async acceptTelegramUpdate(update: Update) {
    return this.publish('telegram', [await this.telegram.handle(update)]);
  }

  async acceptXActivity(body: unknown) {
    return this.publish('x', this.x.parse(body));
  }

  private async publish(channel: string, items: InboundItem[]) {
    const events = toEvents(this.events, items);
    if (events.length) await this.events.publish(...events);
    for (const item of items) if (item.kind === 'ignored') this.log.debug(`${channel}: ignoring ${item.reason}`);
    return summary(items);
  }
}
