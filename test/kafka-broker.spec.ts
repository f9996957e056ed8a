// Real-broker tests for the Kafka test harness itself (scripts/kafka.sh + test/support/kafka-broker.ts).
//  (a) the shared broker from test/global-setup.ts (KAFKA_BROKERS) takes idempotent acks=-1 writes;
//  (b) a private 3-node KRaft cluster keeps accepting acks=-1 writes while one node is kill -9'ed,
//      loses nothing, and takes the node back.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Admin, Consumer, Kafka, LogEntry, logLevel, Partitioners, Producer } from 'kafkajs';
import { createTopicAndWait, findFreeBasePort, KafkaCluster, REPO_ROOT, removeKafkaDir, startKafka } from './support/kafka-broker';
import { waitFor } from './support/wait-for';
import { KafkaBus } from '@lapor/bus';

const unique = (prefix: string) => `${prefix}-${Date.now()}-${randomUUID().slice(0, 8)}`;

const LEVEL_NAMES: Record<number, string> = { [logLevel.ERROR]: 'ERROR', [logLevel.WARN]: 'WARN', [logLevel.INFO]: 'INFO', [logLevel.DEBUG]: 'DEBUG' };

/** kafkajs log lines kept in memory and printed only when a test fails (failover is noisy by design). */
function bufferedLogger(lines: string[]) {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, error } = log as { message: string; error?: string };
      lines.push(`${LEVEL_NAMES[level] ?? level} [${namespace}] ${message}${error ? `: ${error}` : ''}`);
      if (lines.length > 500) lines.shift();
    };
}

async function withLogsOnFailure<T>(lines: string[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    console.error(`kafkajs log (last ${Math.min(lines.length, 60)} lines):\n${lines.slice(-60).join('\n')}`);
    throw err;
  }
}

/** Consumes `topic` from the beginning with a fresh group until `expected` messages have arrived. */
async function consumeAll(kafka: Kafka, topic: string, expected: number): Promise<Array<{ partition: number; value: string }>> {
  const received: Array<{ partition: number; value: string }> = [];
  // short fetch long-poll: disconnect() waits for the fetch in flight (default maxWaitTimeInMs 5000)
  const consumer: Consumer = kafka.consumer({ groupId: unique('kb-group'), metadataMaxAge: 1000, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({ partition, value: message.value!.toString() });
      },
    });
    await waitFor(() => received.length >= expected, { timeoutMs: 60_000, intervalMs: 100, what: `${expected} messages on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('shared Kafka broker (KAFKA_BROKERS)', () => {
  const lines: string[] = [];

  it('round-trips messages with an idempotent acks=-1 producer', async () => {
    const brokers = process.env.KAFKA_BROKERS?.split(',');
    expect(brokers?.length).toBeGreaterThan(0);
    const kafka = new Kafka({ clientId: 'kafka-broker-spec', brokers: brokers!, logLevel: logLevel.WARN, logCreator: bufferedLogger(lines) });
    const topic = unique('kb-smoke');

    await withLogsOnFailure(lines, async () => {
      const admin = kafka.admin();
      await admin.connect();
      await createTopicAndWait(admin, { topic, numPartitions: 3 });
      await admin.disconnect();

      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const values = Array.from({ length: 12 }, (_, i) => `msg-${i}`);
      try {
        const result = await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: `k${i % 4}`, value })) });
        expect(result.every((r) => r.errorCode === 0)).toBe(true);
      } finally {
        await producer.disconnect();
      }

      const received = await consumeAll(kafka, topic, values.length);
      expect(received.map((m) => m.value).sort()).toEqual([...values].sort());
    });
  });
});

describe('3-node Kafka cluster survives kill -9 of one node', () => {
  const dir = path.join(REPO_ROOT, '.kafka', `fault-${process.pid}`);
  const lines: string[] = [];
  let cluster: KafkaCluster | undefined;

  beforeAll(async () => {
    const port = await findFreeBasePort(3, 29092);
    cluster = await startKafka({ nodes: 3, dir, port });
  }, 180_000);

  afterAll(async () => {
    if (cluster) await cluster.stop();
    removeKafkaDir(dir);
  }, 120_000);

  it('keeps accepting acks=-1 writes without gaps and takes the node back', async () => {
    const c = cluster!;
    expect(c.brokers).toHaveLength(3);
    const kafka = new Kafka({
      clientId: 'kafka-fault-spec',
      brokers: c.brokers,
      logLevel: logLevel.INFO,
      logCreator: bufferedLogger(lines),
      connectionTimeout: 3_000,
      // ride out fencing of the dead node (broker.session.timeout.ms=4000) and leader election
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    const topic = unique('kb-fault');
    const admin: Admin = kafka.admin();
    let producer: Producer | undefined;

    await withLogsOnFailure(lines, async () => {
      await admin.connect();
      try {
        const partitions = await createTopicAndWait(admin, { topic, numPartitions: 3, replicationFactor: 3 });
        expect(partitions).toHaveLength(3);
        for (const p of partitions) expect(p.replicas).toHaveLength(3);

        producer = kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          createPartitioner: Partitioners.DefaultPartitioner,
          retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 },
        });
        await producer.connect();
        let seq = 0;
        const sendSome = async (count: number) => {
          for (let i = 0; i < count; i++, seq++) {
            // one message per send: each write must be acknowledged by min.insync.replicas=2
            const [r] = await producer!.send({ topic, acks: -1, messages: [{ key: `k${seq % 7}`, value: String(seq) }] });
            expect(r.errorCode).toBe(0);
          }
        };

        await sendSome(30);

        // Kill the leader of partition 0, so at least one partition must fail over.
        const victim = partitions.find((p) => p.partitionId === 0)!.leader;
        await c.kill(victim);

        await sendSome(60); // must succeed while the node is down (retries cover fencing + election)

        // the dead node is fenced and leads nothing any more
        await waitFor(
          async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.every((p) => p.leader !== victim),
          { timeoutMs: 30_000, intervalMs: 200, what: `leadership to move off node ${victim}` },
        );

        const received = await consumeAll(kafka, topic, seq);
        const numbers = received.map((m) => Number(m.value)).sort((a, b) => a - b);
        // no gaps, and (idempotent producer) no duplicates
        expect(numbers).toEqual(Array.from({ length: seq }, (_, i) => i));

        await c.restart(victim);
        // each broker answers metadata from its own cache, which may lag the rejoin by a moment
        const ids = async () => (await admin.describeCluster()).brokers.map((b) => b.nodeId).sort().join(',');
        await waitFor(async () => (await ids()) === '1,2,3', { timeoutMs: 30_000, intervalMs: 200, what: 'brokers 1,2,3 in the cluster metadata' });

        await sendSome(5); // the cluster is whole again and still writable
      } finally {
        await producer?.disconnect().catch(() => undefined);
        await admin.disconnect().catch(() => undefined);
      }
    });
  }, 240_000);
  // kafkajs 2.2.4 sends one produce request per leader broker and, on a retry, skips every
  // broker that already answered (sendMessages.js, `brokersWithoutResponse`). When a broker dies
  // mid-request and its partitions move to a broker that had answered, their records are never
  // sent again, yet sendBatch resolves: acknowledged records are lost. Found by `npm run chaos`
  // (35 complaints registered, their events acknowledged, absent from Kafka). KafkaBus must not
  // resolve a publish whose records are not all stored.
  it('KafkaBus keeps every acknowledged record when a broker dies under a publish spanning brokers', async () => {
    const c = cluster!;
    const topic = unique('kb-bus-fault');
    const kafka = new Kafka({ clientId: 'kafka-fault-spec-2', brokers: c.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 5_000 } });
    const admin = kafka.admin();
    await admin.connect();
    const bus = new KafkaBus({ brokers: c.brokers, clientId: 'kafka-fault-bus', logLevel: logLevel.NOTHING, metadataMaxAgeMs: 1000, publishTimeoutMs: 20_000 });
    try {
      // every broker leads some partition, so each publish below goes to all three
      const partitions = await createTopicAndWait(admin, { topic, numPartitions: 9, replicationFactor: 3 });
      await waitFor(async () => new Set((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.map((p) => p.leader)).size === 3, {
        timeoutMs: 60_000,
        intervalMs: 500,
        what: 'leaders on all three brokers',
      });
      const acknowledged: string[] = [];
      let next = 0;
      let stop = false;
      const publisher = async (lane: number) => {
        while (!stop) {
          const records = Array.from({ length: 27 }, (_, i) => ({ topic, key: `k${lane}-${next + i}`, value: `${lane}:${next + i}` }));
          next += records.length;
          try {
            await bus.publish(records);
            acknowledged.push(...records.map((r) => r.value));
          } catch {
            // not acknowledged: the caller would answer 503 and the client retry; not counted
          }
        }
      };
      const lanes = [publisher(1), publisher(2), publisher(3), publisher(4)];
      await waitFor(() => acknowledged.length >= 500, { timeoutMs: 60_000, intervalMs: 50, what: 'publishes under way' });
      const victim = partitions.find((p) => p.partitionId === 1)!.leader;
      await c.kill(victim);
      const atKill = acknowledged.length;
      await waitFor(() => acknowledged.length >= atKill + 1_000, { timeoutMs: 120_000, intervalMs: 100, what: 'publishes acknowledged after the kill' });
      stop = true;
      await Promise.all(lanes);
      const offsets = await admin.fetchTopicOffsets(topic);
      const stored = offsets.reduce((n, o) => n + Number(o.high), 0);
      const received = new Set((await consumeAll(kafka, topic, stored)).map((m) => m.value));
      const lost = acknowledged.filter((v) => !received.has(v));
      expect({ lost: lost.length, examples: lost.slice(0, 5) }).toEqual({ lost: 0, examples: [] });
      await c.restart(victim);
    } finally {
      await bus.stop().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    }
  }, 300_000);
});
