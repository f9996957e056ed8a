import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ChannelNotice,
  ComplaintInboundPayload,
  ComplaintRegistered,
  ComplaintStatus,
  Envelope,
  INBOUND_CHANNEL_IDS,
  isTerminal,
  newTrackingId,
  RoutingDecision,
  SubmissionType,
  TERMINAL_STATUSES,
  truncateText,
} from '@lapor/contracts';
import { isUniqueViolation } from '@lapor/persistence';
import { APP_CONFIG, AppConfig, EventPublisher, PendingEvent } from '@lapor/runtime';
import { Brackets, DataSource, In, Not } from 'typeorm';
import { COMPLAINT_KEY_CONSTRAINT, ComplaintEntity, ComplaintMessageEntity, MESSAGE_DEDUPE_CONSTRAINT } from '../entities';
import { BodyRoutingService } from '../routing/body-routing.service';
import { ComplaintLifecycleService } from './complaint-lifecycle.service';
import { ComplaintRecordService, RecordChange } from './complaint-record.service';
import { isReporterOf, replyAddressForms } from './reporter-address';
import { messageRow } from './complaint.mapper';

/**
 * Turns inbound messages into complaint records, exactly once, and announces exactly what
 * each message changed.
 *
 * Kafka delivers at least once, so this is idempotent: the message's (channel,
 * channelMessageId) is unique in complaint_messages (uq_complaint_messages_channel_message).
 * A message is stored in one transaction together with the events it causes (the router's
 * outbox): a new complaint announces `complaint.registered` and its first statuses, a
 * follow-up only a status it changed (re-routing out of triage), a redelivery nothing new.
 * The events are published before the handler returns; a redelivery of a message whose
 * first handling stopped between commit and publish publishes what is still pending.
 */
@Injectable()
export class ComplaintRegistrationService {
  private readonly log = new Logger(ComplaintRegistrationService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly routing: BodyRoutingService,
    private readonly records: ComplaintRecordService,
    private readonly lifecycle: ComplaintLifecycleService,
    private readonly events: EventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stores the message (a new complaint or a follow-up) unless it is already stored; returns the tracking id that owns it. */
  async handleInbound(event: Envelope<ComplaintInboundPayload>): Promise<string> {
    const p = event.payload;
    const known = await this.findMessage(p.channel, p.channelMessageId);
    if (known) return this.alreadyStored(known.trackingId);
    const answered = await this.answerToQuestion(event);
    if (answered) return answered;
    // Decided from messages received before this one, so every delivery decides the same.
    const limited = await this.overRateLimit(p);
    // Over the limit nothing is dropped and no new complaint (nor acknowledgement SMS) is made:
    // the message joins the sender's latest complaint.
    const latest = limited ? await this.latestComplaintOf(p) : null;
    const joined = latest ? await this.attachFollowUp(latest.trackingId, event, { limited, evenIfClosed: true }) : null;
    if (joined) return joined;
    const open = await this.openComplaintOf(p);
    const followed = open ? await this.attachFollowUp(open.trackingId, event, { limited }) : null;
    return followed ?? this.register(event, p.trackingId, limited);
  }

  /** The message is stored: announce nothing again, only finish publishing what its storing queued. */
  private async alreadyStored(trackingId: string): Promise<string> {
    await this.records.publishPending(trackingId);
    return trackingId;
  }

  private async register(event: Envelope<ComplaintInboundPayload>, trackingId: string, limited: boolean): Promise<string> {
    const p = event.payload;
    const decision = this.routing.decide(p);
    const values = newComplaintValues(event, trackingId, decision);
    const routed = values.status;
    try {
      await this.records.create(values, event.correlationId, async (c) => {
        await c.tx.insert(ComplaintMessageEntity, messageRow(trackingId, event));
        c.emit(this.registeredEvent(event, c.complaint));
        await c.appendStatus('received', null, new Date(p.receivedAt));
        await c.appendStatus(routed, routedNote(decision));
        if (limited) this.noticeRateLimit(c, event);
      });
    } catch (error) {
      if (isUniqueViolation(error, MESSAGE_DEDUPE_CONSTRAINT)) return this.concurrentDeliveryWon(event);
      if (!isUniqueViolation(error, COMPLAINT_KEY_CONSTRAINT)) throw error;
      // The tracking id is taken: by this same message, stored a moment ago by a concurrent
      // delivery, or by another message whose id hashed to the same tracking id (~1 in 10^14).
      const owner = await this.findMessage(p.channel, p.channelMessageId);
      if (owner) return this.alreadyStored(owner.trackingId);
      const fresh = newTrackingId();
      this.log.warn(`tracking id ${trackingId} already taken; registering ${p.channel}:${p.channelMessageId} as ${fresh}`);
      return this.register(event, fresh, limited);
    }
    this.logRegistered(event, trackingId, decision);
    return trackingId;
  }

  /** `complaint.registered` of a complaint just created from `event`. */
  registeredEvent(event: Envelope<ComplaintInboundPayload>, complaint: ComplaintEntity): PendingEvent {
    const p = event.payload;
    return this.events.event(
      ComplaintRegistered,
      {
        trackingId: complaint.trackingId,
        channel: complaint.channel,
        senderId: complaint.senderId,
        registeredAt: complaint.registeredAt.toISOString(),
        decision: complaint.decision!,
        anonymous: complaint.anonymous,
        confidential: complaint.confidential,
        receivedAt: p.receivedAt,
        excerpt: truncateText(p.text, 300),
        submissionType: complaint.submissionType,
      },
      event.correlationId,
    );
  }

  logRegistered(event: Envelope<ComplaintInboundPayload>, trackingId: string, decision: RoutingDecision): void {
    this.log.log(`registered ${trackingId} from ${event.payload.channel} → ${decision.kind} ${decision.code} ${decision.name} (${decision.confidence.toFixed(2)})`);
  }

  /**
   * Adds the message to the complaint under its lock; a complaint still in triage is routed
   * again with the whole story. Null when the complaint was closed meanwhile (the caller
   * registers the message as a new complaint), unless `evenIfClosed` (a flood's messages).
   */
  private async attachFollowUp(trackingId: string, event: Envelope<ComplaintInboundPayload>, opts: { limited: boolean; evenIfClosed?: boolean }): Promise<string | null> {
    const p = event.payload;
    let routedTo: string | undefined;
    try {
      const attached = await this.records.change(trackingId, event.correlationId, async (c) => {
        const complaint = c.complaint;
        if (isTerminal(complaint.status) && !opts.evenIfClosed) return false;
        const messages = await c.tx.find(ComplaintMessageEntity, { where: { trackingId }, order: { receivedAt: 'ASC' } });
        await c.tx.insert(ComplaintMessageEntity, messageRow(trackingId, event));
        const update: Partial<ComplaintEntity> = { attachments: [...complaint.attachments, ...p.attachments] };
        if (p.location?.point && complaint.lat === null) Object.assign(update, { lat: p.location.point.lat, lon: p.location.point.lon });
        // Read under the lock: an admin who assigned it a moment ago has taken it out of triage.
        const story = [...messages.map((m) => m.text), p.text].join('\n');
        const rerouted = complaint.status === 'triage' ? this.routing.decide({ text: story, location: p.location ?? locationOf(complaint) }) : null;
        if (rerouted && rerouted.kind !== 'triage') {
          routedTo = rerouted.name;
          await c.setStatus('assigned', rerouted.name, {
            ...update,
            assignmentKind: rerouted.kind,
            assignmentCode: rerouted.code,
            assignmentName: rerouted.name,
            assignmentUnit: rerouted.unit?.needsReview === false ? rerouted.unit.unit : null,
            decision: rerouted,
          });
        } else {
          await c.update(update);
        }
        if (opts.limited) this.noticeRateLimit(c, event);
        return true;
      });
      if (!attached) return null;
    } catch (error) {
      // Only "this message is already stored" means done; anything else (a lock timeout, a
      // lost connection, another constraint) propagates so the bus retries the message.
      if (isUniqueViolation(error, MESSAGE_DEDUPE_CONSTRAINT)) return this.concurrentDeliveryWon(event);
      throw error;
    }
    this.log.log(`${p.channel}:${p.channelMessageId} attached to complaint ${trackingId}${routedTo ? ` and routed to ${routedTo}` : ''}`);
    return trackingId;
  }

  /**
   * The reporter's answer to an officer's question: while one of their complaints waits
   * for information (`waiting_info`), their next message joins it whatever the follow-up
   * window says, and returns it to the officer (`provide-info`, in the same change). From a
   * chat channel: a message from the complaint's channel and sender, or from a private
   * reply address they gave (an SMS from the phone on a web complaint), to their latest
   * such complaint. From the web status page: `threadTo`, honoured only for a web or app
   * complaint (its tracking id is its reporter's key) that waits for information. Null when
   * the message is no answer: it is handled like any other.
   */
  private async answerToQuestion(event: Envelope<ComplaintInboundPayload>): Promise<string | null> {
    const p = event.payload;
    const waiting = await this.waitingComplaintOf(p);
    if (!waiting) return null;
    try {
      const answered = await this.records.change(waiting, event.correlationId, async (c) => {
        if (c.complaint.status !== 'waiting_info') return false; // answered or moved on a moment ago
        await c.tx.insert(ComplaintMessageEntity, messageRow(waiting, event));
        if (p.attachments.length) await c.update({ attachments: [...c.complaint.attachments, ...p.attachments] });
        const text = p.text.trim() || `(${p.attachments.length} lampiran tanpa teks)`;
        await this.lifecycle.applyWithin(c, { action: 'provide-info', text }, { kind: 'reporter' }, { answerStored: true, idempotencyKey: `${p.channel}:${p.channelMessageId}` });
        return true;
      });
      if (!answered) return null;
    } catch (error) {
      if (isUniqueViolation(error, MESSAGE_DEDUPE_CONSTRAINT)) return this.concurrentDeliveryWon(event);
      throw error;
    }
    this.log.log(`${p.channel}:${p.channelMessageId} answers the question on ${waiting}`);
    return waiting;
  }

  private async waitingComplaintOf(p: ComplaintInboundPayload): Promise<string | null> {
    if (p.threadTo) {
      const c = await this.db.manager.findOne(ComplaintEntity, { where: { trackingId: p.threadTo } });
      return c && c.status === 'waiting_info' && (c.channel === 'web' || c.channel === 'mobile') ? c.trackingId : null;
    }
    if (p.channel === 'web' || p.channel === 'mobile') return null;
    const c = await this.db.manager
      .createQueryBuilder(ComplaintEntity, 'c')
      .where(`c.status = 'waiting_info'`)
      .andWhere(
        new Brackets((q) =>
          q
            .where('c.channel = :channel AND c.sender_id = :sender', { channel: p.channel, sender: p.senderId })
            .orWhere(`c.reply_to @> ANY (CAST(:forms AS jsonb[]))`, { forms: replyAddressForms(p.channel, p.senderId).map((address) => JSON.stringify([{ channel: p.channel, address }])) }),
        ),
      )
      .orderBy('c.updated_at', 'DESC')
      .getOne();
    return c && isReporterOf(c, p.channel, p.senderId) ? c.trackingId : null;
  }

  /** Another delivery of this same message stored it first: done, once what it queued is published. */
  private async concurrentDeliveryWon(event: Envelope<ComplaintInboundPayload>): Promise<string> {
    const p = event.payload;
    const winner = await this.findMessage(p.channel, p.channelMessageId);
    if (!winner) throw new Error(`${p.channel}:${p.channelMessageId} violated the message key but is not stored`);
    return this.alreadyStored(winner.trackingId);
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
      // Every channel id, so the look-up goes through ix_complaints_sender (channel, sender_id) instead of reading every complaint.
      .andWhere('c.channel IN (:...channels)', { channels: INBOUND_CHANNEL_IDS })
      .andWhere('c.status NOT IN (:...done)', { done: TERMINAL_STATUSES })
      .orderBy('m.received_at', 'DESC')
      .getOne();
    if (!last || new Date(p.receivedAt).getTime() - last.receivedAt.getTime() > windowMs) return null;
    return this.db.manager.findOne(ComplaintEntity, { where: { trackingId: last.trackingId, status: Not(In([...TERMINAL_STATUSES])) } });
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
      // Every channel id, so the look-up goes through ix_complaints_sender (channel, sender_id) instead of reading every complaint.
      .andWhere('c.channel IN (:...channels)', { channels: INBOUND_CHANNEL_IDS })
      .andWhere('m.received_at > :since AND m.received_at <= :until AND m.channel_message_id <> :self', { since, until, self: p.channelMessageId })
      .getCount();
    return count >= max;
  }

  private latestComplaintOf(p: ComplaintInboundPayload): Promise<ComplaintEntity | null> {
    return this.db.manager.findOne(ComplaintEntity, { where: { channel: p.channel, senderId: p.senderId }, order: { receivedAt: 'DESC' } });
  }

  /** One polite notice per complaint, however long the flood (the notifier sends once per onceKey). */
  private noticeRateLimit(c: RecordChange, event: Envelope<ComplaintInboundPayload>): void {
    const p = event.payload;
    const trackingId = c.complaint.trackingId;
    this.log.warn(`${p.channel} sender over the rate limit; ${p.channelMessageId} stored on ${trackingId}`);
    c.emit(
      this.events.event(
        ChannelNotice,
        { channel: p.channel, senderId: p.senderId, inReplyTo: p.channelMessageId, notice: 'rate_limited', onceKey: `rate_limited:${p.channel}:${p.senderId}:${trackingId}`, trackingId, locale: p.locale },
        event.correlationId,
      ),
    );
  }

  private findMessage(channel: string, channelMessageId: string) {
    return this.db.manager.findOne(ComplaintMessageEntity, { where: { channel: channel as ComplaintMessageEntity['channel'], channelMessageId } });
  }
}

/** The record of a new complaint from `event`, routed by `decision` (registered and updated now, by the database's clock). */
export function newComplaintValues(event: Envelope<ComplaintInboundPayload>, trackingId: string, decision: RoutingDecision) {
  const p = event.payload;
  const routed: ComplaintStatus = decision.kind === 'triage' ? 'triage' : 'assigned';
  return {
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
    version: 0,
    submissionType: submissionTypeOf(decision),
    mergedInto: null,
    receivedAt: new Date(p.receivedAt),
  } satisfies Omit<ComplaintEntity, 'registeredAt' | 'updatedAt' | 'overdue'>;
}

/** The note of the routed status: who has it, or that an admin must look. */
export function routedNote(decision: RoutingDecision): string {
  return decision.kind === 'triage' ? 'Perlu verifikasi admin' : decision.name;
}

/** What routing says the submission is (pengaduan when it does not say). */
function submissionTypeOf(decision: RoutingDecision): SubmissionType {
  return decision.submissionType?.type ?? 'complaint';
}

function locationOf(c: ComplaintEntity): ComplaintInboundPayload['location'] {
  const point = c.lat !== null && c.lon !== null ? { lat: c.lat, lon: c.lon } : undefined;
  return c.regionCode || point ? { regionCode: c.regionCode ?? undefined, point } : undefined;
}
