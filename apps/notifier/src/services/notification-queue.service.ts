import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationEntity, NotificationKind, OutboundChannel } from '../entities';
import type { RenderedMessage } from '../messages/message';
import { DispatcherService } from './dispatcher.service';
import { RecipientsService } from './recipients.service';

export interface Recipient {
  channel: OutboundChannel;
  address: string;
}

/**
 * Puts rendered messages into the notifications table (the notifier's outbox). Insert is
 * idempotent on (dedupe key, channel, address), so an event delivered twice enqueues once.
 * Status messages to an opted-out or unreachable recipient are recorded as `suppressed`.
 */
@Injectable()
export class NotificationQueueService {
  private readonly log = new Logger(NotificationQueueService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly recipients: RecipientsService,
    private readonly dispatcher: DispatcherService,
  ) {}

  async enqueue(item: { kind: NotificationKind; dedupeKey: string; trackingId?: string; recipient: Recipient; message: RenderedMessage; headers?: Record<string, string> }): Promise<void> {
    const { channel, address } = item.recipient;
    const pref = await this.recipients.get(channel, address);
    const suppressed = !!pref && (pref.unreachable || (pref.optedOut && item.kind === 'status'));
    const result = await this.db
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values({
        id: randomUUID(),
        dedupeKey: item.dedupeKey,
        kind: item.kind,
        trackingId: item.trackingId ?? null,
        channel,
        address,
        subject: item.message.subject ?? null,
        body: item.message.body,
        state: suppressed ? 'suppressed' : 'pending',
        lastError: suppressed ? (pref!.unreachable ? `unreachable: ${pref!.reason ?? ''}` : 'opted out') : null,
        nextAttemptAt: () => 'now()',
      })
      .orIgnore()
      .execute();
    if (suppressed) this.log.log(`${item.dedupeKey} to ${channel} suppressed (${pref!.unreachable ? 'unreachable' : 'opted out'})`);
    else if (result.identifiers.length) this.dispatcher.kick();
  }
}
