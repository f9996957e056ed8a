import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationEntity } from '../entities';

/** The attempt as recorded before the vendor call. */
export interface RecordedAttempt {
  /** This attempt's number (1 for the first). */
  attempts: number;
  /** `<notification id>.<attempt>`. */
  key: string;
  startedAt: Date;
}

export interface AttemptFailure {
  attempts: number;
  error: string;
  /** The vendor may have the message: the next claim settles it before resending. */
  inDoubt: boolean;
  vendorError?: string | null;
}

/**
 * The dispatcher's reads and writes on the notifications table. Every write after the
 * claim is fenced by the lease token: one that finds no row means another replica took
 * the message over (this one's lease ran out), and it writes nothing. Times are the
 * database's (now()), so replicas with different clocks agree on leases and backoff.
 */
@Injectable()
export class NotificationOutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims up to `limit` due messages in one statement, each the head of its recipient's
   * queue: the oldest message to that (channel, address) not yet sent or given up. A later
   * message therefore waits while an earlier one waits for its retry, and one recipient is
   * never sent two messages at once. Due means pending and its time has come, or `sending`
   * with a lease that ran out (its dispatcher died). `exclude`: ids this dispatcher still
   * has in flight.
   */
  async claim(limit: number, leaseMs: number, token: string, exclude: string[]): Promise<NotificationEntity[]> {
    const ids = returnedIds(
      await this.db.query(
        `UPDATE notifications SET state = 'sending', lease_token = $3, locked_until = now() + $2 * interval '1 millisecond', updated_at = now()
          WHERE id IN (
            SELECT n.id FROM notifications n
             WHERE ((n.state = 'pending' AND n.next_attempt_at <= now()) OR (n.state = 'sending' AND n.locked_until < now()))
               AND n.id <> ALL($4::uuid[])
               AND NOT EXISTS (
                 SELECT 1 FROM notifications earlier
                  WHERE earlier.channel = n.channel AND earlier.address = n.address
                    AND earlier.state IN ('pending', 'sending') AND earlier.queue_position < n.queue_position)
             ORDER BY n.next_attempt_at
             LIMIT $1
             FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [limit, leaseMs, token, exclude],
      ),
    );
    if (!ids.length) return [];
    return this.db.manager.createQueryBuilder(NotificationEntity, 'n').where('n.id IN (:...ids)', { ids }).getMany();
  }

  /** Extends the lease of the messages this dispatcher is sending. */
  async renew(token: string, ids: string[], leaseMs: number): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET locked_until = now() + $3 * interval '1 millisecond' WHERE lease_token = $1 AND id = ANY($2::uuid[]) AND state = 'sending'`,
      [token, ids, leaseMs],
    );
  }

  /** Commits the attempt before the message is handed to the vendor; undefined when the lease is lost (then nothing may be sent). */
  async recordAttempt(id: string, token: string, possibleDuplicate: boolean): Promise<RecordedAttempt | undefined> {
    const [row] = returned(
      await this.db.query(
        `UPDATE notifications
            SET attempts = attempts + 1, attempt_key = id::text || '.' || (attempts + 1), attempt_started_at = now(), attempt_in_doubt = true,
                possible_duplicate = possible_duplicate OR $3, updated_at = now()
          WHERE id = $1 AND lease_token = $2 AND state = 'sending'
          RETURNING attempts, attempt_key, attempt_started_at`,
        [id, token, possibleDuplicate],
      ),
    );
    return row ? { attempts: Number(row.attempts), key: String(row.attempt_key), startedAt: new Date(row.attempt_started_at as string) } : undefined;
  }

  /**
   * recordAttempt for many claimed messages in one statement (none of them in doubt, so
   * none a possible duplicate): committed before any of them is handed to the vendor.
   * Returns the attempts recorded; a message missing from it has lost its lease (send nothing).
   */
  async recordAttempts(ids: string[], token: string): Promise<Map<string, RecordedAttempt>> {
    if (!ids.length) return new Map();
    const rows = returned(
      await this.db.query(
        `UPDATE notifications
            SET attempts = attempts + 1, attempt_key = id::text || '.' || (attempts + 1), attempt_started_at = now(), attempt_in_doubt = true, updated_at = now()
          WHERE id = ANY($1::uuid[]) AND lease_token = $2 AND state = 'sending'
          RETURNING id, attempts, attempt_key, attempt_started_at`,
        [ids, token],
      ),
    );
    return new Map(rows.map((row) => [row.id as string, { attempts: Number(row.attempts), key: String(row.attempt_key), startedAt: new Date(row.attempt_started_at as string) }]));
  }

  /** markSent for many messages of this dispatcher in one statement; returns the ids written (the others lost their lease). */
  async markSentMany(token: string, sent: { id: string; externalId: string; possibleDuplicate: boolean }[]): Promise<Set<string>> {
    if (!sent.length) return new Set();
    const rows = returned(
      await this.db.query(
        `UPDATE notifications AS n
            SET state = 'sent', external_id = v.external_id, sent_at = now(), last_error = NULL, attempt_in_doubt = false,
                possible_duplicate = n.possible_duplicate OR v.possible_duplicate, lease_token = NULL, locked_until = NULL, updated_at = now()
           FROM unnest($1::uuid[], $2::varchar[], $3::boolean[]) AS v(id, external_id, possible_duplicate)
          WHERE n.id = v.id AND n.lease_token = $4
          RETURNING n.id`,
        [sent.map((x) => x.id), sent.map((x) => x.externalId), sent.map((x) => x.possibleDuplicate), token],
      ),
    );
    return new Set(rows.map((r) => r.id as string));
  }

  /** The vendor has the message (its answer, or found by asking it). False when the lease is lost. */
  async markSent(id: string, token: string, externalId: string, possibleDuplicate = false): Promise<boolean> {
    return this.update(
      `state = 'sent', external_id = $3, sent_at = now(), last_error = NULL, attempt_in_doubt = false, possible_duplicate = possible_duplicate OR $4`,
      [id, token, externalId, possibleDuplicate],
    );
  }

  async markRetry(id: string, token: string, failure: AttemptFailure & { delayMs: number }): Promise<boolean> {
    return this.update(
      `state = 'pending', attempts = $3, last_error = $4, attempt_in_doubt = $5, next_attempt_at = now() + $6 * interval '1 millisecond'`,
      [id, token, failure.attempts, failure.error, failure.inDoubt, failure.delayMs],
    );
  }

  async markFailed(id: string, token: string, failure: AttemptFailure): Promise<boolean> {
    return this.update(`state = 'failed', attempts = $3, last_error = $4, attempt_in_doubt = $5, vendor_error = COALESCE($6, vendor_error)`, [
      id,
      token,
      failure.attempts,
      failure.error,
      failure.inDoubt,
      failure.vendorError ?? null,
    ]);
  }

  /** Which of these vendor ids are already recorded on a notification (so an earlier message is never taken for this one). */
  async recordedExternalIds(channel: string, externalIds: string[]): Promise<Set<string>> {
    if (!externalIds.length) return new Set();
    const rows: { external_id: string }[] = await this.db.query(`SELECT external_id FROM notifications WHERE channel = $1 AND external_id = ANY($2::varchar[])`, [channel, externalIds]);
    return new Set(rows.map((r) => r.external_id));
  }

  /** Messages still to be sent (pending or being sent) and how long the oldest has waited. */
  async backlog(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const [row]: { depth: string; age: string | null }[] = await this.db.query(
      `SELECT count(*) AS depth, EXTRACT(EPOCH FROM now() - min(created_at)) AS age FROM notifications WHERE state IN ('pending', 'sending')`,
    );
    return { depth: Number(row.depth), oldestAgeSeconds: Number(row.age ?? 0) };
  }

  /** An outcome: the message leaves `sending` and the lease is released. */
  private async update(set: string, params: unknown[]): Promise<boolean> {
    const rows = returned(
      await this.db.query(`UPDATE notifications SET ${set}, lease_token = NULL, locked_until = NULL, updated_at = now() WHERE id = $1 AND lease_token = $2 RETURNING id`, params),
    );
    return rows.length > 0;
  }
}

/** UPDATE … RETURNING rows (the pg driver answers [rows, count]). */
function returned(result: unknown): Record<string, unknown>[] {
  const rows = result as unknown[];
  return (Array.isArray(rows[0]) ? rows[0] : rows) as Record<string, unknown>[];
}

function returnedIds(result: unknown): string[] {
  return returned(result).map((r) => r.id as string);
}
