import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BusRecord, EventBus } from '@lapor/bus';
import { busRecordOf, EVENT_BUS, PendingEvent } from '@lapor/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEventEntity } from '../entities';

/** An event written to the outbox by this process: its row and the record it publishes. */
export interface WrittenEvent {
  seq: string;
  trackingId: string;
  record: BusRecord;
}

/** First key of the router's transaction-scoped advisory locks: "publishing this complaint's events". */
const PUBLISHING_LOCK = 0x1a90;

interface OutboxRow {
  seq: string;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * The router's transactional outbox: every event the router announces is written to
 * `router_outbox` in the same transaction as the record change it announces, so an event
 * exists exactly when its change does, and is published from there.
 *
 * - The handler that made the change publishes its complaint's pending events right after
 *   the commit and before it returns, so the bus commits the inbound record's offset only
 *   once the events are on the bus (and a redelivery finds nothing left to do).
 * - What a crash left behind is published by the same call on the next redelivery of that
 *   inbound record, or by the relay (OutboxRelay) within ROUTER_OUTBOX_RELAY_MS.
 *
 * One publisher per complaint at a time: each publish holds a transaction-scoped advisory
 * lock on the complaint's tracking id, reads all its pending rows oldest first
 * (`FOR UPDATE`), publishes them, deletes them and commits. A handler waits for the lock;
 * the relay skips a complaint whose lock is taken (pg_try_advisory_xact_lock, the
 * SKIP LOCKED of advisory locks). So router replicas never publish one row twice while
 * they live, and a complaint's events always leave in the order they were written, which a
 * row-by-row SKIP LOCKED claim could not promise (it may skip an older row of the same
 * complaint that another publisher holds and take a newer one).
 *
 * At least once, not exactly once: if a process dies after the bus took the records and
 * before the DELETE committed, the rows are published again. Consumers absorb that: the
 * notifier and the desk dedupe status changes on (trackingId, sequence), `complaint.registered`
 * is keyed by its tracking id, and a notice by its onceKey.
 */
@Injectable()
export class RouterOutbox {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  /** Queues events in the caller's transaction. */
  async add(tx: EntityManager, trackingId: string, events: PendingEvent[]): Promise<void> {
    if (!events.length) return;
    // One multi-row INSERT: PostgreSQL draws the serial `seq` in the order of the rows.
    await tx.insert(
      OutboxEventEntity,
      events.map(busRecordOf).map((r) => ({ trackingId, topic: r.topic, key: r.key, value: r.value, headers: r.headers ?? {} })),
    );
  }

  /**
   * Queues the events of many complaints in the caller's transaction (the batch path): one
   * INSERT whatever their number, `seq` drawn in the order given.
   */
  async addMany(tx: EntityManager, events: { tracking_id: string; event: PendingEvent }[]): Promise<WrittenEvent[]> {
    if (!events.length) return [];
    const rows = events.map(({ tracking_id, event }) => {
      const r = busRecordOf(event);
      return { tracking_id, topic: r.topic, key: r.key, value: r.value, headers: r.headers ?? {} };
    });
    const written: { seq: string }[] = await tx.query(
      `INSERT INTO router_outbox (tracking_id, topic, key, value, headers)
       SELECT r.tracking_id, r.topic, r.key, r.value, r.headers
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(row, n), jsonb_populate_record(NULL::router_outbox, e.row) AS r
        ORDER BY e.n
       RETURNING seq`,
      [JSON.stringify(rows)],
    );
    // The rows drew their seq in the order given: the n-th smallest seq is the n-th row.
    const seqs = written.map((w) => BigInt(w.seq)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return rows.map((r, i) => ({ seq: String(seqs[i]), trackingId: r.tracking_id, record: { topic: r.topic, key: r.key, value: r.value, headers: r.headers } }));
  }

  /**
   * Publishes events this process has just written with addMany (and committed), from
   * memory: under the complaints' advisory locks it deletes their rows and publishes those
   * it deleted, so the values are not read back from the table. A row another publisher
   * took meanwhile (the relay) is not published again; a failed publish rolls the DELETE
   * back, and the rows wait for the redelivery or the relay as with publishPending. Only
   * for events that are all their complaints have pending (new complaints): older rows of
   * a complaint would have to leave first.
   */
  async publishWritten(written: WrittenEvent[]): Promise<number> {
    if (!written.length) return 0;
    return this.db.transaction(async (tx) => {
      await tx.query(
        `SELECT pg_advisory_xact_lock($1, k) FROM (SELECT DISTINCT hashtext(t) AS k FROM unnest($2::text[]) AS t ORDER BY 1) AS keys`,
        [PUBLISHING_LOCK, [...new Set(written.map((w) => w.trackingId))]],
      );
      // TypeORM answers a DELETE with [rows, count] (a SELECT with the rows): read the rows through a CTE.
      const deleted: { seq: string }[] = await tx.query('WITH d AS (DELETE FROM router_outbox WHERE seq = ANY($1::bigint[]) RETURNING seq) SELECT seq FROM d', [
        written.map((w) => w.seq),
      ]);
      const still = new Set(deleted.map((d) => String(d.seq)));
      const records = written.filter((w) => still.has(w.seq)).map((w) => w.record);
      if (records.length) await this.bus.publish(records);
      return records.length;
    });
  }

  /**
   * publishPending for many complaints in one transaction and one bus publish (the batch
   * path): their advisory locks taken in one statement, in the order of the lock keys, so
   * two such publishers never wait for each other crosswise.
   */
  async publishPendingOf(trackingIds: string[]): Promise<number> {
    if (!trackingIds.length) return 0;
    return this.db.transaction(async (tx) => {
      await tx.query(
        `SELECT pg_advisory_xact_lock($1, k) FROM (SELECT DISTINCT hashtext(t) AS k FROM unnest($2::text[]) AS t ORDER BY 1) AS keys`,
        [PUBLISHING_LOCK, trackingIds],
      );
      const rows: OutboxRow[] = await tx.query(
        'SELECT seq, topic, key, value, headers FROM router_outbox WHERE tracking_id = ANY($1::varchar[]) ORDER BY seq FOR UPDATE',
        [trackingIds],
      );
      if (!rows.length) return 0;
      await this.bus.publish(rows.map((r): BusRecord => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers })));
      await tx.query('DELETE FROM router_outbox WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
      return rows.length;
    });
  }

  /**
   * Publishes every event still pending for one complaint, oldest first, and resolves once
   * the bus has them (rejects, with the rows kept, when it could not). Waits while another
   * publisher (a relay, a replica) is publishing the same complaint's events.
   */
  async publishPending(trackingId: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PUBLISHING_LOCK, trackingId]);
      return this.publishRows(tx, trackingId);
    });
  }

  /**
   * One pass of the relay: publishes the pending events of complaints whose oldest pending
   * event is older than `olderThanMs` (younger ones are being published by their handler),
   * skipping complaints another publisher holds. Returns how many events it published.
   */
  async relayPass(olderThanMs: number, maxComplaints = 100): Promise<number> {
    const candidates: { tracking_id: string }[] = await this.db.query(
      `SELECT tracking_id FROM router_outbox
        GROUP BY tracking_id
       HAVING min(created_at) < now() - $1 * interval '1 millisecond'
        ORDER BY min(seq)
        LIMIT $2`,
      [olderThanMs, maxComplaints],
    );
    let published = 0;
    for (const { tracking_id: trackingId } of candidates) {
      published += await this.db.transaction(async (tx) => {
        const [{ free }] = await tx.query('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS free', [PUBLISHING_LOCK, trackingId]);
        return free ? this.publishRows(tx, trackingId) : 0;
      });
    }
    return published;
  }

  private async publishRows(tx: EntityManager, trackingId: string): Promise<number> {
    const rows: OutboxRow[] = await tx.query(
      'SELECT seq, topic, key, value, headers FROM router_outbox WHERE tracking_id = $1 ORDER BY seq FOR UPDATE',
      [trackingId],
    );
    if (!rows.length) return 0;
    await this.bus.publish(rows.map((r): BusRecord => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers })));
    // A crash here (published, not yet deleted) publishes these rows once more later: see the class comment.
    await tx.query('DELETE FROM router_outbox WHERE seq = ANY($1::bigint[])', [rows.map((r) => r.seq)]);
    return rows.length;
  }
}
