import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Channel, ChannelCommandPayload, ComplaintStatusChangedPayload, DeliveryStatusPayload, StatusReplyPayload } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { NotificationEntity, OutboundChannel } from '../entities';
import { renderCommandReply, renderStatusReply } from '../messages/replies.message';
import { renderStatus } from '../messages/status.message';
import { CHANNEL_SENDERS, ChannelSender } from '../senders/channel-sender';
import { NotificationQueueService, Recipient } from './notification-queue.service';
import { RecipientsService } from './recipients.service';

/** Channels a citizen can be answered on, at the address they wrote from. */
const REPLYABLE: Partial<Record<Channel, OutboundChannel>> = { sms: 'sms', telegram: 'telegram', x: 'x' };

/**
 * Decides who is told what: status changes go to the channel the complaint came in on
 * and to every reply address it gave; command answers go back to the sender.
 */
@Injectable()
export class NotificationService {
  private readonly log = new Logger(NotificationService.name);
  private readonly senders: Map<string, ChannelSender>;

  constructor(
    private readonly queue: NotificationQueueService,
    private readonly recipients: RecipientsService,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
  ) {
    this.senders = new Map(senders.map((s) => [s.channel, s]));
  }

  async onStatusChanged(p: ComplaintStatusChangedPayload): Promise<void> {
    if (p.status === 'received') return; // announced together with the routing outcome (see renderStatus)
    const recipients = new Map<string, Recipient>();
    const own = REPLYABLE[p.channel];
    if (own) recipients.set(`${own}:${p.senderId}`, { channel: own, address: p.senderId });
    for (const r of p.replyTo) recipients.set(`${r.channel}:${r.address}`, { channel: r.channel, address: r.address });
    for (const recipient of recipients.values()) {
      await this.queue.enqueue({
        kind: 'status',
        dedupeKey: `status:${p.trackingId}:${p.sequence}`,
        trackingId: p.trackingId,
        recipient,
        message: renderStatus(p, recipient.channel, this.config.env.PUBLIC_BASE_URL),
      });
    }
  }

  async onCommand(p: ChannelCommandPayload): Promise<void> {
    if (p.command === 'status') return; // the router answers it (StatusReply)
    const channel = REPLYABLE[p.channel];
    if (!channel) return;
    if (p.command === 'opt_out' || p.command === 'opt_in') await this.recipients.setOptedOut(channel, p.senderId, p.command === 'opt_out');
    await this.queue.enqueue({
      kind: 'reply',
      dedupeKey: `reply:${p.channel}:${p.channelMessageId}`,
      recipient: { channel, address: p.senderId },
      message: renderCommandReply(p.command, channel),
    });
  }

  async onStatusReply(p: StatusReplyPayload): Promise<void> {
    const channel = REPLYABLE[p.channel];
    if (!channel) return;
    await this.queue.enqueue({
      kind: 'reply',
      dedupeKey: `reply:${p.channel}:${p.inReplyTo}`,
      trackingId: p.result.outcome === 'found' ? p.result.trackingId : undefined,
      recipient: { channel, address: p.senderId },
      message: renderStatusReply(p, channel),
    });
  }

  /** A vendor's delivery report: record it, and remember addresses that will never work. */
  async onDeliveryStatus(p: DeliveryStatusPayload): Promise<void> {
    const repo = this.db.getRepository(NotificationEntity);
    const n = await repo.findOne({ where: { channel: p.channel, externalId: p.externalId } });
    if (!n) {
      this.log.debug(`delivery report for unknown ${p.channel} message ${p.externalId}`);
      return;
    }
    const state = p.status === 'delivered' || p.status === 'read' ? 'delivered' : p.status === 'undelivered' || p.status === 'failed' ? 'undelivered' : n.state;
    await repo.update({ id: n.id }, { vendorStatus: p.status, vendorError: p.errorCode ?? null, state });
    const sender = this.senders.get(p.channel);
    if (state === 'undelivered' && p.errorCode && sender?.isPermanentDeliveryError?.(p.errorCode)) {
      await this.recipients.markUnreachable(n.channel, n.address, `${p.channel} error ${p.errorCode}`);
    }
  }
}
