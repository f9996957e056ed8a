import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ChannelNotice,
  ComplaintInboundPayload,
  ComplaintRegistered,
  ComplaintStatus,
  ComplaintStatusChanged,
  Envelope,
  newTrackingId,
  TERMINAL_STATUSES,
} from '@lapor/contracts';
import { isUniqueViolation } from '@lapor/persistence';
import { APP_CONFIG, AppConfig, EventPublisher } from '@lapor/runtime';
import { DataSource, EntityManager, Not, In } from 'typeorm';
import { ComplaintEntity, ComplaintMessageEntity, StatusChangeEntity } from '../entities';
import { BodyRoutingService } from '../routing/body-routing.service';
import { assignmentOf, messageRow } from './complaint.mapper';
import { appendStatus } from './status-history';

/**
 * Turns inbound messages into complaint records, exactly once, and announces them.
 *
 * Kafka delivers at least once, so this is idempotent: the message's (channel,
 * channelMessageId) is unique in complaint_messages. Storing happens in one transaction;
 * the events are published afterwards from what is stored. If publishing fails, the
 * handler throws, the bus redelivers, the store step finds the message already there
 * and the events go out again (the notifier dedupes on trackingId + sequence).
 */
@Injectable()
export class ComplaintRegistrationService {
  private readonly log = new Logger(ComplaintRegistrationService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly routing: BodyRoutingService,
    private readonly events: EventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handleInbound(event: Envelope<ComplaintInboundPayload>): Promise<string> {
    // Decided from messages received before this one, so a redelivery decides the same.
    const limited = await this.overRateLimit(event.payload);
    const trackingId = await this.register(event, undefined, limited);
    await this.announce(trackingId, event.correlationId);
    if (limited) await this.noticeRateLimit(event, trackingId);
    return trackingId;
  }

  /** Stores the complaint if this message is new; returns the tracking id that owns the message. */
  private async register(event: Envelope<ComplaintInboundPayload>, trackingId = event.payload.trackingId, limited = false): Promise<string> {
    const p = event.payload;
    const known = await this.findMessage(this.db.manager, p.channel, p.channelMessageId);
    if (known) return known.trackingId;
    // Over the limit nothing is dropped and no new complaint (nor acknowledgement SMS) is made:
    // the message joins the sender's latest complaint.
    const latest = limited ? await this.latestComplaintOf(p) : null;
    if (latest) return this.attachFollowUp(latest, event);
    const open = await this.openComplaintOf(p);
    if (open) return this.attachFollowUp(open, event);

    const decision = this.routing.decide(p);
    const routed: ComplaintStatus = decision.kind === 'triage' ? 'triage' : 'assigned';
    const now = new Date();
    try {
      await this.db.transaction(async (tx) => {
        await tx.insert(ComplaintEntity, {
          trackingId,
          channel: p.channel,
          senderId: p.senderId,
          text: p.text,
          regionCode: p.location?.regionCode ?? null,
          lat: p.location?.point?.lat ?? null,
          lon: p.location?.point?.lon ?? null,
          attachments: p.attachments,
          reporter: p.reporter ?? null,
          replyTo: p.replyTo,
          locale: p.locale,
          anonymous: p.anonymous,
          confidential: p.confidential,
          category: p.category ?? null,
          status: routed,
          assignmentKind: decision.kind,
          assignmentCode: decision.code || null,
          assignmentName: decision.name,
          assignmentUnit: decision.unit?.needsReview === false ? decision.unit.unit : null,
          decision,
          receivedAt: new Date(p.receivedAt),
        });
        await tx.insert(ComplaintMessageEntity, messageRow(trackingId, event));
        await tx.insert(StatusChangeEntity, [
          { id: randomUUID(), trackingId, sequence: 1, status: 'received', at: new Date(p.receivedAt), note: null },
          { id: randomUUID(), trackingId, sequence: 2, status: routed, at: now, note: decision.kind === 'triage' ? 'Perlu verifikasi admin' : decision.name },
        ]);
      });
      this.log.log(`registered ${trackingId} from ${p.channel} → ${decision.kind} ${decision.code} ${decision.name} (${decision.confidence.toFixed(2)})`);
      return trackingId;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either a concurrent delivery of the same message won (fine), or another message
      // already owns this tracking id (a hash collision, ~1 in 10^14): register under a fresh id.
      const winner = await this.findMessage(this.db.manager, p.channel, p.channelMessageId);
      if (winner) return winner.trackingId;
      const fresh = newTrackingId();
      this.log.warn(`tracking id ${trackingId} already taken; registering ${p.channel}:${p.channelMessageId} as ${fresh}`);
      return this.register(event, fresh);
    }
  }

  /**
   * Publishes what the record says: the registration and every status change so far
   * (or, for a later change, only the changes from `fromSequence` on).
   */
  async announce(trackingId: string, correlationId: string, fromSequence = 1): Promise<void> {
    const complaint = await this.db.manager.findOneOrFail(ComplaintEntity, { where: { trackingId } });
    const history = await this.db.manager.find(StatusChangeEntity, { where: { trackingId }, order: { sequence: 'ASC' } });
    const assignment = assignmentOf(complaint);
    const registered = fromSequence > 1 ? [] : [
      this.events.event(
        ComplaintRegistered,
        {
          trackingId,
          channel: complaint.channel,
          senderId: complaint.senderId,
          registeredAt: complaint.registeredAt.toISOString(),
          decision: complaint.decision!,
          anonymous: complaint.anonymous,
          confidential: complaint.confidential,
        },
        correlationId,
      ),
    ];
    await this.events.publish(
      ...registered,
      ...history.map((h, i) => [h, i] as const).filter(([h]) => h.sequence >= fromSequence).map(([h, i]) =>
        this.events.event(
          ComplaintStatusChanged,
          {
            trackingId,
            status: h.status,
            previousStatus: i > 0 ? history[i - 1].status : null,
            sequence: h.sequence,
            changedAt: h.at.toISOString(),
            channel: complaint.channel,
            senderId: complaint.senderId,
            replyTo: complaint.replyTo,
            locale: complaint.locale,
            assignment: h.status === 'received' ? null : assignment,
            ...(h.note ? { note: h.note } : {}),
          },
          correlationId,
          h.at,
        ),
      ),
    );
  }

  /**
   * People split a long story over several SMS or chat messages: a message from the same
   * sender within FOLLOW_UP_WINDOW_SECONDS of their last one joins that open complaint.
   * (Web and app posts are complete complaints and never thread.)
   */
  private async openComplaintOf(p: ComplaintInboundPayload): Promise<ComplaintEntity | null> {
    if (p.channel === 'web' || p.channel === 'mobile') return null;
    const windowMs = this.config.env.FOLLOW_UP_WINDOW_SECONDS * 1000;
    const last = await this.db.manager
      .createQueryBuilder(ComplaintMessageEntity, 'm')
      .innerJoin(ComplaintEntity, 'c', 'c.tracking_id = m.tracking_id')
      .where('m.channel = :channel AND c.sender_id = :sender', { channel: p.channel, sender: p.senderId })
      .andWhere('c.status NOT IN (:...done)', { done: TERMINAL_STATUSES })
      .orderBy('m.received_at', 'DESC')
      .getOne();
    if (!last || new Date(p.receivedAt).getTime() - last.receivedAt.getTime() > windowMs) return null;
    return this.db.manager.findOne(ComplaintEntity, { where: { trackingId: last.trackingId, status: Not(In([...TERMINAL_STATUSES])) } });
  }

  /** Adds the message to the complaint; a complaint still in triage is routed again with the whole story. */
  private async attachFollowUp(complaint: ComplaintEntity, event: Envelope<ComplaintInboundPayload>): Promise<string> {
    const p = event.payload;
    const trackingId = complaint.trackingId;
    const messages = await this.db.manager.find(ComplaintMessageEntity, { where: { trackingId }, order: { receivedAt: 'ASC' } });
    const story = [...messages.map((m) => m.text), p.text].join('\n');
    const rerouted = complaint.status === 'triage' ? this.routing.decide({ text: story, location: p.location ?? locationOf(complaint) }) : null;
    try {
      await this.db.transaction(async (tx) => {
        await tx.insert(ComplaintMessageEntity, messageRow(trackingId, event));
        const update: Partial<ComplaintEntity> = { attachments: [...complaint.attachments, ...p.attachments] };
        if (p.location?.point && complaint.lat === null) Object.assign(update, { lat: p.location.point.lat, lon: p.location.point.lon });
        if (rerouted && rerouted.kind !== 'triage') {
          Object.assign(update, {
            status: 'assigned',
            assignmentKind: rerouted.kind,
            assignmentCode: rerouted.code,
            assignmentName: rerouted.name,
            assignmentUnit: rerouted.unit?.needsReview === false ? rerouted.unit.unit : null,
            decision: rerouted,
          });
          await appendStatus(tx, trackingId, 'assigned', rerouted.name);
        }
        await tx.update(ComplaintEntity, { trackingId }, update);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return trackingId; // a concurrent delivery of this same message won
      throw error;
    }
    this.log.log(`${p.channel}:${p.channelMessageId} attached to open complaint ${trackingId}${rerouted && rerouted.kind !== 'triage' ? ` and routed to ${rerouted.name}` : ''}`);
    return trackingId;
  }

  /**
   * SMS flood control, kept here because only the router sees every intake replica's
   * messages: a sender who sent SMS_RATE_LIMIT_MAX_MESSAGES or more in the
   * SMS_RATE_LIMIT_WINDOW_SECONDS before this message is over the limit.
   */
  private async overRateLimit(p: ComplaintInboundPayload): Promise<boolean> {
    if (p.channel !== 'sms') return false;
    const { SMS_RATE_LIMIT_MAX_MESSAGES: max, SMS_RATE_LIMIT_WINDOW_SECONDS: windowSeconds } = this.config.env;
    const until = new Date(p.receivedAt);
    const since = new Date(until.getTime() - windowSeconds * 1000);
    const count = await this.db.manager
      .createQueryBuilder(ComplaintMessageEntity, 'm')
      .innerJoin(ComplaintEntity, 'c', 'c.tracking_id = m.tracking_id')
      .where('m.channel = :channel AND c.sender_id = :sender', { channel: p.channel, sender: p.senderId })
      .andWhere('m.received_at > :since AND m.received_at <= :until AND m.channel_message_id <> :self', { since, until, self: p.channelMessageId })
      .getCount();
    return count >= max;
  }

  private latestComplaintOf(p: ComplaintInboundPayload): Promise<ComplaintEntity | null> {
    return this.db.manager.findOne(ComplaintEntity, { where: { channel: p.channel, senderId: p.senderId }, order: { receivedAt: 'DESC' } });
  }

  /** One polite notice per complaint, however long the flood (the notifier sends once per onceKey). */
  private async noticeRateLimit(event: Envelope<ComplaintInboundPayload>, trackingId: string): Promise<void> {
    const p = event.payload;
    this.log.warn(`${p.channel} sender over the rate limit; ${p.channelMessageId} stored on ${trackingId}`);
    await this.events.publish(
      this.events.event(
        ChannelNotice,
        { channel: p.channel, senderId: p.senderId, inReplyTo: p.channelMessageId, notice: 'rate_limited', onceKey: `rate_limited:${p.channel}:${p.senderId}:${trackingId}`, trackingId, locale: p.locale },
        event.correlationId,
      ),
    );
  }

  private findMessage(m: EntityManager, channel: string, channelMessageId: string) {
    return m.findOne(ComplaintMessageEntity, { where: { channel: channel as ComplaintMessageEntity['channel'], channelMessageId } });
  }
}


function locationOf(c: ComplaintEntity): ComplaintInboundPayload['location'] {
  const point = c.lat !== null && c.lon !== null ? { lat: c.lat, lon: c.lon } : undefined;
  return c.regionCode || point ? { regionCode: c.regionCode ?? undefined, point } : undefined;
}
