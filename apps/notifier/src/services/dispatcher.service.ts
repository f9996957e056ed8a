import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, LaporMetrics, METRICS } from '@lapor/runtime';
import { NotificationEntity } from '../entities';
import { NotificationOutboxRepository, RecordedAttempt } from '../repositories/notification-outbox.repository';
import { SenderRegistry } from '../senders/sender-registry';
import { ChannelSender, DeliveryInDoubtError, OutboundMessage, PermanentSendError, RetryLaterError } from '../senders/channel-sender';
import { DeliveryReportsService } from './delivery-reports.service';
import { RecipientsService } from './recipients.service';
import { SentOutcomes } from './sent-outcomes';

/** How long a vendor's answer is kept trying to be stored through a database outage before the message is left in doubt. */
const STORE_OUTCOME_FOR_MS = 60_000;

/** What the dispatcher has had to do about attempts in doubt, since it started. */
export interface DispatcherStats {
  /** Attempts in doubt that the vendor said it had accepted: marked sent, nothing resent. */
  settledFromVendor: number;
  /** Resends after an attempt in doubt to a vendor that cannot be asked: the recipient may have it twice. */
  possibleDuplicates: number;
  /** Outcomes not written because another replica had taken the message over. */
  leasesLost: number;
}

/**
 * Sends what is due in the notifications table, at most once per message wherever the
 * vendor allows it, and in queue order per recipient.
 *
 * - **Claim**: one statement takes the heads of up to NOTIFY_MAX_IN_FLIGHT recipients' queues
 *   (FOR UPDATE SKIP LOCKED) with a short lease (NOTIFY_LEASE_MS) and this dispatcher's
 *   token; the lease is renewed every NOTIFY_LEASE_RENEW_MS while the vendor call runs,
 *   so a long send is never taken over, and a crashed replica's messages are taken up
 *   by another within one lease.
 * - **Attempt**: recorded and committed (number, time, key, "in doubt") before the
 *   message is handed to the vendor, and cleared with the outcome. The claimed messages'
 *   first attempts are recorded in one statement, and "sent" outcomes that arrive together
 *   are written in one (SentOutcomes): fewer round trips, the same order of writes.
 * - **Settle**: a claimed message whose last attempt is still in doubt (the replica died
 *   between the vendor call and the outcome, or the vendor never answered) is first looked
 *   up at the vendor where it can be (Twilio): found, it is marked sent with the vendor's
 *   id and nothing is resent. Where it cannot (e-mail, Telegram, X), it is resent, with the
 *   same e-mail Message-ID, and flagged `possible_duplicate`.
 * - **Failures** back off exponentially (NOTIFY_RETRY_BASE_MS · 2^n, at most an hour) up
 *   to NOTIFY_MAX_ATTEMPTS; a permanent failure is not retried, and an address that can
 *   never be reached is remembered so it is not tried again.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(DispatcherService.name);
  /** This dispatcher's lease token: it owns the rows that carry it. */
  private readonly token = randomUUID();
  private readonly inFlight = new Map<string, Promise<void>>();
  private pollTimer?: NodeJS.Timeout;
  private renewTimer?: NodeJS.Timeout;
  private claiming?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly maxInFlight: number;
  private readonly sentOutcomes: SentOutcomes;
  readonly stats: DispatcherStats = { settledFromVendor: 0, possibleDuplicates: 0, leasesLost: 0 };

  constructor(
    private readonly outbox: NotificationOutboxRepository,
    private readonly senders: SenderRegistry,
    private readonly recipients: RecipientsService,
    private readonly deliveryReports: DeliveryReportsService,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(METRICS) private readonly metrics: LaporMetrics,
  ) {
    this.maxAttempts = config.env.NOTIFY_MAX_ATTEMPTS;
    this.retryBaseMs = config.env.NOTIFY_RETRY_BASE_MS;
    this.pollMs = config.env.NOTIFY_POLL_MS;
    this.leaseMs = config.env.NOTIFY_LEASE_MS;
    this.renewMs = config.env.NOTIFY_LEASE_RENEW_MS;
    this.maxInFlight = config.env.NOTIFY_MAX_IN_FLIGHT;
    this.sentOutcomes = new SentOutcomes((sent) => this.outbox.markSentMany(this.token, sent));
    if (!(this.renewMs > 0 && this.renewMs < this.leaseMs)) {
      throw new Error(`NOTIFY_LEASE_RENEW_MS (${this.renewMs}) must be above 0 and below NOTIFY_LEASE_MS (${this.leaseMs}), or leases run out while messages are being sent`);
    }
  }

  onApplicationBootstrap(): void {
    this.pollTimer = setInterval(() => this.kick(), this.pollMs);
    this.renewTimer = setInterval(() => void this.renewLeases(), this.renewMs);
    this.kick();
  }

  /** Lets the messages in flight finish (their leases still renewed), then stops. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    await this.claiming;
    await Promise.allSettled([...this.inFlight.values()]);
    clearInterval(this.renewTimer);
  }

  /** Claim and start what is due now (after an enqueue, or a send that finished), or right after the current claim. */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.fill()
      .catch((error) => this.log.error(`claiming due messages failed: ${(error as Error).message}`))
      .finally(() => {
        this.claiming = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async fill(): Promise<void> {
    const room = this.maxInFlight - this.inFlight.size;
    if (room <= 0 || this.stopped) return;
    const claimed = await this.outbox.claim(room, this.leaseMs, this.token, [...this.inFlight.keys()]);
    // First attempts of messages that can go out now, recorded together before any is sent;
    // a message in doubt is settled first and records its attempt on its own (dispatch).
    const plain = claimed.filter((n) => !n.attemptInDoubt && !!this.senders.for(n.channel));
    const attempts = await this.outbox.recordAttempts(
      plain.map((n) => n.id),
      this.token,
    );
    const recorded = new Set(plain.map((n) => n.id));
    for (const n of claimed) {
      const sending = this.dispatch(n, recorded.has(n.id) ? (attempts.get(n.id) ?? null) : undefined)
        .catch((error) => this.log.error(`${n.channel} message ${n.id} (${n.dedupeKey}): ${(error as Error).message}`))
        .finally(() => {
          this.inFlight.delete(n.id);
          this.kick();
        });
      this.inFlight.set(n.id, sending);
    }
  }

  private async renewLeases(): Promise<void> {
    if (!this.inFlight.size) return;
    try {
      await this.outbox.renew(this.token, [...this.inFlight.keys()], this.leaseMs);
    } catch (error) {
      this.log.warn(`renewing the leases of ${this.inFlight.size} messages failed: ${(error as Error).message}`);
    }
  }

  /** `recorded`: the attempt fill() recorded (null: the lease was lost meanwhile); undefined: record it here. */
  private async dispatch(n: NotificationEntity, recorded?: RecordedAttempt | null): Promise<void> {
    const sender = this.senders.for(n.channel);
    if (!sender) {
      await this.outbox.markFailed(n.id, this.token, { attempts: n.attempts, error: `channel ${n.channel} is not configured`, inDoubt: n.attemptInDoubt });
      return;
    }
    const message: OutboundMessage = {
      subject: n.subject,
      body: n.body,
      headers: { ...(n.headers ?? {}), ...(n.trackingId ? { 'X-Lapor-Tracking-Id': n.trackingId } : {}), 'X-Lapor-Notification': n.dedupeKey },
      idempotencyKey: n.id,
    };
    let possibleDuplicate = false;
    if (recorded === undefined && n.attemptInDoubt) {
      const settled = await this.settle(n, sender, message);
      if (settled === 'done') return;
      possibleDuplicate = settled === 'unknown';
    }

    const attempt = recorded === undefined ? await this.outbox.recordAttempt(n.id, this.token, possibleDuplicate) : recorded;
    if (!attempt) return this.leaseLost(n, 'before sending; not sent');
    if (possibleDuplicate) {
      this.stats.possibleDuplicates++;
      this.log.warn(
        `possible duplicate #${this.stats.possibleDuplicates}: resending ${n.channel} message ${n.id} (${n.dedupeKey}) as attempt ${attempt.key}; ` +
          `attempt ${n.attemptKey} may have reached the vendor, which cannot be asked`,
      );
    }
    let externalId: string;
    try {
      ({ externalId } = await sender.send(n.address, { ...message, attemptKey: attempt.key, headers: { ...message.headers, 'X-Lapor-Attempt': attempt.key } }));
    } catch (error) {
      await this.failed(n, attempt.attempts, error);
      return;
    }
    this.metrics.notificationsSent.inc({ channel: n.channel, outcome: 'sent' });
    if (!(await this.storeOutcome(n, () => this.sentOutcomes.add(n.id, externalId)))) return this.leaseLost(n, `after the vendor accepted it as ${externalId}`);
    await this.deliveryReports.apply(n.channel, externalId); // a report may have come in first
  }

  /**
   * The vendor's answer is known: keep trying to store it through a database outage (the
   * message stays in flight, so its lease is renewed as soon as the database is back, and
   * the lease token still fences the write), rather than leave it in doubt to be resent.
   */
  private async storeOutcome(n: NotificationEntity, write: () => Promise<boolean>): Promise<boolean> {
    const giveUpAt = Date.now() + STORE_OUTCOME_FOR_MS;
    for (let delayMs = 100; ; delayMs = Math.min(5_000, delayMs * 2)) {
      try {
        return await write();
      } catch (error) {
        if (Date.now() + delayMs > giveUpAt) throw error;
        this.log.warn(`storing the outcome of ${n.channel} message ${n.id} failed, retrying in ${delayMs} ms: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /**
   * The last attempt reached the vendor or not. `done`: it did (marked sent), or asking
   * failed (retried later, nothing sent); `not_sent`: the vendor has no such message, so a
   * resend is safe; `unknown`: the vendor cannot be asked.
   */
  private async settle(n: NotificationEntity, sender: ChannelSender, message: OutboundMessage): Promise<'done' | 'not_sent' | 'unknown'> {
    let found: string[] | undefined;
    try {
      found = await sender.findSent?.(n.address, message, n.attemptStartedAt ?? n.createdAt);
    } catch (error) {
      await this.failed(n, n.attempts + 1, error, `could not ask whether attempt ${n.attemptKey} was sent`);
      return 'done';
    }
    if (!found) return 'unknown';
    const recorded = await this.outbox.recordedExternalIds(n.channel, found);
    const ours = found.filter((id) => !recorded.has(id));
    if (!ours.length) return 'not_sent';
    // Newest first; more than one means earlier attempts got through unnoticed too.
    if (!(await this.storeOutcome(n, () => this.outbox.markSent(n.id, this.token, ours[0], ours.length > 1)))) {
      this.leaseLost(n, 'while settling');
      return 'done';
    }
    this.stats.settledFromVendor++;
    this.log.log(`${n.channel} message ${n.id} (${n.dedupeKey}): attempt ${n.attemptKey} had reached the vendor as ${ours[0]}; marked sent, not resent`);
    await this.deliveryReports.apply(n.channel, ours[0]);
    return 'done';
  }

  private async failed(n: NotificationEntity, attempts: number, error: unknown, what?: string): Promise<void> {
    const reason = String((error as Error)?.message ?? error).slice(0, 2000);
    const message = what ? `${what}: ${reason}` : reason;
    // A failed look-up leaves the attempt in doubt; a send is in doubt when the vendor never answered.
    const inDoubt = what !== undefined || error instanceof DeliveryInDoubtError;
    let written: boolean;
    const givesUp = (error instanceof PermanentSendError && !what) || attempts >= this.maxAttempts;
    this.metrics.notificationsSent.inc({ channel: n.channel, outcome: givesUp ? 'failed' : 'retry' });
    if (error instanceof PermanentSendError && !what) {
      const vendorError = error.vendorCode ?? null;
      written = await this.storeOutcome(n, () => this.outbox.markFailed(n.id, this.token, { attempts, error: message, inDoubt: false, vendorError }));
      if (written && error.recipientUnreachable) await this.recipients.markUnreachable(n.channel, n.address, message);
      this.log.warn(`${n.channel} to ${n.address} failed permanently: ${message}`);
    } else if (attempts >= this.maxAttempts) {
      const doubt = inDoubt ? ' (the last one may have reached the vendor)' : '';
      written = await this.storeOutcome(n, () => this.outbox.markFailed(n.id, this.token, { attempts, error: `gave up after ${attempts} attempts${doubt}: ${message}`, inDoubt }));
      this.log.warn(`${n.dedupeKey} to ${n.channel} gave up after ${attempts} attempts${doubt}`);
    } else {
      const delayMs = error instanceof RetryLaterError ? Math.max(this.pollMs, error.retryAfterMs) : Math.min(3_600_000, this.retryBaseMs * 2 ** (attempts - 1));
      written = await this.storeOutcome(n, () => this.outbox.markRetry(n.id, this.token, { attempts, error: message, inDoubt, delayMs }));
    }
    if (!written) this.leaseLost(n, `after attempt ${attempts} failed (${message})`);
  }

  private leaseLost(n: NotificationEntity, when: string): void {
    this.stats.leasesLost++;
    this.log.warn(`${n.channel} message ${n.id} (${n.dedupeKey}): lease lost to another replica ${when}`);
  }
}
