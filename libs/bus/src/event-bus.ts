/**
 * The bus: publish/subscribe with consumer groups, over Kafka or in-process, with the
 * same semantics. It moves opaque records and never knows what an event means
 * (schemas live in libs/contracts).
 *
 * Semantics every implementation keeps (checked by bus.contract.ts against each):
 * - publish() resolves only once the records are durably stored; otherwise it rejects
 *   with BusUnavailableError and the caller must not acknowledge its own client.
 * - each consumer group sees every record of a topic; records with the same key are
 *   handled in the order they were published;
 * - delivery is at least once: a record is committed only after its handler resolved,
 *   or after it was durably dead-lettered; so handlers must be idempotent.
 * - bounded failure policy (failure-policy.ts): a handler that throws gets the same record
 *   again with capped exponential backoff, up to `maxAttempts` tries; then the record goes
 *   to `<topic>.dlq` with the error and where it came from, and the partition moves on.
 *   A handler that throws UnprocessableRecordError sends it there at once.
 */
export interface BusRecord {
  topic: string;
  /** Partition key: records with one key keep their order. */
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface ConsumedRecord extends BusRecord {
  partition: number;
  offset: string;
}

export type RecordHandler = (record: ConsumedRecord) => Promise<void>;

/**
 * Handles consecutive records of one partition at once (one database transaction for all
 * of them, say). Resolving means every record is handled: their offsets may be committed.
 * Rejecting means nothing is assumed: the bus hands each record of the batch to the
 * subscription's per-record handler, one at a time under the failure policy, so a bad
 * record is retried and dead-lettered alone and the others are handled as usual. So a
 * batch handler must leave nothing that the per-record handler would not finish or skip
 * (be all-or-nothing, or idempotent with the per-record handler, as handlers are anyway).
 * A record tried in a failed batch gets one extra try that does not count towards maxAttempts.
 */
export type BatchHandler = (records: ConsumedRecord[]) => Promise<void>;

export interface SubscribeOptions {
  /** Handle consecutive records together (see BatchHandler); `handler` stays the fallback. */
  batch?: BatchHandler;
  /** The most records one batch call gets (default DEFAULT_MAX_BATCH_RECORDS). */
  maxBatchRecords?: number;
}

/** Enough to amortise a transaction's round trips; small enough that a failed batch's one-by-one fallback stays short. */
export const DEFAULT_MAX_BATCH_RECORDS = 500;

export interface EventBus {
  publish(records: BusRecord | BusRecord[]): Promise<void>;
  /** Register a handler before start(). */
  subscribe(group: string, topic: string, handler: RecordHandler, options?: SubscribeOptions): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For health checks: can the bus take a publish right now? */
  isHealthy(): Promise<boolean>;
}

/** The bus could not durably store what was published. Callers answer 503 so the sender retries. */
export class BusUnavailableError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'BusUnavailableError';
  }
}

/**
 * Thrown by a handler for a record that can never be handled (it fails its schema, say):
 * retrying cannot help, so the bus dead-letters it at once instead of after every retry.
 */
export class UnprocessableRecordError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'UnprocessableRecordError';
  }
}
