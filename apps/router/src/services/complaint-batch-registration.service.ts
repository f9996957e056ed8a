import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Channel, ComplaintInboundPayload, Envelope, INBOUND_CHANNEL_IDS } from '@lapor/contracts';
import { APP_CONFIG, AppConfig, EventPublisher, PendingEvent } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import type { ComplaintEntity } from '../entities';
import { RouterOutbox } from '../outbox/router-outbox.service';
import { BodyRoutingService } from '../routing/body-routing.service';
import { assignmentOf, messageRow } from './complaint.mapper';
import { statusChangedEvent } from './complaint-record.service';
import { ComplaintRegistrationService, newComplaintValues, routedNote } from './complaint-registration.service';
import { replyAddressForms } from './reporter-address';

type Inbound = Envelope<ComplaintInboundPayload>;

/**
 * The router's fast path for a fetched batch of inbound messages (issue 12): the messages
 * that per-record handling would register as new complaints are registered together, in
 * one transaction of four multi-row INSERTs (complaints, their messages, their two statuses,
 * the outbox), and their events leave in one outbox publish; every other message (a
 * follow-up, an answer, a redelivery, anything the bulk checks cannot clear) goes through
 * ComplaintRegistrationService.handleInbound as before, in the batch's order.
 *
 * Equivalence with per-record handling, which stays the reference:
 * - which messages are new is decided by the same look-ups as handleInbound's, asked for
 *   the whole batch at once (stored already? waiting for the reporter's answer? a follow-up
 *   within FOLLOW_UP_WINDOW_SECONDS or over the SMS rate limit?), conservatively: a message
 *   any of them might apply to is left to handleInbound, as is every message of a sender
 *   with more than one message in the batch;
 * - the rows and events are those of ComplaintRegistrationService.register (shared builders);
 * - the complaints are new rows, so they need no row lock; a unique violation (a concurrent
 *   delivery, a tracking id taken) rolls the whole transaction back, the batch fails, and the
 *   bus hands each message to handleInbound, which knows what each constraint means;
 * - a registered message processed again (the batch failed later, or was redelivered) is a
 *   stored message for handleInbound: it only publishes what is still pending.
 * Nothing read back: registered_at is set here, not by the database's default.
 */
@Injectable()
export class ComplaintBatchRegistrationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registration: ComplaintRegistrationService,
    private readonly routing: BodyRoutingService,
    private readonly outbox: RouterOutbox,
    private readonly events: EventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handleInboundBatch(batch: Inbound[]): Promise<void> {
    if (this.config.env.ROUTER_BATCH_REGISTRATION === 'off') {
      for (const event of batch) await this.registration.handleInbound(event);
      return;
    }
    const { fresh, stored } = await this.newComplaints(batch);
    if (fresh.size) await this.registerAll(batch.filter((e) => fresh.has(e)));
    // Stored already (a redelivery): handleInbound would only publish what their storing left pending.
    if (stored.size) await this.outbox.publishPendingOf([...stored.values()]);
    // The rest, in order (each of them is independent of the new complaints: none of those
    // is waiting for an answer, and no chat sender of the rest has a message among them).
    for (const event of batch) if (!fresh.has(event) && !stored.has(event)) await this.registration.handleInbound(event);
  }

  /**
   * `fresh`: the messages of `batch` that handleInbound would register as new complaints, as
   * far as the bulk look-ups can tell; `stored`: those stored already, with the complaint that
   * holds them.
   */
  private async newComplaints(batch: Inbound[]): Promise<{ fresh: Set<Inbound>; stored: Map<Inbound, string> }> {
    const messageKey = (p: ComplaintInboundPayload) => `${p.channel}\u0000${p.channelMessageId}`;
    const senderKey = (p: ComplaintInboundPayload) => `${p.channel}\u0000${p.senderId}`;
    const storedIn = await this.storedMessages(batch.map((e) => e.payload));
    const stored = new Map<Inbound, string>();
    const perSender = new Map<string, number>();
    for (const { payload: p } of batch) perSender.set(senderKey(p), (perSender.get(senderKey(p)) ?? 0) + 1);
    const seenMessages = new Set<string>();
    const seenTrackingIds = new Set<string>();
    const candidates: Inbound[] = [];
    for (const event of batch) {
      const p = event.payload;
      const firstOfItsKind = !seenMessages.has(messageKey(p)) && !seenTrackingIds.has(p.trackingId);
      seenMessages.add(messageKey(p));
      seenTrackingIds.add(p.trackingId);
      const owner = storedIn.get(messageKey(p));
      if (owner) stored.set(event, owner);
      if (!firstOfItsKind || owner || p.threadTo) continue;
      if (isChat(p.channel) && perSender.get(senderKey(p))! > 1) continue;
      candidates.push(event);
    }
    const chat = candidates.filter((e) => isChat(e.payload.channel)).map((e) => e.payload);
    const busy = chat.length ? await this.sendersWithHistory(chat) : new Set<ComplaintInboundPayload>();
    return { fresh: new Set(candidates.filter((e) => !busy.has(e.payload))), stored };
  }

  /** Which of these messages are stored already (handleInbound's findMessage, for all at once). */
  private async storedMessages(payloads: ComplaintInboundPayload[]): Promise<Map<string, string>> {
    const rows: { channel: string; channel_message_id: string; tracking_id: string }[] = await this.db.query(
      `SELECT channel, channel_message_id, tracking_id FROM complaint_messages
        WHERE (channel, channel_message_id) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))`,
      [payloads.map((p) => p.channel), payloads.map((p) => p.channelMessageId)],
    );
    return new Map(rows.map((r) => [`${r.channel}\u0000${r.channel_message_id}`, r.tracking_id]));
  }

  /**
   * The chat messages (SMS, Telegram, X) whose sender handleInbound could not treat as new:
   * a complaint of theirs waits for their answer (answerToQuestion), or they sent a message
   * on this channel recently enough to matter for the follow-up window (openComplaintOf) or
   * the SMS rate limit (overRateLimit). Both as one query each for the whole batch.
   */
  private async sendersWithHistory(chat: ComplaintInboundPayload[]): Promise<Set<ComplaintInboundPayload>> {
    const { FOLLOW_UP_WINDOW_SECONDS: followUp, SMS_RATE_LIMIT_WINDOW_SECONDS: rateWindow, SMS_RATE_LIMIT_MAX_MESSAGES: rateMax } = this.config.env;
    const busy = new Set<ComplaintInboundPayload>();
    // A limit of 0 makes every SMS over it: leave them all to handleInbound.
    for (const p of chat) if (p.channel === 'sms' && rateMax <= 0) busy.add(p);
    const forms = chat.map((p) => replyAddressForms(p.channel, p.senderId).map((address) => ({ channel: p.channel, address })));
    const waiting: Pick<ComplaintEntity, 'channel' | 'senderId' | 'replyTo'>[] = (
      await this.db.query(
        `SELECT channel, sender_id, reply_to FROM complaints
          WHERE status = 'waiting_info'
            AND ((channel, sender_id) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[])) OR reply_to @> ANY (CAST($3 AS jsonb[])))`,
        [chat.map((p) => p.channel), chat.map((p) => p.senderId), forms.flat().map((f) => JSON.stringify([f]))],
      )
    ).map((r: { channel: Channel; sender_id: string; reply_to: ComplaintEntity['replyTo'] }) => ({ channel: r.channel, senderId: r.sender_id, replyTo: r.reply_to }));
    chat.forEach((p, i) => {
      const matches = (c: (typeof waiting)[number]) =>
        (c.channel === p.channel && c.senderId === p.senderId) || c.replyTo.some((r) => forms[i].some((f) => f.channel === r.channel && f.address === r.address));
      if (waiting.some(matches)) busy.add(p);
    });
    // The latest message per (channel, sender), whatever its complaint's status: later than
    // the widest window before the message, and it may be a follow-up or count towards the limit.
    const latest: { channel: string; sender_id: string; latest: Date }[] = await this.db.query(LATEST_MESSAGE_OF_SENDERS, [
      chat.map((p) => p.channel),
      chat.map((p) => p.senderId),
      INBOUND_CHANNEL_IDS,
    ]);
    const latestOf = new Map(latest.map((r) => [`${r.channel}\u0000${r.sender_id}`, new Date(r.latest).getTime()]));
    const windowMs = Math.max(followUp, rateWindow) * 1000;
    for (const p of chat) {
      const last = latestOf.get(`${p.channel}\u0000${p.senderId}`);
      if (last !== undefined && last >= new Date(p.receivedAt).getTime() - windowMs) busy.add(p);
    }
    return busy;
  }

  /** ComplaintRegistrationService.register for many new complaints: one transaction, then one publish. */
  private async registerAll(fresh: Inbound[]): Promise<void> {
    const now = new Date();
    const complaints: ComplaintEntity[] = [];
    const messages: ReturnType<typeof messageRow>[] = [];
    const statuses: StatusRow[] = [];
    const outbox: { tracking_id: string; event: PendingEvent }[] = [];
    for (const [i, event] of fresh.entries()) {
      // Routing is CPU work (about a millisecond each): let timers run in between, so the bus
      // keeps heartbeating while a large batch is routed on a busy machine.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
      const p = event.payload;
      const decision = this.routing.decide(p);
      const complaint: ComplaintEntity = { ...newComplaintValues(event, p.trackingId, decision), overdue: [], registeredAt: now, updatedAt: now };
      complaints.push(complaint);
      messages.push(messageRow(complaint.trackingId, event));
      const received = { status: 'received' as const, previousStatus: null, sequence: 1, at: new Date(p.receivedAt), note: null, assignment: null };
      const routed = { status: complaint.status, previousStatus: 'received' as const, sequence: 2, at: now, note: routedNote(decision), assignment: assignmentOf(complaint) };
      for (const step of [received, routed]) {
        statuses.push({ id: randomUUID(), tracking_id: complaint.trackingId, sequence: step.sequence, status: step.status, at: step.at, note: step.note, assignment: step.assignment });
      }
      for (const pending of [
        this.registration.registeredEvent(event, complaint),
        statusChangedEvent(this.events, complaint, received, event.correlationId),
        statusChangedEvent(this.events, complaint, routed, event.correlationId),
      ]) {
        outbox.push({ tracking_id: complaint.trackingId, event: pending });
      }
    }
    const written = await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO complaints (${COMPLAINT_COLUMNS.join(', ')})
         SELECT ${COMPLAINT_COLUMNS.join(', ')} FROM jsonb_populate_recordset(NULL::complaints, $1::jsonb)`,
        [JSON.stringify(complaints.map(complaintRow))],
      );
      await tx.query(
        `INSERT INTO complaint_messages (id, tracking_id, channel, channel_message_id, text, attachments, received_at, event_id)
         SELECT id, tracking_id, channel, channel_message_id, text, attachments, received_at, event_id
           FROM jsonb_populate_recordset(NULL::complaint_messages, $1::jsonb)`,
        [
          JSON.stringify(
            messages.map((m) => ({ id: m.id, tracking_id: m.trackingId, channel: m.channel, channel_message_id: m.channelMessageId, text: m.text, attachments: m.attachments, received_at: m.receivedAt, event_id: m.eventId })),
          ),
        ],
      );
      await tx.query(
        `INSERT INTO complaint_status_changes (id, tracking_id, sequence, status, at, note, assignment)
         SELECT id, tracking_id, sequence, status, at, note, assignment FROM jsonb_populate_recordset(NULL::complaint_status_changes, $1::jsonb)`,
        [JSON.stringify(statuses)],
      );
      return this.outbox.addMany(tx, outbox);
    });
    fresh.forEach((event, i) => this.registration.logRegistered(event, complaints[i].trackingId, complaints[i].decision!));
    // New complaints: these events are all they have pending, so they leave from memory.
    await this.outbox.publishWritten(written);
  }
}

/**
 * The latest message per (message channel, complaint sender) of a batch's chat senders.
 * Driven by the batch (an index look-up per sender on ix_complaints_sender, whose first
 * column every channel id fills, then the complaint's messages by tracking id): the first
 * form, `(m.channel, c.sender_id) IN (unnest …)` over the join, could use no index and read
 * every complaint for every batch (132 ms per batch of 100 at 300,000 complaints, growing
 * with the table; the router's "per-batch cost" of issue 12). Exported for the plan test.
 */
export const LATEST_MESSAGE_OF_SENDERS = `
  SELECT u.channel, u.sender_id, max(m.received_at) AS latest
    FROM (SELECT DISTINCT * FROM unnest($1::varchar[], $2::varchar[]) AS x(channel, sender_id)) u
    JOIN complaints c ON c.sender_id = u.sender_id AND c.channel = ANY($3::varchar[])
    JOIN complaint_messages m ON m.tracking_id = c.tracking_id AND m.channel = u.channel
   GROUP BY u.channel, u.sender_id`;

/** Complaints routed between two turns of the event loop. */
const YIELD_EVERY = 20;

interface StatusRow {
  id: string;
  tracking_id: string;
  sequence: number;
  status: string;
  at: Date;
  note: string | null;
  assignment: unknown;
}

/** Channels whose messages may thread (follow-ups, answers, flood control); web and app posts never do. */
function isChat(channel: Channel): boolean {
  return channel !== 'web' && channel !== 'mobile';
}

const COMPLAINT_COLUMNS = [
  'tracking_id', 'channel', 'sender_id', 'text', 'region_code', 'lat', 'lon', 'attachments', 'reporter', 'reply_to', 'locale', 'anonymous', 'confidential', 'category',
  'status', 'assignment_kind', 'assignment_code', 'assignment_name', 'assignment_unit', 'decision', 'version', 'submission_type', 'merged_into', 'received_at', 'registered_at', 'updated_at',
];

/** The complaint as a row of `complaints` (column names as in the migrations). */
function complaintRow(c: ComplaintEntity): Record<string, unknown> {
  return {
    tracking_id: c.trackingId,
    channel: c.channel,
    sender_id: c.senderId,
    text: c.text,
    region_code: c.regionCode,
    lat: c.lat,
    lon: c.lon,
    attachments: c.attachments,
    reporter: c.reporter,
    reply_to: c.replyTo,
    locale: c.locale,
    anonymous: c.anonymous,
    confidential: c.confidential,
    category: c.category,
    status: c.status,
    assignment_kind: c.assignmentKind,
    assignment_code: c.assignmentCode,
    assignment_name: c.assignmentName,
    assignment_unit: c.assignmentUnit,
    decision: c.decision,
    version: c.version,
    submission_type: c.submissionType,
    merged_into: c.mergedInto,
    received_at: c.receivedAt,
    registered_at: c.registeredAt,
    updated_at: c.updatedAt,
  };
}
