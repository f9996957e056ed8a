import { Inject, Injectable, Logger } from '@nestjs/common';
import { AGENCY_WEBHOOK_HEADERS, AgencyNoticePayload, agencyWebhookDeliveryId, CONVERSATION_CHANNEL_IDS, Envelope } from '@lapor/contracts';
import type { Channel, ChannelCommandPayload, ChannelNoticePayload, ComplaintEscalatedPayload, ComplaintStatusChangedPayload, DeliveryStatusPayload, StatusReplyPayload } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import type { CitizenChannel, NotificationKind } from '../entities';
import { agencyWebhookBody, renderAgencyNoticeEmail } from '../messages/agency-notice.message';
import { renderCommandReply, renderNotice, renderStatusReply, ROUTER_COMMANDS, RouterCommand } from '../messages/replies.message';
import { renderOmbudsmanEmail } from '../messages/ombudsman.message';
import { carriesOmbudsmanOffer, isAcknowledgement, isSilent, renderOmbudsmanOffer, renderStatus } from '../messages/status.message';
import type { MessageLinks } from '../messages/message';
import { renderPublicAcknowledgement } from '../messages/public-reply.message';
import { publicReplyAddress } from '../senders/x/x.sender';
import { NotificationQueueService, Recipient, StatusStep } from './notification-queue.service';
import { DeliveryReportsService } from './delivery-reports.service';
import { RecipientsService } from './recipients.service';

const isRouterCommand = (c: ChannelCommandPayload['command']): c is RouterCommand => ROUTER_COMMANDS.includes(c);

/** Channels a citizen can be answered on, at the address they wrote from (the registry's `replies`). */
const REPLYABLE: Partial<Record<Channel, CitizenChannel>> = Object.fromEntries(CONVERSATION_CHANNEL_IDS.map((c) => [c, c]));

/**
 * Decides who is told what: status changes go to the channel the complaint came in on
 * and to every reply address it gave; command answers go back to the sender; notices to
 * officials go to each recipient's e-mail and, when the body registered one, its system's
 * signed webhook.
 */
@Injectable()
export class NotificationService {
  private readonly log = new Logger(NotificationService.name);
  private webhooksOffLogged = false;

  constructor(
    private readonly queue: NotificationQueueService,
    private readonly recipients: RecipientsService,
    private readonly deliveryReports: DeliveryReportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onStatusChanged(p: ComplaintStatusChangedPayload): Promise<void> {
    if (p.ombudsmanOffer) await this.offerOmbudsman(p);
    for (const step of this.statusSteps(p)) {
      if ('reachable' in step) await this.recipients.markReachable(step.reachable.channel, step.reachable.address);
      else await this.queue.enqueue(step);
    }
  }

  /**
   * Status changes of one fetched batch (issue 12): runs of ordinary changes are queued
   * together, with one look-up of the recipients' preferences and one INSERT
   * (NotificationQueueService.enqueueMany); a change that carries the Ombudsman offer or
   * answers the reporter's own action goes through onStatusChanged between them. So the
   * queue order (one recipient's messages go out in it) is the events' order, as one at a time.
   */
  async onStatusChangedBatch(batch: ComplaintStatusChangedPayload[]): Promise<void> {
    let run: StatusStep[] = [];
    const flush = async () => {
      if (run.length) await this.queue.enqueueMany(run);
      run = [];
    };
    for (const p of batch) {
      if (p.ombudsmanOffer || p.actor?.kind === 'reporter') {
        await flush();
        await this.onStatusChanged(p);
      } else run.push(...this.statusSteps(p));
    }
    await flush();
  }

  /** What a status change asks for, in order: messages to queue, and addresses it proves reachable. */
  private statusSteps(p: ComplaintStatusChangedPayload): StatusStep[] {
    if (isSilent(p)) return []; // `received` is announced with the routing outcome, `returned` with the re-routing (see renderStatus)
    const steps: StatusStep[] = [];
    // A change the reporter made themselves (objection, confirmation, their answer) answers their own action: an opt-out does not silence it.
    const kind: NotificationKind = p.actor?.kind === 'reporter' ? 'reply' : 'status';
    const recipients = new Map<string, Recipient>();
    const own = REPLYABLE[p.channel];
    if (own) recipients.set(`${own}:${p.senderId}`, { channel: own, address: p.senderId });
    for (const r of p.replyTo) {
      if (r.publicReplyTo) {
        // A public post (X mention) is answered once, with the tracking id and a DM invitation only.
        const message = renderPublicAcknowledgement(p);
        if (message) steps.push({ kind: 'status', dedupeKey: `status:${p.trackingId}:${p.sequence}`, trackingId: p.trackingId, recipient: { channel: r.channel, address: publicReplyAddress(r.publicReplyTo) }, message });
        continue;
      }
      recipients.set(`${r.channel}:${r.address}`, { channel: r.channel, address: r.address });
    }
    // A new complaint from this person proves they can be reached again (unblocked the bot, phone back on).
    if (own && isAcknowledgement(p) && !p.replyTo.some((r) => r.publicReplyTo)) steps.push({ reachable: { channel: own, address: p.senderId } });
    for (const recipient of recipients.values()) {
      steps.push({ kind, dedupeKey: `status:${p.trackingId}:${p.sequence}`, trackingId: p.trackingId, recipient, message: renderStatus(p, recipient.channel as CitizenChannel, this.links) });
    }
    return steps;
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
      message: renderCommandReply(p.command, channel, p.locale),
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

  /**
   * A notice for a body's officials (from the desk): one e-mail per recipient, and the
   * signed POST to the body's own system when it registered one. Officials' notices are
   * never silenced by a citizen's opt-out; each goes once per (notice, address).
   */
  async onAgencyNotice(event: Envelope<AgencyNoticePayload>): Promise<void> {
    const p = event.payload;
    for (const r of p.recipients) {
      await this.queue.enqueue({
        kind: 'official',
        dedupeKey: `agency:${p.noticeId}`,
        trackingId: p.trackingId,
        recipient: { channel: 'email', address: r.email.toLowerCase() },
        message: renderAgencyNoticeEmail(p, r.name),
      });
    }
    if (!p.webhook) return;
    if (!this.config.env.AGENCY_WEBHOOK_SECRET) {
      if (!this.webhooksOffLogged) this.log.warn(`agency webhooks are off: AGENCY_WEBHOOK_SECRET is not set (notice ${p.noticeId} for ${p.body.code} not posted)`);
      this.webhooksOffLogged = true;
      return;
    }
    const H = AGENCY_WEBHOOK_HEADERS;
    await this.queue.enqueue({
      kind: 'official',
      dedupeKey: `agency:${p.noticeId}`,
      trackingId: p.trackingId,
      recipient: { channel: 'webhook', address: p.webhook.url },
      message: { subject: p.kind, body: agencyWebhookBody(p, event.occurredAt) },
      headers: {
        [H.event]: p.kind,
        [H.delivery]: agencyWebhookDeliveryId(p.noticeId, p.body.code),
        [H.keyVersion]: String(p.webhook.keyVersion),
        [H.body]: p.body.code,
      },
    });
  }

  /** What messages may point to (a sentence that needs an unset one is left out). */
  private get links(): MessageLinks {
    return { publicBaseUrl: this.config.env.PUBLIC_BASE_URL, smsNumber: this.config.env.TWILIO_FROM_NUMBER };
  }

  /**
   * The reporter may forward the complaint to Ombudsman RI (overdue follow-up, or closed
   * while they objected): told once, on their own channel and private reply addresses
   * (never a public post), with how to answer there. A close that carries the offer tells it
   * itself (one message); a reporter who sent STOP gets the offer on its own anyway, once,
   * saying why: a STOP stops updates, it does not waive the right to go to Ombudsman RI.
   */
  private async offerOmbudsman(p: ComplaintStatusChangedPayload): Promise<void> {
    const recipients = new Map<string, Recipient>();
    const own = REPLYABLE[p.channel];
    if (own) recipients.set(`${own}:${p.senderId}`, { channel: own, address: p.senderId });
    for (const r of p.replyTo) if (!r.publicReplyTo) recipients.set(`${r.channel}:${r.address}`, { channel: r.channel, address: r.address });
    for (const recipient of recipients.values()) {
      const optedOut = !!(await this.recipients.get(recipient.channel, recipient.address))?.optedOut;
      if (carriesOmbudsmanOffer(p) && !optedOut) continue;
      await this.queue.enqueue({
        kind: 'right',
        dedupeKey: `ombudsman-offer:${p.trackingId}`,
        trackingId: p.trackingId,
        recipient,
        message: renderOmbudsmanOffer(p, recipient.channel as CitizenChannel, this.links, optedOut),
      });
    }
  }

  /**
   * A complaint the reporter forwarded to Ombudsman RI (docs/ombudsman.md): the signed POST to
   * OMBUDSMAN_WEBHOOK_URL and/or an e-mail to OMBUDSMAN_EMAIL, through the outbox (bounded
   * retries; once per escalation and address, however often the event is delivered).
   */
  async onEscalated(p: ComplaintEscalatedPayload): Promise<void> {
    const { OMBUDSMAN_WEBHOOK_URL: url, OMBUDSMAN_WEBHOOK_SECRET: secret, OMBUDSMAN_EMAIL: email } = this.config.env;
    const dedupeKey = `ombudsman:${p.escalationId}`;
    if (url && secret) {
      const H = AGENCY_WEBHOOK_HEADERS;
      await this.queue.enqueue({
        kind: 'official',
        dedupeKey,
        trackingId: p.trackingId,
        recipient: { channel: 'ombudsman', address: url },
        message: { subject: 'complaint.escalated', body: JSON.stringify(p) },
        headers: { [H.event]: 'complaint.escalated', [H.delivery]: agencyWebhookDeliveryId(p.escalationId, 'ombudsman-ri')},
      });
    } else if (url) this.log.warn(`${p.trackingId} forwarded to Ombudsman RI, not posted: OMBUDSMAN_WEBHOOK_SECRET is not set (unsigned posts are never sent)`);
    if (email) {
      await this.queue.enqueue({ kind: 'official', dedupeKey, trackingId: p.trackingId, recipient: { channel: 'email', address: email.toLowerCase() }, message: renderOmbudsmanEmail(p) });
    }
    if (!url && !email) this.log.warn(`${p.trackingId} forwarded to Ombudsman RI, but neither OMBUDSMAN_WEBHOOK_URL nor OMBUDSMAN_EMAIL is set: nothing delivered`);
  }

  /** A vendor's delivery report: recorded, and applied to its message once that is known. */
  async onDeliveryStatus(p: DeliveryStatusPayload): Promise<void> {
    await this.deliveryReports.record(p);
  }

}
