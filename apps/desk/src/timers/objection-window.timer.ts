import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { RouterClient } from '../clients/router.client';
import { Clock, DESK_CLOCK } from '../clock';
import { ReadModelService } from '../read-model/read-model.service';
import { returnedRows } from '../sql';

const DAY_MS = 86_400_000;
/** How long a claimed complaint is this replica's before another may try it again. */
const LEASE_MS = 120_000;
const BATCH = 20;

/**
 * Closes a responded complaint when the reporter did not object within
 * OBJECTION_WINDOW_DAYS (calendar days for now; issue 10 brings working days and a general
 * scheduler). Replicas never close one twice: each tick claims due complaints with
 * FOR UPDATE SKIP LOCKED and a lease, commits, then asks the router (actor `system`),
 * whose lifecycle check refuses a complaint that moved on meanwhile.
 */
@Injectable()
export class ObjectionWindowTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ObjectionWindowTimer.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly router: RouterClient,
    private readonly readModel: ReadModelService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DESK_CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.env.DESK_TIMER_POLL_MS;
    if (every <= 0) return;
    this.timer = setInterval(() => void this.tick().catch((e) => this.log.warn(`objection window: ${(e as Error).message}`)), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass: closes what is due now; returns how many were closed. */
  tick(): Promise<number> {
    this.running ??= this.closeDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async closeDue(): Promise<number> {
    const now = this.clock.now();
    const due = new Date(now.getTime() - this.config.env.OBJECTION_WINDOW_DAYS * DAY_MS);
    const claimed = returnedRows<{ tracking_id: string; last_sequence: number }>(
      await this.db.query(
        `UPDATE desk_complaints SET timer_lease_until = $3
          WHERE tracking_id IN (
            SELECT tracking_id FROM desk_complaints
             WHERE status = 'responded' AND status_at <= $1 AND (timer_lease_until IS NULL OR timer_lease_until < $2)
             ORDER BY status_at LIMIT ${BATCH}
             FOR UPDATE SKIP LOCKED)
          RETURNING tracking_id, last_sequence`,
        [due, now, new Date(now.getTime() + LEASE_MS)],
      ),
    );
    let closed = 0;
    for (const { tracking_id: trackingId, last_sequence: sequence } of claimed) {
      const outcome = await this.router.apply(trackingId, {
        // One close per response, whichever replica or retry asks.
        idempotencyKey: `objection-window:${trackingId}:${sequence}`,
        action: { action: 'close', note: `Ditutup oleh sistem: pelapor tidak mengajukan keberatan dalam ${this.config.env.OBJECTION_WINDOW_DAYS} hari` },
        actor: { kind: 'system', reason: 'objection window ended' },
      });
      if (outcome.kind === 'applied') {
        await this.readModel.onView(outcome.view);
        closed++;
      } else {
        this.log.log(`${trackingId}: not closed by the objection window (${outcome.kind}${'reason' in outcome ? `: ${outcome.reason}` : ''})`);
      }
    }
    if (closed) this.log.log(`closed ${closed} complaint(s) after the objection window`);
    return closed;
  }
}
