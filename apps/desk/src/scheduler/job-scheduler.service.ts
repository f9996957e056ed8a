import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, DESK_CLOCK } from '../clock';
import { returnedRows } from '../sql';

/** A due job as a handler sees it. */
export interface Job {
  id: string;
  key: string;
  kind: string;
  runAt: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface NewJob {
  /** Unique for the job's lifetime (e.g. `deadline:<id>:breach`): scheduling it again is a no-op. */
  key: string;
  kind: string;
  runAt: Date;
  payload?: Record<string, unknown>;
}

/** How long a claimed job is this replica's; a replica that died holding it loses it after that. */
const LEASE_MS = 120_000;
const BATCH = 20;
/** Bounded retries: a job failing this often is parked as `failed` (logged), not retried forever. */
const MAX_ATTEMPTS = 10;
const RETRY_BASE_MS = 30_000;

/**
 * The desk's durable scheduler (docs/deadlines.md, "The scheduler"): jobs are rows in
 * desk_jobs; each tick claims due ones with `FOR UPDATE SKIP LOCKED` (a row another replica
 * is claiming is skipped, never waited for), marks them running with a lease, commits, runs
 * the handler, and marks them done. No in-memory timer holds state: the poll interval only
 * says how soon a due job is noticed, so a restart or a downtime just means the next tick
 * finds everything due since (catch-up), each job once. A replica that dies mid-job leaves it
 * running with a lease; when the lease expires another replica runs it again, so handlers are
 * idempotent by the job's key (stable notice ids, the router's idempotency keys).
 *
 * Why not pg-boss or graphile-worker: both bring their own schema, migrations and worker
 * loop; the desk already has one writer per table, TypeORM migrations and an injectable
 * clock that tests move forward (DESK_CLOCK), which these libraries do not take (their due
 * times use the database's now()). ~150 lines of SKIP LOCKED polling keep the clock testable.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(JobScheduler.name);
  private readonly handlers = new Map<string, JobHandler>();
  /** This replica's name in `locked_by` (diagnostics, and only the claimant marks a job done). */
  readonly workerId = `desk-${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DESK_CLOCK) private readonly clock: Clock,
  ) {}

  /** Registers what to do for a kind of job (providers call it in their constructor). */
  handle(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  onApplicationBootstrap(): void {
    const every = this.config.env.DESK_TIMER_POLL_MS;
    if (every <= 0) return;
    // First tick right away: catch up on whatever fell due while no replica ran.
    void this.tick().catch((e) => this.log.warn(`scheduler: ${(e as Error).message}`));
    this.timer = setInterval(() => void this.tick().catch((e) => this.log.warn(`scheduler: ${(e as Error).message}`)), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Adds jobs in the caller's transaction (so a deadline and its jobs are stored together); existing keys are left alone. */
  async schedule(jobs: NewJob[], manager: EntityManager = this.db.manager): Promise<void> {
    for (const j of jobs) {
      await manager.query(`INSERT INTO desk_jobs (key, kind, run_at, payload) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`, [j.key, j.kind, j.runAt, JSON.stringify(j.payload ?? {})]);
    }
  }

  /** Cancels pending jobs whose key starts with `prefix` (a stage that ended has nothing left to remind of). */
  async cancel(prefix: string, manager: EntityManager = this.db.manager): Promise<void> {
    await manager.query(`UPDATE desk_jobs SET state = 'cancelled', done_at = $2 WHERE key LIKE $1 AND state = 'pending'`, [`${prefix.replace(/[%_\\]/g, '\\$&')}%`, this.clock.now()]);
  }

  /** One pass (tests call it directly): runs every job due now, batch after batch; returns how many ran. */
  tick(): Promise<number> {
    this.running ??= this.runDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      if (this.stopped) return ran;
      const claimed = await this.claim();
      if (!claimed.length) return ran;
      for (const job of claimed) {
        if (this.stopped) return ran; // left running with its lease: another replica (or this one after a restart) takes it over
        await this.run(job);
        ran++;
      }
    }
  }

  private async claim(): Promise<Job[]> {
    const now = this.clock.now();
    const rows = returnedRows<{ id: string; key: string; kind: string; run_at: Date; payload: Record<string, unknown>; attempts: number }>(
      await this.db.query(
        `UPDATE desk_jobs SET state = 'running', lease_until = $2, locked_by = $3, attempts = attempts + 1
          WHERE id IN (
            SELECT id FROM desk_jobs
             WHERE run_at <= $1 AND (state = 'pending' OR (state = 'running' AND lease_until < $1))
             ORDER BY run_at, id LIMIT ${BATCH}
             FOR UPDATE SKIP LOCKED)
          RETURNING id, key, kind, run_at, payload, attempts`,
        [now, new Date(now.getTime() + LEASE_MS), this.workerId],
      ),
    );
    return rows
      .map((r) => ({ id: String(r.id), key: r.key, kind: r.kind, runAt: new Date(r.run_at), payload: r.payload, attempts: r.attempts }))
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || Number(a.id) - Number(b.id));
  }

  private async run(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      await handler(job);
      // Only the claimant finishes it: a replica whose lease expired meanwhile does not overwrite the new claim.
      await this.db.query(`UPDATE desk_jobs SET state = 'done', done_at = $3, lease_until = NULL, last_error = NULL WHERE id = $1 AND locked_by = $2 AND state = 'running'`, [job.id, this.workerId, this.clock.now()]);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const failed = job.attempts >= MAX_ATTEMPTS;
      const retryAt = new Date(this.clock.now().getTime() + RETRY_BASE_MS * 2 ** Math.min(job.attempts - 1, 6));
      await this.db.query(
        `UPDATE desk_jobs SET state = $3, run_at = $4, lease_until = NULL, last_error = $5 WHERE id = $1 AND locked_by = $2 AND state = 'running'`,
        [job.id, this.workerId, failed ? 'failed' : 'pending', failed ? job.runAt : retryAt, message.slice(0, 2000)],
      );
      if (failed) this.log.error(`job ${job.key} failed ${job.attempts} times, parked as failed: ${message}`);
      else this.log.warn(`job ${job.key} failed (attempt ${job.attempts}), retried at ${retryAt.toISOString()}: ${message}`);
    }
  }
}
