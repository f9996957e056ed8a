import { Inject, Injectable } from '@nestjs/common';
import type { Channel, ChannelCommandPayload, ChannelNoticePayload, ComplaintStatusChangedPayload, DeliveryStatusPayload, StatusReplyPayload } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import type { OutboundChannel } from '../entities';
import { renderCommandReply, renderNotice, renderStatusReply, ROUTER_COMMANDS, RouterCommand } from '../messages/replies.message';
import { isAcknowledgement, renderStatus } from '../messages/status.message';
import { renderPublicAcknowledgement } from '../messages/public-reply.message';
import { publicReplyAddress } from '../senders/x/x.sender';
import { NotificationQueueService, Recipient } from './notification-queue.service';
import { DeliveryReportsService } from './delivery-reports.service';
import { RecipientsService } from './recipients.service';

const isRouterCommand = (c: ChannelCommandPayload['command']): c is RouterCommand => ROUTER_COMMANDS.includes(c);

/** Channels a citizen can be answered on, at the address they wrote from. */
const REPLYABLE: Partial<Record<Channel, OutboundChannel>> = { sms: 'sms', telegram: 'telegram', x: 'x' };

/**
 * Decides who is told what: status changes go to the channel the complaint came in on
 * and to every reply address it gave; command answers go back to the sender.
 */
@Injectable()
export class NotificationService {
  constructor(
    private readonly queue: NotificationQueueService,
    private readonly recipients: RecipientsService,
    private readonly deliveryReports: DeliveryReportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onStatusChanged(p: ComplaintStatusChangedPayload): Promise<void> {
    if (p.status === 'received') return; // announced together with the routing outcome (see renderStatus)
    const recipients = new Map<string, Recipient>();
    const own = REPLYABLE[p.channel];
    if (own) recipients.set(`${own}:${p.senderId}`, { channel: own, address: p.senderId });
    for (const r of p.replyTo) {
      if (r.publicReplyTo) {
        // A public post (X mention) is answered once, with the tracking id and a DM invitation only.
        const message = renderPublicAcknowledgement(p);
        if (message) await this.queue.enqueue({ kind: 'status', dedupeKey: `status:${p.trackingId}:${p.sequence}`, trackingId: p.trackingId, recipient: { channel: r.channel, address: publicReplyAddress(r.publicReplyTo) }, message });
        continue;
      }
      recipients.set(`${r.channel}:${r.address}`, { channel: r.channel, address: r.address });
    }
    // A new complaint from this person proves they can be reached again (unblocked the bot, phone back on).
    if (own && isAcknowledgement(p) && !p.replyTo.some((r) => r.publicReplyTo)) await this.recipients.markReachable(own, p.senderId);
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
    if (isRouterCommand(p.command)) return; // the router answers it (StatusReply, or the status change)
    const channel = REPLYABLE[p.channel];
    if (!channel) return;
    await this.recipients.markReachable(channel, p.senderId); // they just wrote to us, e.g. /start after unblocking the bot
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

  /** A notice about the sender's own message (too long, rate-limited): one per onceKey, never silenced by opt-out. */
  async onNotice(p: ChannelNoticePayload): Promise<void> {
    const channel = REPLYABLE[p.channel];
    if (!channel) return;
    await this.queue.enqueue({
      kind: 'reply',
      dedupeKey: `notice:${p.onceKey}`,
      trackingId: p.trackingId,
      recipient: { channel, address: p.senderId },
      message: renderNotice(p, channel),
    });
  }

  /** A vendor's delivery report: recorded, and applied to its message once that is known. */
  async onDeliveryStatus(p: DeliveryStatusPayload): Promise<void> {
    await this.deliveryReports.record(p);
  }

}
