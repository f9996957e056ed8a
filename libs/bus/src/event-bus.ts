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
 * - delivery is at least once: a record is committed only after its handler resolved;
 *   a handler that throws gets the same record again (with backoff), so handlers must
 *   be idempotent.
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

export interface EventBus {
  publish(records: BusRecord | BusRecord[]): Promise<void>;
  /** Register a handler before start(). */
  subscribe(group: string, topic: string, handler: RecordHandler): void;
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

/** Backoff between redeliveries of a failing record: 200 ms doubling to 30 s. */
export function redeliveryDelayMs(attempt: number): number {
  return Math.min(30_000, 200 * 2 ** Math.min(attempt, 8));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
