/**
 * kafkajs 2.2.4 against @platformatic/kafka as the bus's producer: speed AND correctness, on
 * one real broker in one run. Each client runs the same workload: `--callers` concurrent
 * callers, each publishing its own numbered records one after the other (as the clients of
 * an intake do) for `--duration` s, through the bus's ProduceBatcher (shared acks=all
 * requests) and without it (every publish its own request, the client left to cope with the
 * concurrency). Both idempotent, acks=all. Then every record is read back: an acknowledged
 * record that is missing, a record stored twice, or a caller's records out of order is a
 * failure of the client, whatever its speed.
 *
 *   npm run bench:kafka-clients [-- --duration 10 --callers 64 --rounds 2]
 *
 * Starts its own Kafka broker (scripts/kafka.sh, free ports). Loopback only, bounded.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Producer as PlatformaticProducer, stringSerializers } from '@platformatic/kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { BusRecord, ProduceBatcher, DEFAULT_PRODUCE_BATCHING } from '@lapor/bus';
import { findFreeBasePort, startKafka } from '../test/support/kafka-broker';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, callers: { type: 'string', default: '64' }, rounds: { type: 'string', default: '1' } } });
const durationMs = Number(values.duration) * 1000;
const callers = Number(values.callers);
const PARTITIONS = 6;
// A record the size of an inbound complaint envelope.
const PADDING = 'x'.repeat(700);

interface Client {
  name: string;
  send(records: BusRecord[]): Promise<void>;
  close(): Promise<void>;
}

async function kafkajsClient(brokers: string[]): Promise<Client> {
  const producer = new Kafka({ clientId: 'bench-kafkajs', brokers, logLevel: logLevel.NOTHING }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    name: 'kafkajs 2.2.4',
    send: async (records) => {
      const byTopic = new Map<string, BusRecord[]>();
      for (const r of records) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, rs]) => ({ topic, messages: rs.map((r) => ({ key: r.key, value: r.value })) })) });
    },
    close: () => producer.disconnect(),
  };
}

async function platformaticClient(brokers: string[]): Promise<Client> {
  const producer = new PlatformaticProducer({ clientId: 'bench-platformatic', bootstrapBrokers: brokers, serializers: stringSerializers, idempotent: true, acks: -1 });
  return {
    name: '@platformatic/kafka 1.35',
    send: async (records) => {
      await producer.send({ messages: records.map((r) => ({ topic: r.topic, key: r.key, value: r.value })) });
    },
    close: () => producer.close(),
  };
}

interface Outcome {
  client: string;
  mode: string;
  acknowledged: number;
  rejected: number;
  perS: number;
  p50: number;
  p99: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  firstError?: string;
}

async function workload(client: Client, mode: 'batched' | 'unbatched', brokers: string[]): Promise<Outcome> {
  const topic = `bench.clients.${randomUUID().slice(0, 8)}`;
  const admin = new Kafka({ clientId: 'bench-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  const batcher = new ProduceBatcher((rs) => client.send(rs), DEFAULT_PRODUCE_BATCHING);
  const publish = mode === 'batched' ? (r: BusRecord) => batcher.add([r]) : (r: BusRecord) => client.send([r]);
  const acknowledged = new Map<string, number>(); // caller → last acknowledged sequence
  const latencies: number[] = [];
  let rejected = 0;
  let firstError: string | undefined;
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      const key = `caller-${c}`;
      for (let seq = 0; performance.now() < until; seq++) {
        const t0 = performance.now();
        try {
          await publish({ topic, key, value: `${key}:${seq}:${PADDING}` });
          latencies.push(performance.now() - t0);
          acknowledged.set(key, seq);
        } catch (error) {
          rejected++;
          firstError ??= (error as Error).message;
          return; // a caller that got an error stops (it would answer 503 and the client retries later)
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  // Read everything back.
  const offsets = await admin.fetchTopicOffsets(topic);
  const total = offsets.reduce((n, o) => n + Number(o.high), 0);
  await admin.disconnect();
  const seen = new Map<string, number[]>();
  const consumer = new Kafka({ clientId: 'bench-reader', brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let read = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const [caller, seq] = m.value!.toString().split(':');
          seen.set(caller, [...(seen.get(caller) ?? []), Number(seq)]);
          read++;
        }
        if (read >= total) resolve();
      },
    });
    if (total === 0) resolve();
  });
  await consumer.disconnect();
  let missing = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  for (const [caller, last] of acknowledged) {
    const seqs = seen.get(caller) ?? [];
    duplicates += seqs.length - new Set(seqs).size;
    for (let s = 0; s <= last; s++) if (!seqs.includes(s)) missing++;
    if (seqs.some((s, i) => i > 0 && s <= seqs[i - 1])) outOfOrder++;
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { client: client.name, mode, acknowledged: latencies.length, rejected, perS: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99), missing, duplicates, outOfOrder, firstError };
}

async function main() {
  const kafka = await startKafka({ nodes: 1, dir: `.kafka/bench-clients-${process.pid}`, port: await findFreeBasePort(1, 49192) });
  const outcomes: Outcome[] = [];
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const make of [kafkajsClient, platformaticClient]) {
        for (const mode of ['batched', 'unbatched'] as const) {
          const client = await make(kafka.brokers);
          try {
            const o = await workload(client, mode, kafka.brokers);
            outcomes.push(o);
            console.error(`${o.client} ${o.mode}: ${o.perS.toFixed(0)}/s, p99 ${o.p99.toFixed(1)} ms, rejected ${o.rejected}, missing ${o.missing}, duplicates ${o.duplicates}, out of order ${o.outOfOrder}`);
          } finally {
            await client.close().catch(() => undefined);
          }
        }
      }
    }
  } finally {
    await kafka.stop();
  }
  console.log(`\n## bench:kafka-clients — ${new Date().toISOString()}: ${callers} callers, ${values.duration} s each, idempotent, acks=all`);
  console.log('\n| client | publishes | acknowledged/s | p50 ms | p99 ms | rejected | acknowledged but missing | stored twice | callers out of order | first error |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const o of outcomes) {
    console.log(`| ${o.client} | ${o.mode === 'batched' ? 'shared requests (ProduceBatcher)' : 'one request each, concurrent'} | ${o.perS.toFixed(0)} | ${o.p50.toFixed(1)} | ${o.p99.toFixed(1)} | ${o.rejected} | ${o.missing} | ${o.duplicates} | ${o.outOfOrder} | ${o.firstError ?? ''} |`);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
