import { Admin, AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS, ConsumerGroups, deadLetterTopic } from '@lapor/contracts';
import { createTopicAndWait } from '../../test/support/kafka-broker';

export const PARTITIONS = 6;

/** A kafkajs client for the harness's own look-ups (never one of the services' clients). */
export function harnessKafka(brokers: string[]): Kafka {
  return new Kafka({
    clientId: 'chaos-harness',
    brokers,
    logLevel: logLevel.NOTHING,
    // Generous: the harness shares 2 cores with 3 brokers, 8 services and PostgreSQL at a load
    // of 10+, and at 3 s its look-ups timed out for the rest of a run after the broker fault.
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
}

/** Every topic of the contracts and its dead-letter topic: replication factor 3, min.insync.replicas 2, before any app starts. */
export async function createTopics(admin: Admin): Promise<string[]> {
  const names = [...new Set(ALL_TOPICS)];
  for (const topic of names) {
    await createTopicAndWait(admin, {
      topic,
      numPartitions: PARTITIONS,
      replicationFactor: 3,
      configEntries: [{ name: 'min.insync.replicas', value: '2' }],
    });
  }
  return names;
}

export const GROUPS: string[] = Object.values(ConsumerGroups);

export function isDeadLetterTopic(topic: string): boolean {
  return topic.endsWith(deadLetterTopic(''));
}

/** Why the last consumerLag() returned undefined (for the progress lines). */
export let lastLagError = '';

/** Records of each consumed topic that a group has not committed yet; undefined when Kafka could not be asked. */
export async function consumerLag(admin: Admin, topics: string[]): Promise<{ total: number; byGroup: Record<string, number> } | undefined> {
  try {
    // All look-ups at once: one after the other they took longer than a sample may take on a loaded machine.
    const [offsets, commits] = await Promise.all([
      Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic))),
      Promise.all(GROUPS.map((groupId) => admin.fetchOffsets({ groupId, topics }))),
    ]);
    const ends = new Map<string, Map<number, number>>(topics.map((topic, i) => [topic, new Map(offsets[i]!.map((o) => [o.partition, Number(o.high)]))]));
    const byGroup: Record<string, number> = {};
    let total = 0;
    for (const [g, groupId] of GROUPS.entries()) {
      const committed = commits[g]!;
      let lag = 0;
      for (const t of committed) {
        // A topic the group never committed on is not one it consumes (every partition -1).
        if (t.partitions.every((p) => Number(p.offset) < 0)) continue;
        for (const p of t.partitions) {
          const end = ends.get(t.topic)?.get(p.partition) ?? 0;
          lag += Math.max(0, end - Math.max(0, Number(p.offset)));
        }
      }
      byGroup[groupId] = lag;
      total += lag;
    }
    return { total, byGroup };
  } catch (error) {
    lastLagError = (error as Error).message;
    return undefined;
  }
}

/** Topics some group has committed offsets on: the ones with a consumer. */
export async function consumedTopics(admin: Admin, topics: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const groupId of GROUPS) {
    for (const t of await admin.fetchOffsets({ groupId, topics })) {
      if (t.partitions.some((p) => Number(p.offset) >= 0)) out.add(t.topic);
    }
  }
  return out;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  partitions: number;
}

/** The group's state and each member's assigned partition count (decoded from the assignment Kafka hands out). */
export async function describeGroup(admin: Admin, groupId: string): Promise<{ state: string; members: GroupMember[] } | undefined> {
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const g = groups[0];
    if (!g) return undefined;
    return {
      state: g.state,
      members: g.members.map((m) => {
        const assignment = m.memberAssignment?.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
        const partitions = assignment ? Object.values(assignment.assignment).reduce((n, ps) => n + ps.length, 0) : 0;
        return { memberId: m.memberId, clientId: m.clientId, partitions };
      }),
    };
  } catch {
    return undefined;
  }
}

/**
 * A throwaway reader that reads whole topics fast: fetches return at once (100 ms wait, not
 * kafkajs' 5 s, which on a loaded machine made one fetch round per partition and per 5 s) and
 * big (64 MiB). Never commits, so the operators' CLI sees nothing change.
 */
function auditConsumer(kafka: Kafka) {
  return kafka.consumer({
    groupId: `chaos-audit-${process.pid}-${Date.now()}`,
    sessionTimeout: 10_000,
    maxWaitTimeInMs: 100,
    maxBytes: 64 * 1024 * 1024,
    maxBytesPerPartition: 16 * 1024 * 1024,
  });
}

/**
 * Waits until `done` resolves. A read that stops making progress for `stallMs` is an error of
 * the audit, not a finding: it used to stop quietly after a fixed time, and a topic read half
 * way reported announced complaints as "never announced".
 */
async function untilRead(done: Promise<void>, progress: () => number, what: string, stallMs = 60_000): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const now = progress();
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > stallMs) {
        reject(new Error(`audit: reading ${what} made no progress for ${stallMs / 1000} s (${now} records read)`));
      }
    }, 1_000);
  });
  try {
    await Promise.race([done, stalled]);
  } finally {
    clearInterval(timer);
  }
}

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Everything in the dead-letter topics, read from the beginning with a throwaway group
 * that never commits (so nothing the operators' CLI sees changes).
 */
export async function readDeadLetters(kafka: Kafka, admin: Admin, topics: string[]): Promise<DeadLetter[]> {
  const dlqs = topics.filter(isDeadLetterTopic);
  const expected = new Map<string, number>();
  let total = 0;
  for (const topic of dlqs) {
    for (const o of await admin.fetchTopicOffsets(topic)) {
      const n = Number(o.high) - Number(o.low);
      if (n > 0) expected.set(`${topic}/${o.partition}`, Number(o.high));
      total += n;
    }
  }
  if (!total) return [];
  const out: DeadLetter[] = [];
  const consumer = auditConsumer(kafka);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: dlqs, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
          out.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', headers });
          const end = expected.get(`${topic}/${partition}`);
          if (end !== undefined && Number(message.offset) + 1 >= end) expected.delete(`${topic}/${partition}`);
          if (!expected.size) resolve();
        },
      });
    });
    await untilRead(done, () => out.length, 'the dead-letter topics');
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return out;
}

/** How often each id (taken from a record's value) was published on a topic, e.g. complaint.registered per tracking id; read like readDeadLetters. */
export async function countPublished(kafka: Kafka, admin: Admin, topic: string, idOf: (value: string) => string | undefined): Promise<Map<string, { count: number; times: number[] }>> {
  const expected = new Map<number, number>();
  for (const o of await admin.fetchTopicOffsets(topic)) if (Number(o.high) > Number(o.low)) expected.set(o.partition, Number(o.high));
  const out = new Map<string, { count: number; times: number[] }>();
  if (!expected.size) return out;
  const consumer = auditConsumer(kafka);
  let read = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          read += batch.messages.length;
          for (const m of batch.messages) {
            const key = idOf(m.value?.toString() ?? '');
            if (key === undefined) continue;
            const entry = out.get(key) ?? { count: 0, times: [] };
            entry.count++;
            entry.times.push(Number(m.timestamp));
            out.set(key, entry);
          }
          const end = expected.get(batch.partition);
          if (end !== undefined && Number(batch.lastOffset()) + 1 >= end) expected.delete(batch.partition);
          if (!expected.size) resolve();
        },
      });
    });
    await untilRead(done, () => read, topic);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return out;
}
