import { DeadLetterHeaders, deadLetterTopic } from '@lapor/contracts';
import { BatchHandler, BusRecord, BusUnavailableError, ConsumedRecord, RecordHandler, UnprocessableRecordError } from './event-bus';
import type { BusObserver } from './observer';

/** How a consumer treats a handler that throws. Both buses apply it the same way (deliver() below). */
export interface RetryPolicy {
  /** Tries of one record before it is dead-lettered (1 = never retried). */
  maxAttempts: number;
  /** Wait after the first failure; doubles after each further one. */
  baseDelayMs: number;
  /** The longest wait between two tries. */
  maxDelayMs: number;
}

/**
 * About two minutes of tries (0.5 s, 1 s, 2 s … capped at 30 s, ten tries) before a record is
 * dead-lettered: long enough to ride out a database restart or failover, short enough that a
 * record which can never succeed holds up its partition only briefly.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 30_000 };

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new Error(`maxAttempts must be an integer ≥ 1, got ${policy.maxAttempts}`);
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= policy.baseDelayMs)) {
    throw new Error(`retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs, got ${policy.baseDelayMs} and ${policy.maxDelayMs}`);
  }
  return policy;
}

/** The wait after the `failures`-th failure in a row (1-based). */
export function retryDelayMs(failures: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One record handed to one consumer group's handler. */
export interface Delivery {
  group: string;
  record: ConsumedRecord;
  handler: RecordHandler;
  policy: RetryPolicy;
  observer: Required<BusObserver>;
  /** Stores the dead letter durably; rejects if it could not. */
  publish(record: BusRecord): Promise<void>;
  /**
   * Aborted when this consumer must let go of the record (the bus stops, or Kafka took the
   * partition away): waiting ends at once and deliver() rejects, so nothing is committed and
   * the next owner of the partition gets the record again.
   */
  signal: AbortSignal;
  /** Failed tries already made on this record by this process (Kafka: before a rebalance gave it back). */
  before?: FailedTries;
  /** Told the failed tries after each failure, to pass back as `before`. */
  onFailure?(tries: FailedTries): void;
}

/** A record's failed tries: all of them, and those that count towards maxAttempts. */
export interface FailedTries {
  all: number;
  counted: number;
}

/**
 * Hands a record to its handler under the bounded failure policy. Resolves once the record
 * may be committed: the handler resolved, or the record was durably dead-lettered. Rejects
 * (the record must not be committed) only when `signal` is aborted.
 */
export async function deliver(d: Delivery): Promise<void> {
  const { group, record, policy, observer, signal } = d;
  const tries = { ...(d.before ?? { all: 0, counted: 0 }) };
  for (;;) {
    const started = performance.now();
    try {
      await d.handler(record);
      observer.handled({ group, record, attempts: tries.all + 1, durationMs: performance.now() - started });
      return;
    } catch (error) {
      // Stopping (or losing the partition) can itself make a handler fail: never dead-letter then.
      if (signal.aborted) throw error;
      tries.all++;
      // When the bus cannot store a write, the record is not at fault, and its dead letter could
      // not be stored either: wait for the bus without using up the record's tries.
      if (!(error instanceof BusUnavailableError)) tries.counted++;
      d.onFailure?.({ ...tries });
      // The limit, moved up by the tries that did not count.
      const maxAttempts = policy.maxAttempts + tries.all - tries.counted;
      if (tries.all < maxAttempts && !(error instanceof UnprocessableRecordError)) {
        const delayMs = retryDelayMs(tries.all, policy);
        observer.retrying({ group, record, attempt: tries.all, maxAttempts, delayMs, error });
        await sleep(delayMs, signal);
        continue;
      }
      await deadLetter(d, error, tries.all);
      return;
    }
  }
}

/** Consecutive records of one partition handed to one consumer group's batch handler. */
export interface BatchDelivery {
  group: string;
  records: ConsumedRecord[];
  batch: BatchHandler;
  observer: Required<BusObserver>;
  /** As Delivery.signal: aborted, the batch is let go and nothing is committed. */
  signal: AbortSignal;
}

/**
 * Tries the batch handler once. True: every record is handled and may be committed. False:
 * the handler threw, and the caller hands each record to deliver() instead (see BatchHandler).
 * Rejects (nothing may be committed) only when `signal` is aborted.
 */
export async function deliverBatch(d: BatchDelivery): Promise<boolean> {
  const { group, records, observer, signal } = d;
  const started = performance.now();
  try {
    await d.batch(records);
  } catch (error) {
    if (signal.aborted) throw error;
    observer.batchFailed({ group, topic: records[0].topic, partition: records[0].partition, records: records.length, error });
    return false;
  }
  const durationMs = (performance.now() - started) / records.length;
  for (const record of records) observer.handled({ group, record, attempts: 1, durationMs });
  return true;
}

/** Stores the dead letter, trying again (never giving up, never committing) until it is durable or we stop. */
async function deadLetter(d: Delivery, error: unknown, attempts: number): Promise<void> {
  const letter = deadLetterOf(d.record, d.group, error, attempts);
  for (let failures = 1; ; failures++) {
    try {
      await d.publish(letter);
      break;
    } catch (publishError) {
      const delayMs = retryDelayMs(failures, d.policy);
      d.observer.deadLetterFailed({ group: d.group, record: d.record, error: publishError, delayMs });
      await sleep(delayMs, d.signal);
    }
  }
  d.observer.deadLettered({ group: d.group, record: d.record, attempts, error, deadLetterTopic: letter.topic });
}

/** The dead letter of `record`: its key, value and headers, plus why and where it failed (DeadLetterHeaders). */
export function deadLetterOf(record: ConsumedRecord, group: string, error: unknown, attempts: number, at = new Date()): BusRecord {
  const { name, message } = describeError(error);
  return {
    topic: deadLetterTopic(record.topic),
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [DeadLetterHeaders.reason]: message.slice(0, 2000),
      [DeadLetterHeaders.error]: name,
      [DeadLetterHeaders.attempts]: String(attempts),
      [DeadLetterHeaders.group]: group,
      [DeadLetterHeaders.topic]: record.topic,
      [DeadLetterHeaders.partition]: String(record.partition),
      [DeadLetterHeaders.offset]: record.offset,
      [DeadLetterHeaders.at]: at.toISOString(),
    },
  };
}

/** Class name and message of anything a handler may throw (Errors, strings, Nest RPC error objects). */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name || error.constructor.name, message: error.message };
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    return { name: error.constructor?.name ?? 'Object', message: typeof message === 'string' ? message : JSON.stringify(error) };
  }
  return { name: typeof error, message: String(error) };
}
