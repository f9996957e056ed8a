import { BusRecord, BusUnavailableError, ConsumedRecord, DEFAULT_MAX_BATCH_RECORDS, EventBus, RecordHandler, SubscribeOptions } from './event-bus';
import { deliver, deliverBatch, RetryPolicy, retryPolicy } from './failure-policy';
import { Journal } from './journal';
import { BusObserver, composeObservers } from './observer';

/** One topic's records still needed in memory: `records[i]` has offset `base + i`. */
interface TopicLog {
  base: number;
  records: BusRecord[];
}

/** Handled records are dropped from memory in steps of at least this many (they stay in the journal). */
const TRIM_STEP = 256;

interface Subscription extends SubscribeOptions {
  group: string;
  topic: string;
  handler: RecordHandler;
  offset: number;
  /** Set while a drain loop runs for this subscription. */
  draining?: Promise<void>;
}

export interface InProcessBusOptions {
  /**
   * A folder for the journal. With it, every record is appended and fsync'ed before
   * publish() resolves, and group offsets are saved, so a restart of the single process
   * loses nothing that was acknowledged. The folder is locked to this process (see Journal).
   * Without it the bus is memory-only (tests).
   */
  journalDir?: string;
  /** Retries before a record is dead-lettered (default DEFAULT_RETRY_POLICY). */
  retry?: Partial<RetryPolicy>;
  observer?: BusObserver;
}

/**
 * The single-process bus for embedded mode (`npm start`): one log per topic, one cursor per
 * group, one partition (0) per topic whose offsets are positions in its log. Dead letters go
 * to `<topic>.dlq`, a topic in the same journal.
 *
 * Memory holds only what a subscribed group has still to handle: once every group of a topic
 * is past a record it is dropped from memory (it stays in the journal, where the dead-letter
 * tools and the next start read it), and a topic no group here subscribes to is not kept at
 * all. The journal is read when the bus starts, when it knows which groups subscribe.
 */
export class InProcessBus implements EventBus {
  private readonly logs = new Map<string, TopicLog>();
  private readonly subscriptions: Subscription[] = [];
  private readonly savedOffsets: Record<string, number> = {};
  private readonly journal?: Journal;
  private readonly policy: RetryPolicy;
  private readonly observer: Required<BusObserver>;
  private locked = false;
  /** Whether the journal's records are in `logs` (always, without a journal). */
  private loaded: boolean;
  private started = false;
  private stopSignal = new AbortController();

  constructor(options: InProcessBusOptions = {}) {
    this.policy = retryPolicy(options.retry);
    this.observer = composeObservers(options.observer);
    this.loaded = !options.journalDir;
    if (options.journalDir) {
      this.journal = new Journal(options.journalDir);
      this.journal.lock();
      this.locked = true;
      Object.assign(this.savedOffsets, this.journal.offsets());
    }
  }

  async publish(records: BusRecord | BusRecord[]): Promise<void> {
    const batch = Array.isArray(records) ? records : [records];
    const started = performance.now();
    const perTopic = new Map<string, number>();
    for (const r of batch) perTopic.set(r.topic, (perTopic.get(r.topic) ?? 0) + 1);
    try {
      this.journal?.append(batch);
    } catch (error) {
      const durationMs = performance.now() - started;
      for (const [topic, count] of perTopic) this.observer.publishFailed({ topic, records: count, durationMs, error });
      throw new BusUnavailableError(`the bus journal could not store the record: ${(error as Error).message}`, error);
    }
    // Before start() the journal holds them (read at start); after it, only subscribed topics are kept.
    if (this.loaded) {
      for (const record of batch) {
        const log = this.log(record.topic);
        if (!this.started || this.subscribed(record.topic)) log.records.push({ ...record });
        else log.base++;
      }
    }
    const durationMs = performance.now() - started;
    for (const [topic, count] of perTopic) this.observer.published({ topic, records: count, durationMs });
    if (this.started) for (const s of this.subscriptions) if (perTopic.has(s.topic)) this.drain(s);
  }

  subscribe(group: string, topic: string, handler: RecordHandler, options: SubscribeOptions = {}): void {
    const offset = this.savedOffsets[offsetKey(group, topic)] ?? 0;
    this.subscriptions.push({ group, topic, handler, offset, ...options });
  }

  async start(): Promise<void> {
    if (this.journal && !this.locked) {
      this.journal.lock();
      this.locked = true;
    }
    this.stopSignal = new AbortController();
    // A group that subscribed after its topic was trimmed (a restart of this instance) needs the older records again.
    if (this.journal && this.subscriptions.some((s) => s.offset < this.log(s.topic).base)) {
      this.logs.clear();
      this.loaded = false;
    }
    if (!this.loaded) this.load();
    this.started = true;
    for (const topic of [...this.logs.keys()]) this.trim(topic);
    const groups = new Map<string, Record<string, number[]>>();
    for (const s of this.subscriptions) groups.set(s.group, { ...groups.get(s.group), [s.topic]: [0] });
    for (const [group, assignment] of groups) this.observer.groupJoined({ group, memberId: 'in-process', assignment });
    for (const s of this.subscriptions) this.drain(s);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.stopSignal.abort(new Error('the bus is stopping'));
    await Promise.all(this.subscriptions.map((s) => s.draining));
    if (this.locked) {
      this.journal!.unlock();
      this.locked = false;
    }
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  private log(topic: string): TopicLog {
    let log = this.logs.get(topic);
    if (!log) this.logs.set(topic, (log = { base: 0, records: [] }));
    return log;
  }

  private subscribed(topic: string): boolean {
    return this.subscriptions.some((s) => s.topic === topic);
  }

  /** Reads the journal, keeping of each topic only the records a subscribed group has not handled yet. */
  private load(): void {
    const from = new Map<string, number>();
    for (const s of this.subscriptions) from.set(s.topic, Math.min(from.get(s.topic) ?? Infinity, s.offset));
    this.journal!.forEach((record) => {
      const log = this.log(record.topic);
      if (log.base + log.records.length >= (from.get(record.topic) ?? Infinity)) log.records.push(record);
      else log.base++;
    });
    this.loaded = true;
  }

  /** Drops from memory what every group subscribed to `topic` has handled (everything, if none is). */
  private trim(topic: string): void {
    const log = this.log(topic);
    let min = Infinity;
    for (const s of this.subscriptions) if (s.topic === topic && s.offset < min) min = s.offset;
    const drop = Math.min(min, log.base + log.records.length) - log.base;
    if (drop >= TRIM_STEP || (drop > 0 && !Number.isFinite(min))) {
      log.records.splice(0, drop);
      log.base += drop;
    }
  }

  /**
   * Hands records to one subscription in order, each under the failure policy; with a batch
   * handler, what is waiting (up to maxBatchRecords) goes to it first, and record by record
   * when it fails (see BatchHandler).
   */
  private drain(s: Subscription): void {
    if (s.draining) return;
    const signal = this.stopSignal.signal;
    s.draining = (async () => {
      const log = this.log(s.topic);
      while (this.started && s.offset < log.base + log.records.length) {
        if (s.batch) {
          const end = Math.min(log.base + log.records.length, s.offset + Math.max(1, s.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS));
          const records: ConsumedRecord[] = [];
          for (let offset = s.offset; offset < end; offset++) records.push({ ...log.records[offset - log.base], partition: 0, offset: String(offset) });
          let handled: boolean;
          try {
            handled = await deliverBatch({ group: s.group, records, batch: s.batch, observer: this.observer, signal });
          } catch {
            return; // stopping: see below
          }
          if (handled) {
            this.advance(s, records.length);
            continue;
          }
          for (const record of records) if (!(await this.deliverOne(s, record, signal))) return;
          continue;
        }
        const record = { ...log.records[s.offset - log.base], partition: 0, offset: String(s.offset) };
        if (!(await this.deliverOne(s, record, signal))) return;
      }
    })().finally(() => {
      s.draining = undefined;
      // A publish may have landed while we were finishing.
      const log = this.log(s.topic);
      if (this.started && s.offset < log.base + log.records.length) this.drain(s);
    });
  }

  /** One record under the failure policy; false when stopping (the record stays unhandled and comes again after the next start). */
  private async deliverOne(s: Subscription, record: ConsumedRecord, signal: AbortSignal): Promise<boolean> {
    try {
      await deliver({ group: s.group, record, handler: s.handler, policy: this.policy, observer: this.observer, signal, publish: (r) => this.publish(r) });
    } catch {
      return false;
    }
    this.advance(s, 1);
    return true;
  }

  private advance(s: Subscription, handled: number): void {
    const log = this.log(s.topic);
    s.offset += handled;
    this.saveOffset(s);
    this.observer.lag({ group: s.group, topic: s.topic, partition: 0, lag: log.base + log.records.length - s.offset });
    if (s.offset - log.base >= TRIM_STEP) this.trim(s.topic);
  }

  private saveOffset(s: Subscription): void {
    this.savedOffsets[offsetKey(s.group, s.topic)] = s.offset;
    if (!this.journal) return;
    try {
      this.journal.saveOffsets(this.savedOffsets);
    } catch {
      // The next save writes every offset again; until then a crash only means redelivery (at least once).
    }
  }
}

function offsetKey(group: string, topic: string): string {
  return `${group}\u0000${topic}`;
}
