import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(item: { kind: NotificationKind; dedupeKey: string; trackingId?: string; recipient: Recipient; message: RenderedMessage; headers?: Record<string, string> }): Promise<void> {
    const { channel, address } = item.recipient;
    const suppressed = await this.suppressionReason(item.kind, channel, address);
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
        headers: item.headers ?? item.message.headers ?? null,
        body: item.message.body,
        state: suppressed ? 'suppressed' : 'pending',
        lastError: suppressed,
        nextAttemptAt: () => 'now()',
      })
      .orIgnore()
      .execute();
    if (suppressed) this.log.log(`${item.dedupeKey} to ${channel} suppressed (${suppressed})`);
    else if (result.identifiers.length) this.dispatcher.kick();
  }

  /**
   * Why this message must not go out, if it must not: a dead address, an opt-out (status
   * messages only; answers to the person's own commands and notices to officials still go),
   * or too many answers to one address within an hour (every SMS costs money; a CEK/INFO
   * flood gets no more).
   */
  private async suppressionReason(kind: NotificationKind, channel: OutboundChannel, address: string): Promise<string | null> {
    if (channel === 'webhook' || channel === 'ombudsman') return null; // an agency's or the Ombudsman's system: failures are per message (see AgencyWebhookSender), never a dead address
    const pref = await this.recipients.get(channel, address);
    if (pref?.unreachable) return `unreachable: ${pref.reason ?? ''}`;
    if (pref?.optedOut && kind === 'status') return 'opted out';
    if (kind === 'reply') {
      const [{ n }] = await this.db.query(
        `SELECT count(*)::int AS n FROM notifications WHERE kind = 'reply' AND channel = $1 AND address = $2 AND created_at > now() - interval '1 hour' AND state <> 'suppressed'`,
        [channel, address],
      );
      if (n >= this.config.env.NOTIFY_MAX_REPLIES_PER_HOUR) return `reply limit: ${this.config.env.NOTIFY_MAX_REPLIES_PER_HOUR} per hour`;
    }
    return null;
  }
}
