import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_SUFFIX, DeadLetterHeaders, deadLetterTopic, ReplayHeaders } from '@lapor/contracts';
import { Kafka, logLevel } from 'kafkajs';
import type { BusRecord, ConsumedRecord } from './event-bus';
import { Journal } from './journal';
import { KafkaBus, KafkaBusOptions, kafkaClient } from './kafka-bus';

/** One record in a dead-letter topic, as an operator sees it. */
export interface DeadLetter {
  /** `<partition>:<offset>` in the dead-letter topic: what `npm run bus -- dlq replay --id` takes. */
  id: string;
  deadLetterTopic: string;
  /** Where the record was consumed from (-1 / '' where a dead letter from an older version does not say). */
  topic: string;
  partition: number;
  offset: string;
  group: string;
  attempts: number;
  /** The error's message and class. */
  reason: string;
  error: string;
  /** When it was dead-lettered (ISO 8601). */
  at: string;
  key: string;
  value: string;
  /** The original record's own headers (correlation id, event type), without the dead-letter ones. */
  headers: Record<string, string>;
}

const DLQ_HEADERS = new Set<string>(Object.values(DeadLetterHeaders));

export function readDeadLetter(record: ConsumedRecord): DeadLetter {
  const h = record.headers ?? {};
  const own = Object.fromEntries(Object.entries(h).filter(([k]) => !DLQ_HEADERS.has(k)));
  return {
    id: `${record.partition}:${record.offset}`,
    deadLetterTopic: record.topic,
    topic: h[DeadLetterHeaders.topic] ?? record.topic.slice(0, -DEAD_LETTER_SUFFIX.length),
    partition: Number(h[DeadLetterHeaders.partition] ?? -1),
    offset: h[DeadLetterHeaders.offset] ?? '',
    group: h[DeadLetterHeaders.group] ?? '',
    attempts: Number(h[DeadLetterHeaders.attempts] ?? 0),
    reason: h[DeadLetterHeaders.reason] ?? '',
    error: h[DeadLetterHeaders.error] ?? '',
    at: h[DeadLetterHeaders.at] ?? '',
    key: record.key,
    value: record.value,
    headers: own,
  };
}

/** The original record again, for its original topic, marked as replayed from this dead letter. */
export function replayOf(letter: DeadLetter, at = new Date()): BusRecord {
  return {
    topic: letter.topic,
    key: letter.key,
    value: letter.value,
    headers: { ...letter.headers, [ReplayHeaders.from]: `${letter.deadLetterTopic}/${letter.id}`, [ReplayHeaders.at]: at.toISOString() },
  };
}

/** Where dead letters are stored: a Kafka cluster, or the embedded bus's journal. */
export interface DeadLetterSource {
  /** Every record now in `topic`, by partition, then offset. Never joins a consumer group that commits. */
  read(topic: string): Promise<ConsumedRecord[]>;
  /** Every dead-letter topic and how many records it holds. */
  deadLetterTopics(): Promise<{ topic: string; records: number }[]>;
  /** Stores records durably (resolves once they are acknowledged). */
  publish(records: BusRecord[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Lists and replays dead letters (the operator's `npm run bus -- dlq`). Replaying
 * re-publishes the original key, value and headers to the original topic, so every
 * consumer group of that topic sees the record again: that is safe because every
 * consumer is idempotent (a record it already applied changes nothing).
 */
export class DeadLetters {
  constructor(private readonly source: DeadLetterSource) {}

  /** `topic` is a topic or its dead-letter topic (`….dlq`). */
  async list(topic: string): Promise<DeadLetter[]> {
    return (await this.source.read(asDeadLetterTopic(topic))).map(readDeadLetter);
  }

  /** Replays the given dead letters (all of the topic's when `ids` is empty), in the order they were dead-lettered. */
  async replay(topic: string, ids: string[] = []): Promise<DeadLetter[]> {
    const letters = await this.list(topic);
    const unknown = ids.filter((id) => !letters.some((l) => l.id === id));
    if (unknown.length) throw new Error(`no dead letter ${unknown.join(', ')} in ${asDeadLetterTopic(topic)} (ids are <partition>:<offset>, see dlq list)`);
    const chosen = ids.length ? letters.filter((l) => ids.includes(l.id)) : letters;
    if (chosen.length) await this.source.publish(chosen.map((l) => replayOf(l)));
    return chosen;
  }

  topics(): Promise<{ topic: string; records: number }[]> {
    return this.source.deadLetterTopics();
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

function asDeadLetterTopic(topic: string): string {
  return topic.endsWith(DEAD_LETTER_SUFFIX) ? topic : deadLetterTopic(topic);
}

/**
 * Dead letters in Kafka. Reading uses a throwaway consumer group that never commits and is
 * deleted afterwards (kafkajs 2 has no group-less assign()), reading each partition up to
 * the end offsets it found first.
 */
export class KafkaDeadLetterSource implements DeadLetterSource {
  private readonly kafka: Kafka;
  private bus?: KafkaBus;

  constructor(private readonly options: { brokers: string[]; clientId?: string; readTimeoutMs?: number; logLevel?: logLevel } & Pick<KafkaBusOptions, 'sasl' | 'ssl'>) {
    this.kafka = kafkaClient({ brokers: options.brokers, clientId: options.clientId ?? 'lapor-bus-cli', logLevel: options.logLevel ?? logLevel.ERROR, sasl: options.sasl, ssl: options.ssl });
  }

  async read(topic: string): Promise<ConsumedRecord[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) return [];
      const ends = new Map<number, bigint>();
      for (const p of await admin.fetchTopicOffsets(topic)) if (BigInt(p.high) > BigInt(p.low)) ends.set(p.partition, BigInt(p.high));
      if (!ends.size) return [];
      const groupId = `lapor-bus-cli-${randomUUID()}`;
      const consumer = this.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
      const records: ConsumedRecord[] = [];
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        const timeoutMs = this.options.readTimeoutMs ?? 60_000;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`could not read ${topic} to its end within ${timeoutMs} ms`)), timeoutMs);
          consumer.on(consumer.events.CRASH, ({ payload }) => (clearTimeout(timer), reject(payload.error)));
          consumer
            .run({
              autoCommit: false,
              eachMessage: async ({ partition, message }) => {
                const end = ends.get(partition);
                if (end === undefined) return;
                const offset = BigInt(message.offset);
                if (offset < end) {
                  const headers: Record<string, string> = {};
                  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
                  records.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', headers });
                }
                if (offset >= end - 1n) {
                  ends.delete(partition);
                  if (!ends.size) {
                    clearTimeout(timer);
                    resolve();
                  }
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect();
        await admin.deleteGroups([groupId]).catch(() => undefined);
      }
      return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
    } finally {
      await admin.disconnect();
    }
  }

  async deadLetterTopics(): Promise<{ topic: string; records: number }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.endsWith(DEAD_LETTER_SUFFIX)).sort();
      const out: { topic: string; records: number }[] = [];
      for (const topic of topics) {
        const offsets = await admin.fetchTopicOffsets(topic);
        out.push({ topic, records: offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0) });
      }
      return out;
    } finally {
      await admin.disconnect();
    }
  }

  async publish(records: BusRecord[]): Promise<void> {
    this.bus ??= new KafkaBus({ brokers: this.options.brokers, clientId: this.options.clientId ?? 'lapor-bus-cli', logLevel: this.options.logLevel ?? logLevel.ERROR, sasl: this.options.sasl, ssl: this.options.ssl });
    await this.bus.publish(records);
  }

  async close(): Promise<void> {
    await this.bus?.stop();
  }
}

/**
 * Dead letters in the embedded bus's journal (`$DATA_DIR/bus`). Listing only reads the file,
 * so it works while `npm start` runs. Replaying appends to the journal, which the running
 * bus would not see (it reads the journal only when it starts): so it takes the journal's
 * lock and is refused while `npm start` runs (JournalInUseError); stop it, replay, start it.
 */
export class JournalDeadLetterSource implements DeadLetterSource {
  private readonly journal: Journal;

  constructor(dir: string) {
    this.journal = new Journal(dir);
  }

  async read(topic: string): Promise<ConsumedRecord[]> {
    return this.journal
      .records()
      .filter((r) => r.topic === topic)
      .map((r, i) => ({ ...r, partition: 0, offset: String(i) }));
  }

  async deadLetterTopics(): Promise<{ topic: string; records: number }[]> {
    const counts = new Map<string, number>();
    for (const r of this.journal.records()) if (r.topic.endsWith(DEAD_LETTER_SUFFIX)) counts.set(r.topic, (counts.get(r.topic) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([topic, records]) => ({ topic, records }));
  }

  async publish(records: BusRecord[]): Promise<void> {
    this.journal.lock();
    try {
      this.journal.append(records);
    } finally {
      this.journal.unlock();
    }
  }

  async close(): Promise<void> {}
}
