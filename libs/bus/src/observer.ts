import type { ConsumedRecord } from './event-bus';

/** A record a consumer group is working on. */
export interface RecordEvent {
  group: string;
  record: ConsumedRecord;
}

/**
 * What a bus reports about its work, for logs and metrics. Every method is optional and
 * called synchronously on the bus's path, so keep them cheap (count, observe, log) and
 * never throw: composeObservers() swallows what they throw anyway. The runtime wires one
 * to the logger (libs/runtime/src/bus.factory.ts); a metrics exporter adds its own.
 */
export interface BusObserver {
  /** A publish() that resolved: one call per topic in the batch; durationMs until the write was durable. */
  published?(event: { topic: string; records: number; durationMs: number }): void;
  /** A publish() that rejected (the caller got BusUnavailableError). */
  publishFailed?(event: { topic: string; records: number; durationMs: number; error: unknown }): void;
  /** A handler resolved; `attempts` counts this one, so 1 means it succeeded the first time. */
  handled?(event: RecordEvent & { attempts: number; durationMs: number }): void;
  /** A batch handler threw: each of its `records` records goes to the per-record handler instead. */
  batchFailed?(event: { group: string; topic: string; partition: number; records: number; error: unknown }): void;
  /** A handler threw; the record is tried again after `delayMs`. `attempt` is the failed attempt's number. */
  retrying?(event: RecordEvent & { attempt: number; maxAttempts: number; delayMs: number; error: unknown }): void;
  /** The record was stored in `deadLetterTopic` and its offset may be committed. */
  deadLettered?(event: RecordEvent & { attempts: number; error: unknown; deadLetterTopic: string }): void;
  /** Storing the dead letter failed; the offset stays uncommitted and it is tried again after `delayMs`. */
  deadLetterFailed?(event: RecordEvent & { error: unknown; delayMs: number }): void;
  /** Records of a partition not yet handled by the group, after each fetched batch (Kafka) or record (in-process). */
  lag?(event: { group: string; topic: string; partition: number; lag: number }): void;
  /** This member joined its group (again, after a rebalance) and got these partitions. */
  groupJoined?(event: { group: string; memberId: string; assignment: Record<string, number[]> }): void;
}

/** One observer that calls each of `observers` in turn; one that throws never stops the others or the bus. */
export function composeObservers(...observers: (BusObserver | undefined)[]): Required<BusObserver> {
  const present = observers.filter((o): o is BusObserver => !!o);
  const call =
    <K extends keyof BusObserver>(name: K) =>
    (event: Parameters<NonNullable<BusObserver[K]>>[0]) => {
      for (const observer of present) {
        try {
          (observer[name] as ((e: typeof event) => void) | undefined)?.call(observer, event);
        } catch {
          // Observing must never change what the bus does with a record.
        }
      }
    };
  return {
    published: call('published'),
    publishFailed: call('publishFailed'),
    handled: call('handled'),
    batchFailed: call('batchFailed'),
    retrying: call('retrying'),
    deadLettered: call('deadLettered'),
    deadLetterFailed: call('deadLetterFailed'),
    lag: call('lag'),
    groupJoined: call('groupJoined'),
  };
}
