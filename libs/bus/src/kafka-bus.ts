import { deadLetterTopic } from '@lapor/contracts';
import { Admin, Consumer, EachBatchPayload, IHeaders, Kafka, KafkaConfig, KafkaMessage, logLevel, Partitioners, Producer, SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';
import { BusRecord, BusUnavailableError, ConsumedRecord, DEFAULT_MAX_BATCH_RECORDS, EventBus, RecordHandler, SubscribeOptions } from './event-bus';
import { deliver, deliverBatch, FailedTries, RetryPolicy, retryPolicy, sleep } from './failure-policy';
import { BusObserver, composeObservers } from './observer';
import { DEFAULT_PRODUCE_BATCHING, ProduceBatcher, ProduceBatcherOptions } from './produce-batcher';
import { assignPartitions, PartitionedRecord, unacknowledged } from './produce-coverage';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Give up on one publish after this long and report the bus unavailable (the client then retries). */
  publishTimeoutMs?: number;
  /** Topics to create at start if missing (partitions/replication: broker defaults unless given). */
  topics?: { name: string; partitions?: number; replicationFactor?: number }[];
  logLevel?: logLevel;
  /** Where kafkajs' own log lines go (default: its console logger). */
  logCreator?: KafkaConfig['logCreator'];
  /** Retries before a record is dead-lettered (default DEFAULT_RETRY_POLICY). */
  retry?: Partial<RetryPolicy>;
  observer?: BusObserver;
  /**
   * How long the broker waits for a silent member before giving its partitions to the others
   * (default 10 s): this is how long the partitions of a killed consumer stall. Must lie within
   * the broker's group.min/max.session.timeout.ms (6 s to 30 min by default).
   */
  sessionTimeoutMs?: number;
  /** How often a member tells the broker it is alive, also while a handler runs or waits to retry (default 1 s). */
  heartbeatIntervalMs?: number;
  /**
   * Partitions one consumer handles at once (kafkajs partitionsConsumedConcurrently). Order
   * is kept within a partition, which is all the contracts ask (keys are per sender or per
   * complaint), so several partitions can be in flight. Default 1.
   */
  partitionsConsumedConcurrently?: number;
  /** Small values make tests notice new partitions and dead brokers quickly. */
  metadataMaxAgeMs?: number;
  /** Client authentication (e.g. SCRAM-SHA-512 for a Strimzi KafkaUser) and TLS; plaintext without. */
  sasl?: SASLOptions;
  ssl?: ConnectionOptions;
  /**
   * Concurrent publishes share one produce request (produce-batcher.ts; default: wait at most
   * 1 ms for company, at most 500 records or 512 KiB per request). Each publish still resolves
   * only once its own records were acknowledged by all in-sync replicas.
   */
  produceBatching?: Partial<ProduceBatcherOptions>;
}

/** Produce requests one send() may take to have every record acknowledged (produce-coverage.ts). */
const PRODUCE_ROUNDS = 4;

/** The records grouped per topic as kafkajs takes them, each with the partition named where known. */
function topicMessages(records: PartitionedRecord[]) {
  const byTopic = new Map<string, PartitionedRecord[]>();
  for (const r of records) {
    const rs = byTopic.get(r.topic);
    if (rs) rs.push(r);
    else byTopic.set(r.topic, [r]);
  }
  return [...byTopic].map(([topic, rs]) => ({
    topic,
    messages: rs.map((r) => ({ key: r.key, value: r.value, headers: r.headers, partition: r.partition })),
  }));
}

/** The kafkajs client every part of the bus uses (the bus itself and the dead-letter tools). */
export function kafkaClient(options: Pick<KafkaBusOptions, 'brokers' | 'clientId' | 'logLevel' | 'logCreator' | 'sasl' | 'ssl'>): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: options.logLevel ?? logLevel.WARN,
    logCreator: options.logCreator,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5000 },
    sasl: options.sasl,
    ssl: options.ssl,
  });
}

/**
 * The bus over Apache Kafka (kafkajs). Producer: idempotent, acks=all, one request in
 * flight, so a retried send never duplicates or reorders. Consumers: one per group,
 * commit after the handler resolved or the record was dead-lettered (at least once),
 * bounded retries in place (failure-policy.ts), heartbeating all the while.
 * See https://kafka.js.org/docs/producing#producer-options and .../consuming.
 */
export class KafkaBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly subscriptions = new Map<string, Map<string, Subscription>>();
  private readonly consumers: Consumer[] = [];
  private readonly policy: RetryPolicy;
  private readonly observer: Required<BusObserver>;
  /** Failed tries per record in hand, so a rebalance that gives a partition back does not reset the count. */
  private readonly failures = new Map<string, FailedTries>();
  private readonly batcher: ProduceBatcher;
  /** Partitions per topic, for produce-coverage.ts; refreshed after metadataMaxAgeMs (default 60 s). */
  private readonly partitionCounts = new Map<string, { count: number; at: number }>();
  private metadataAdmin?: Admin;
  private producerConnected = false;
  private stopSignal = new AbortController();

  constructor(private readonly options: KafkaBusOptions) {
    this.policy = retryPolicy(options.retry);
    this.observer = composeObservers(options.observer);
    this.kafka = kafkaClient(options);
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      metadataMaxAge: options.metadataMaxAgeMs,
      allowAutoTopicCreation: true,
      // Bounded so that an HTTP request waiting on publish() can answer 503 in seconds.
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerConnected = false));
    this.batcher = new ProduceBatcher((batch) => this.send(batch), { ...DEFAULT_PRODUCE_BATCHING, ...options.produceBatching });
  }

  async publish(records: BusRecord | BusRecord[]): Promise<void> {
    const batch = Array.isArray(records) ? records : [records];
    const byTopic = new Map<string, number>();
    for (const r of batch) byTopic.set(r.topic, (byTopic.get(r.topic) ?? 0) + 1);
    const timeoutMs = this.options.publishTimeoutMs ?? 15000;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const stored = this.batcher.add(batch);
    try {
      await Promise.race([
        stored,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new Error(`no acknowledgement from Kafka within ${timeoutMs} ms`);
            // Records still waiting for a produce request are withdrawn: a 503 then means "not stored".
            stored.withdraw(error);
            reject(error);
          }, timeoutMs);
        }),
      ]);
    } catch (error) {
      const durationMs = performance.now() - started;
      for (const [topic, n] of byTopic) this.observer.publishFailed({ topic, records: n, durationMs, error });
      throw new BusUnavailableError(`Kafka did not store the record: ${(error as Error).message}`, error);
    } finally {
      clearTimeout(timer);
    }
    const durationMs = performance.now() - started;
    for (const [topic, n] of byTopic) this.observer.published({ topic, records: n, durationMs });
  }

  /**
   * One produce request (acks=all) for the records of one or more publishes. Each record's
   * partition is named here, and a record whose partition the answer does not acknowledge
   * goes out again (at most PRODUCE_ROUNDS requests): kafkajs' own retry can resolve while
   * leaving records unsent (produce-coverage.ts says how).
   */
  private async send(records: BusRecord[]): Promise<void> {
    if (!this.producerConnected) {
      await this.producer.connect();
      this.producerConnected = true;
    }
    let pending = assignPartitions(records, await this.knownPartitionCounts([...new Set(records.map((r) => r.topic))]));
    for (let round = 1; ; round++) {
      const answer = await this.producer.sendBatch({ acks: -1, timeout: 10000, topicMessages: topicMessages(pending) });
      pending = unacknowledged(pending, answer);
      if (!pending.length) return;
      const where = [...new Set(pending.map((r) => `${r.topic}[${r.partition}]`))].join(', ');
      if (round >= PRODUCE_ROUNDS) throw new Error(`Kafka did not acknowledge ${pending.length} record(s) for ${where} after ${round} requests`);
      this.producerLog().warn(`Kafka's answer left out ${where}: sending its ${pending.length} record(s) again`);
    }
  }

  private producerLog() {
    return this.producer.logger();
  }

  /** Partition counts of the topics (cached); a topic whose metadata cannot be read is left out (kafkajs then picks partitions itself). */
  private async knownPartitionCounts(topics: string[]): Promise<Map<string, number>> {
    const maxAge = this.options.metadataMaxAgeMs ?? 60_000;
    const now = Date.now();
    const stale = topics.filter((t) => {
      const known = this.partitionCounts.get(t);
      return !known || now - known.at > maxAge;
    });
    if (stale.length) {
      try {
        if (!this.metadataAdmin) {
          const admin = this.kafka.admin();
          await admin.connect();
          this.metadataAdmin = admin;
        }
        const { topics: meta } = await this.metadataAdmin.fetchTopicMetadata({ topics: stale });
        for (const t of meta) if (t.partitions.length) this.partitionCounts.set(t.name, { count: t.partitions.length, at: now });
      } catch {
        // An unknown topic (created by this very produce: allowAutoTopicCreation) or a metadata
        // error: send without named partitions; the next publish asks again.
      }
    }
    const counts = new Map<string, number>();
    for (const t of topics) {
      const known = this.partitionCounts.get(t);
      if (known) counts.set(t, known.count);
    }
    return counts;
  }

  subscribe(group: string, topic: string, handler: RecordHandler, options: SubscribeOptions = {}): void {
    const topics = this.subscriptions.get(group) ?? new Map<string, Subscription>();
    topics.set(topic, { handler, ...options });
    this.subscriptions.set(group, topics);
  }

  async start(): Promise<void> {
    this.stopSignal = new AbortController();
    // Subscribing to a topic that does not exist yet fails (UNKNOWN_TOPIC_OR_PARTITION): create them, and their dead-letter topics, first.
    const subscribed = [...this.subscriptions.values()].flatMap((topics) => [...topics.keys()]);
    const wanted = new Map((this.options.topics ?? []).map((t) => [t.name, t]));
    for (const name of subscribed.flatMap((t) => [t, deadLetterTopic(t)])) if (!wanted.has(name)) wanted.set(name, { name });
    if (wanted.size) await this.ensureTopics([...wanted.values()]);
    await this.producer.connect();
    this.producerConnected = true;
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    // Kafka's rule of thumb: heartbeat at most every third of the session timeout.
    const heartbeatInterval = Math.min(this.options.heartbeatIntervalMs ?? 1000, Math.floor(sessionTimeout / 3));
    for (const [group, topics] of this.subscriptions) {
      const consumer = this.kafka.consumer({
        groupId: group,
        sessionTimeout,
        heartbeatInterval,
        // An idle fetch waits this long for data, and stop() waits for it before leaving the
        // group: 1 s (kafkajs: 5 s) so a graceful stop hands the partitions over at once.
        maxWaitTimeInMs: 1000,
        metadataMaxAge: this.options.metadataMaxAgeMs,
        allowAutoTopicCreation: true,
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        this.observer.groupJoined({ group, memberId: payload.memberId, assignment: payload.memberAssignment }),
      );
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
        this.observer.lag({ group, topic: payload.topic, partition: payload.partition, lag: Number(payload.offsetLag) }),
      );
      await consumer.connect();
      // A new group starts at the beginning: what was published before it first joined is not skipped.
      await consumer.subscribe({ topics: [...topics.keys()], fromBeginning: true });
      const batched = [...topics.values()].some((t) => t.batch);
      await consumer.run({
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        ...(batched
          ? // Offsets are resolved by hand, batch by batch or record by record, only once handled.
            { eachBatchAutoResolve: false, eachBatch: (payload) => this.consumeBatch(group, topics.get(payload.batch.topic)!, payload, heartbeatInterval) }
          : {
              eachMessage: ({ topic, partition, message, heartbeat }) =>
                this.consumeOne(group, recordOf(topic, partition, message), topics.get(topic)!.handler, heartbeat, heartbeatInterval),
            }),
      });
      this.consumers.push(consumer);
    }
  }

  /** One record under the failure policy; resolves once it may be committed (handled or dead-lettered). */
  private async consumeOne(group: string, record: ConsumedRecord, handler: RecordHandler, heartbeat: () => Promise<void>, heartbeatInterval: number): Promise<void> {
    const id = `${group}\u0000${record.topic}\u0000${record.partition}\u0000${record.offset}`;
    const heartbeats = new Heartbeats(heartbeat, heartbeatInterval, this.stopSignal.signal);
    try {
      // Resolving commits the offset (handled or dead-lettered); rejecting (we stop, or the
      // partition was taken away) leaves it uncommitted for the next owner.
      await deliver({
        group,
        record,
        handler,
        policy: this.policy,
        observer: this.observer,
        publish: (letter) => this.publish(letter),
        signal: heartbeats.signal,
        before: this.failures.get(id),
        onFailure: (tries) => this.failures.set(id, tries),
      });
      this.failures.delete(id);
    } finally {
      heartbeats.stop();
    }
  }

  /**
   * A fetched batch of one partition for a subscription with a batch handler: chunks of at
   * most maxBatchRecords go to the batch handler; a chunk it fails goes record by record
   * through consumeOne (so a poison record is dead-lettered alone). Offsets are resolved
   * only up to what was handled, as kafkajs' eachMessage does, and committed as it would.
   */
  private async consumeBatch(group: string, subscription: Subscription, payload: EachBatchPayload, heartbeatInterval: number): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    const records = batch.messages.map((m) => recordOf(batch.topic, batch.partition, m));
    const max = subscription.batch ? Math.max(1, subscription.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS) : 1;
    for (let i = 0; i < records.length; i += max) {
      if (!isRunning() || isStale()) return;
      const chunk = records.slice(i, i + max);
      if (subscription.batch && (await this.tryBatch(group, chunk, subscription.batch, heartbeat, heartbeatInterval))) {
        resolveOffset(chunk[chunk.length - 1].offset);
      } else {
        for (const record of chunk) {
          if (!isRunning() || isStale()) return;
          await this.consumeOne(group, record, subscription.handler, heartbeat, heartbeatInterval);
          resolveOffset(record.offset);
          await heartbeat();
          await commitOffsetsIfNecessary();
        }
      }
      await heartbeat();
      await commitOffsetsIfNecessary();
    }
  }

  private async tryBatch(group: string, records: ConsumedRecord[], batch: NonNullable<SubscribeOptions['batch']>, heartbeat: () => Promise<void>, heartbeatInterval: number): Promise<boolean> {
    const heartbeats = new Heartbeats(heartbeat, heartbeatInterval, this.stopSignal.signal);
    try {
      return await deliverBatch({ group, records, batch, observer: this.observer, signal: heartbeats.signal });
    } finally {
      heartbeats.stop();
    }
  }

  /** Leaves every group at once (so the partitions move to the other members without waiting for the session timeout). */
  async stop(): Promise<void> {
    this.stopSignal.abort(new Error('the bus is stopping'));
    await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    this.consumers.length = 0;
    this.failures.clear();
    await this.producer.disconnect().catch(() => undefined);
    this.producerConnected = false;
    await this.metadataAdmin?.disconnect().catch(() => undefined);
    this.metadataAdmin = undefined;
  }

  async isHealthy(): Promise<boolean> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async ensureTopics(topics: NonNullable<KafkaBusOptions['topics']>): Promise<void> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length) {
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions ?? -1, replicationFactor: t.replicationFactor ?? -1 })),
        });
      }
      // Wait until every partition has a leader; kafkajs' own wait gives up on
      // UNKNOWN_TOPIC_OR_PARTITION while a new topic is still spreading through the cluster.
      const names = topics.map((t) => t.name);
      for (let attempt = 0; ; attempt++) {
        try {
          const { topics: meta } = await admin.fetchTopicMetadata({ topics: names });
          if (meta.length === names.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) break;
        } catch (error) {
          if (attempt >= 100) throw error;
        }
        if (attempt >= 100) throw new Error(`topics not ready: ${names.join(', ')}`);
        await sleep(200);
      }
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * Heartbeats while one record is in hand. kafkajs has no background heartbeat: it sends one
 * only between messages, so a slow handler or a long retry wait would let the session time
 * out and get the member evicted (and the group rebalanced) although it is alive. Aborts
 * `signal` when a heartbeat fails (a rebalance is under way, or we were evicted): the record
 * is then let go at once instead of holding up the rebalance.
 */
class Heartbeats {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onStop: () => void;
  private inFlight = false;

  constructor(
    heartbeat: () => Promise<void>,
    intervalMs: number,
    private readonly stopping: AbortSignal,
  ) {
    // Listeners added and removed by hand: one Heartbeats per record, so nothing may pile up on `stopping`.
    this.onStop = () => this.controller.abort(stopping.reason);
    if (stopping.aborted) this.onStop();
    else stopping.addEventListener('abort', this.onStop, { once: true });
    this.timer = setInterval(() => {
      if (this.inFlight) return;
      this.inFlight = true;
      heartbeat()
        .catch((error: unknown) => this.controller.abort(error))
        .finally(() => (this.inFlight = false));
    }, intervalMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopping.removeEventListener('abort', this.onStop);
  }
}

interface Subscription extends SubscribeOptions {
  handler: RecordHandler;
}

function recordOf(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    headers: decodeHeaders(message.headers),
  };
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = v.toString();
  return out;
}
