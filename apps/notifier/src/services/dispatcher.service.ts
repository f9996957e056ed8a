import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { NotificationEntity } from '../entities';
import { CHANNEL_SENDERS, ChannelSender, PermanentSendError, RetryLaterError } from '../senders/channel-sender';
import { DeliveryReportsService } from './delivery-reports.service';
import { RecipientsService } from './recipients.service';

/**
 * Sends what is due in the notifications table. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease (locked_until), so several notifier replicas never
 * send one row twice, and a row left `sending` by a crashed replica is taken up again
 * when its lease ends. Failures back off exponentially (NOTIFY_RETRY_BASE_MS · 2^n, at
 * most an hour) up to NOTIFY_MAX_ATTEMPTS; a permanent failure is not retried, and an
 * address that can never be reached is remembered so it is not tried again.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(DispatcherService.name);
  private readonly senders: Map<string, ChannelSender>;
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly pollMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
    private readonly recipients: RecipientsService,
    private readonly deliveryReports: DeliveryReportsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.senders = new Map(senders.map((s) => [s.channel, s]));
    this.maxAttempts = config.env.NOTIFY_MAX_ATTEMPTS;
    this.retryBaseMs = config.env.NOTIFY_RETRY_BASE_MS;
    this.pollMs = config.env.NOTIFY_POLL_MS;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** Run a dispatch round now (after an enqueue), or right after the current one. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain()
      .catch((error) => this.log.error(`dispatch round failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = false;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.claim(20);
      if (!batch.length || this.stopped) return;
      await Promise.all(batch.map((n) => this.sendOne(n)));
    }
  }

  private async claim(limit: number): Promise<NotificationEntity[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `UPDATE notifications SET state = 'sending', locked_until = now() + interval '2 minutes', updated_at = now()
        WHERE id IN (
          SELECT id FROM notifications
           WHERE (state = 'pending' AND next_attempt_at <= now()) OR (state = 'sending' AND locked_until < now())
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [limit],
    );
    const ids = (Array.isArray(rows[0]) ? (rows[0] as Record<string, unknown>[]) : rows).map((r) => r.id as string);
    if (!ids.length) return [];
    return this.db.manager.createQueryBuilder(NotificationEntity, 'n').where('n.id IN (:...ids)', { ids }).getMany();
  }

  private async sendOne(n: NotificationEntity): Promise<void> {
    const sender = this.senders.get(n.channel);
    const repo = this.db.getRepository(NotificationEntity);
    if (!sender) {
      await repo.update({ id: n.id }, { state: 'failed', lastError: `channel ${n.channel} is not configured`, lockedUntil: null });
      return;
    }
    const attempts = n.attempts + 1;
    try {
      const result = await sender.send(n.address, {
        subject: n.subject,
        body: n.body,
        headers: { ...(n.trackingId ? { 'X-Lapor-Tracking-Id': n.trackingId } : {}), 'X-Lapor-Notification': n.dedupeKey },
      });
      await repo.update({ id: n.id }, { state: 'sent', attempts, externalId: result.externalId, sentAt: new Date(), lastError: null, lockedUntil: null });
      await this.deliveryReports.apply(n.channel, result.externalId); // a report may have come in first
    } catch (error) {
      const message = String((error as Error).message ?? error).slice(0, 2000);
      if (error instanceof PermanentSendError) {
        await repo.update({ id: n.id }, { state: 'failed', attempts, lastError: message, vendorError: error.vendorCode ?? null, lockedUntil: null });
        if (error.recipientUnreachable) await this.recipients.markUnreachable(n.channel, n.address, message);
        this.log.warn(`${n.channel} to ${n.address} failed permanently: ${message}`);
        return;
      }
      if (attempts >= this.maxAttempts) {
        await repo.update({ id: n.id }, { state: 'failed', attempts, lastError: `gave up after ${attempts} attempts: ${message}`, lockedUntil: null });
        this.log.warn(`${n.dedupeKey} to ${n.channel} gave up after ${attempts} attempts`);
        return;
      }
      const delay = error instanceof RetryLaterError ? error.retryAfterMs : Math.min(3_600_000, this.retryBaseMs * 2 ** (attempts - 1));
      await repo.update({ id: n.id }, { state: 'pending', attempts, lastError: message, lockedUntil: null, nextAttemptAt: new Date(Date.now() + delay) });
    }
  }
}
