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

/** One message to queue. */
export interface QueueItem {
  kind: NotificationKind;
  dedupeKey: string;
  trackingId?: string;
  recipient: Recipient;
  message: RenderedMessage;
  headers?: Record<string, string>;
}

/** A step of enqueueMany: a message to queue, or an address proven reachable (markReachable) before the messages after it. */
export type StatusStep = QueueItem | { reachable: Recipient };

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

  async enqueue(item: QueueItem): Promise<void> {
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
   * enqueue() and markReachable for many steps, in their order, with three statements
   * whatever their number: the recipients' preferences read once, the steps applied to them
   * in memory (so a message after an address was proven reachable is not suppressed, as
   * one at a time), the reachable addresses updated, and every row inserted by one
   * INSERT whose rows draw their queue position in the steps' order. Status messages only:
   * the hourly limit of `reply` messages needs a count per message (enqueue()).
   */
  async enqueueMany(steps: StatusStep[]): Promise<void> {
    const items = steps.filter((s): s is QueueItem => !('reachable' in s));
    if (items.some((i) => i.kind !== 'status')) throw new Error('enqueueMany queues status messages only');
    const addresses = steps.map((s) => ('reachable' in s ? s.reachable : s.recipient)).filter((r) => r.channel !== 'webhook' && r.channel !== 'ombudsman');
    const prefs = new Map<string, { optedOut: boolean; unreachable: boolean; reason: string | null }>();
    const keyOf = (r: Recipient) => `${r.channel}\u0000${r.address}`;
    if (addresses.length) {
      const rows: { channel: string; address: string; opted_out: boolean; unreachable: boolean; reason: string | null }[] = await this.db.query(
        `SELECT channel, address, opted_out, unreachable, reason FROM recipients
          WHERE (channel, address) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))`,
        [addresses.map((a) => a.channel), addresses.map((a) => a.address)],
      );
      for (const r of rows) prefs.set(`${r.channel}\u0000${r.address}`, { optedOut: r.opted_out, unreachable: r.unreachable, reason: r.reason });
    }
    const reachable = new Map<string, Recipient>();
    const rows: Record<string, unknown>[] = [];
    for (const step of steps) {
      if ('reachable' in step) {
        const pref = prefs.get(keyOf(step.reachable));
        if (pref?.unreachable) {
          prefs.set(keyOf(step.reachable), { ...pref, unreachable: false, reason: null });
          reachable.set(keyOf(step.reachable), step.reachable);
        }
        continue;
      }
      const { channel, address } = step.recipient;
      const pref = channel === 'webhook' || channel === 'ombudsman' ? undefined : prefs.get(keyOf(step.recipient));
      const suppressed = pref?.unreachable ? `unreachable: ${pref.reason ?? ''}` : pref?.optedOut ? 'opted out' : null;
      rows.push({
        id: randomUUID(),
        dedupe_key: step.dedupeKey,
        kind: step.kind,
        tracking_id: step.trackingId ?? null,
        channel,
        address,
        subject: step.message.subject ?? null,
        headers: step.headers ?? step.message.headers ?? null,
        body: step.message.body,
        state: suppressed ? 'suppressed' : 'pending',
        last_error: suppressed,
      });
    }
    if (reachable.size) {
      const list = [...reachable.values()];
      await this.db.query(
        `UPDATE recipients SET unreachable = false, reason = NULL, updated_at = now()
          WHERE unreachable AND (channel, address) IN (SELECT * FROM unnest($1::varchar[], $2::varchar[]))`,
        [list.map((r) => r.channel), list.map((r) => r.address)],
      );
    }
    if (!rows.length) return;
    const inserted: { state: string; dedupe_key: string; channel: string; last_error: string | null }[] = await this.db.query(
      `INSERT INTO notifications (id, dedupe_key, kind, tracking_id, channel, address, subject, headers, body, state, last_error, next_attempt_at)
       SELECT r.id, r.dedupe_key, r.kind, r.tracking_id, r.channel, r.address, r.subject, r.headers, r.body, r.state, r.last_error, now()
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(row, n), jsonb_populate_record(NULL::notifications, e.row) AS r
        ORDER BY e.n
       ON CONFLICT DO NOTHING
       RETURNING state, dedupe_key, channel, last_error`,
      [JSON.stringify(rows)],
    );
    for (const r of inserted) if (r.state === 'suppressed') this.log.log(`${r.dedupe_key} to ${r.channel} suppressed (${r.last_error})`);
    if (inserted.some((r) => r.state === 'pending')) this.dispatcher.kick();
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
