import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ComplaintStatusChangedPayload, Envelope } from '@lapor/contracts';
import { isUniqueViolation } from '@lapor/persistence';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { NotificationEntity } from '../entities/notification.entity';
import { renderStatusEmail } from '../messages/status-message';
import { CHANNEL_SENDERS, ChannelSender } from '../senders/channel-sender';

/**
 * Tells the complainant about a status change on every address they gave. Each
 * (status change, recipient) is one row in `notifications`; a row already `sent` is
 * never sent again, so redelivered events produce no second message. A failed send
 * throws, leaving the event uncommitted: the bus redelivers it with backoff.
 */
@Injectable()
export class NotificationService {
  private readonly log = new Logger(NotificationService.name);
  private readonly senders: Map<string, ChannelSender>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.senders = new Map(senders.map((s) => [s.channel, s]));
  }

  async onStatusChanged(event: Envelope<ComplaintStatusChangedPayload>): Promise<void> {
    const p = event.payload;
    for (const recipient of p.replyTo) {
      const sender = this.senders.get(recipient.channel);
      if (!sender) {
        this.log.debug(`no sender for ${recipient.channel}; ${p.trackingId} #${p.sequence} not sent there`);
        continue;
      }
      await this.deliver(sender, recipient.address, p);
    }
  }

  private async deliver(sender: ChannelSender, address: string, p: ComplaintStatusChangedPayload): Promise<void> {
    const repo = this.db.getRepository(NotificationEntity);
    const key = { trackingId: p.trackingId, sequence: p.sequence, channel: sender.channel, address };
    let row = await repo.findOne({ where: key });
    if (!row) {
      try {
        row = await repo.save(repo.create({ id: randomUUID(), ...key, status: p.status, state: 'pending', attempts: 0, lastError: null, externalId: null, sentAt: null }));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        row = await repo.findOneOrFail({ where: key });
      }
    }
    if (row.state === 'sent') return;

    const message = renderStatusEmail(p, this.config.env.PUBLIC_BASE_URL);
    try {
      const result = await sender.send(address, message, { 'X-Lapor-Tracking-Id': p.trackingId, 'X-Lapor-Status': p.status });
      await repo.update({ id: row.id }, { state: 'sent', attempts: row.attempts + 1, externalId: result.externalId, sentAt: new Date(), lastError: null });
    } catch (error) {
      await repo.update({ id: row.id }, { state: 'failed', attempts: row.attempts + 1, lastError: String((error as Error).message ?? error).slice(0, 2000) });
      throw error;
    }
  }
}
