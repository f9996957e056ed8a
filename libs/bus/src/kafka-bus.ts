import { Admin, Consumer, IHeaders, Kafka, KafkaConfig, logLevel, Partitioners, Producer } from 'kafkajs';
import { BusRecord, BusUnavailableError, ConsumedRecord, EventBus, RecordHandler, redeliveryDelayMs, sleep } from './event-bus';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Give up on one publish after this long and report the bus unavailable (the client then retries). */
  publishTimeoutMs?: number;
  /** Topics to create at start if missing (partitions/replication: broker defaults unless given). */
  topics?: { name: string; partitions?: number; replicationFactor?: number }[];
  logLevel?: logLevel;
  onHandlerError?: (error: unknown, record: ConsumedRecord, group: string) => void;
  /** Where kafkajs' own log lines go (default: its console logger). */
  logCreator?: KafkaConfig['logCreator'];
  /**
   * Partitions one consumer handles at once (kafkajs partitionsConsumedConcurrently). Order
   * is kept within a partition, which is all the contracts ask (keys are per sender or per
   * complaint), so several partitions can be in flight. Default 1.
   */
  partitionsConsumedConcurrently?: number;
  /** Small values make tests notice new partitions and dead brokers quickly. */
  metadataMaxAgeMs?: number;
}

/**
 * The bus over Apache Kafka (kafkajs). Producer: idempotent, acks=all, one request in
 * flight, so a retried send never duplicates or reorders. Consumers: one per group,
 * commit after the handler resolved (at least once), redeliver with backoff on failure.
 * See https://kafka.js.org/docs/producing#producer-options and .../consuming.
 */
export class KafkaBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly subscriptions = new Map<string, Map<string, RecordHandler>>();
  private readonly consumers: Consumer[] = [];
  private producerConnected = false;
  private stopping = false;

  constructor(private readonly options: KafkaBusOptions) {
    const config: KafkaConfig = {
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: options.logLevel ?? logLevel.WARN,
      logCreator: options.logCreator,
      connectionTimeout: 3000,
      requestTimeout: 10000,
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5000 },
    };
    this.kafka = new Kafka(config);
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
  }

  async publish(records: BusRecord | BusRecord[]): Promise<void> {
    const batch = Array.isArray(records) ? records : [records];
    const byTopic = new Map<string, BusRecord[]>();
    for (const r of batch) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    const send = async () => {
      if (!this.producerConnected) {
        await this.producer.connect();
        this.producerConnected = true;
      }
      await this.producer.sendBatch({
        acks: -1,
        timeout: 10000,
        topicMessages: [...byTopic].map(([topic, rs]) => ({
          topic,
          messages: rs.map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
        })),
      });
    };
    const timeoutMs = this.options.publishTimeoutMs ?? 15000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        send(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no acknowledgement from Kafka within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      throw new BusUnavailableError(`Kafka did not store the record: ${(error as Error).message}`, error);
    } finally {
      clearTimeout(timer);
    }
  }

  subscribe(group: string, topic: string, handler: RecordHandler): void {
    const topics = this.subscriptions.get(group) ?? new Map<string, RecordHandler>();
    topics.set(topic, handler);
    this.subscriptions.set(group, topics);
  }

  async start(): Promise<void> {
    this.stopping = false;
    // Subscribing to a topic that does not exist yet fails (UNKNOWN_TOPIC_OR_PARTITION): create them first.
    const subscribed = [...this.subscriptions.values()].flatMap((topics) => [...topics.keys()]);
    const wanted = new Map((this.options.topics ?? []).map((t) => [t.name, t]));
    for (const name of subscribed) if (!wanted.has(name)) wanted.set(name, { name });
    if (wanted.size) await this.ensureTopics([...wanted.values()]);
    await this.producer.connect();
    this.producerConnected = true;
    for (const [group, topics] of this.subscriptions) {
      const consumer = this.kafka.consumer({
        groupId: group,
        sessionTimeout: 30000,
        heartbeatInterval: 3000,
        metadataMaxAge: this.options.metadataMaxAgeMs,
        allowAutoTopicCreation: true,
      });
      await consumer.connect();
      // A new group starts at the beginning: what was published before it first joined is not skipped.
      await consumer.subscribe({ topics: [...topics.keys()], fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachMessage: async ({ topic, partition, message, heartbeat }) => {
          const record: ConsumedRecord = {
            topic,
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            headers: decodeHeaders(message.headers),
          };
          const handler = topics.get(topic)!;
          // Retry in place (keeping the partition's order) until it succeeds or we stop;
          // throwing on stop leaves the offset uncommitted, so another member takes it over.
          for (let attempt = 0; ; attempt++) {
            try {
              await handler(record);
              return;
            } catch (error) {
              this.options.onHandlerError?.(error, record, group);
              if (this.stopping) throw error;
              await sleep(redeliveryDelayMs(attempt));
              await heartbeat();
            }
          }
        },
      });
      this.consumers.push(consumer);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    this.consumers.length = 0;
    await this.producer.disconnect().catch(() => undefined);
    this.producerConnected = false;
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

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k] = v.toString();
  return out;
}
