import { Partitioners, RecordMetadata } from 'kafkajs';
import type { BusRecord } from './event-bus';

/**
 * Why this exists: kafkajs 2.2.4 sends one produce request per leader broker and, when one of
 * them fails, retries only the brokers that have not answered yet
 * (node_modules/kafkajs/src/producer/sendMessages.js, `brokersWithoutResponse`). If a broker
 * dies mid-request and its partitions move to a broker that had already answered, their
 * records are never sent again, and `sendBatch` still resolves. `npm run chaos` found 35
 * complaints whose acknowledged events were missing from Kafka that way.
 *
 * So the bus names each record's partition itself (the same murmur2 hash kafkajs would use)
 * and checks that the answer covers every partition it wrote to; records of a partition the
 * answer leaves out were not sent and go out again. Nothing that was stored is sent twice.
 */
const partitioner = Partitioners.DefaultPartitioner();

/** kafkajs' default partition of a keyed record among `partitions` partitions. */
export function partitionOf(topic: string, key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: -1, partitionErrorCode: 0, replicas: [], isr: [] }));
  return partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

export interface PartitionedRecord extends BusRecord {
  /** Set when the topic's partition count was known; else kafkajs chooses (and the check cannot see it). */
  partition?: number;
}

/** Names each record's partition where its topic's partition count is known. */
export function assignPartitions(records: BusRecord[], partitionCounts: ReadonlyMap<string, number>): PartitionedRecord[] {
  return records.map((r) => {
    const n = partitionCounts.get(r.topic);
    return n ? { ...r, partition: partitionOf(r.topic, r.key, n) } : r;
  });
}

/**
 * The records whose partition the broker's answer does not acknowledge (absent, or with an
 * error code): they were not stored by this request.
 */
export function unacknowledged(records: PartitionedRecord[], answer: RecordMetadata[]): PartitionedRecord[] {
  const acknowledged = new Set(answer.filter((m) => m.errorCode === 0).map((m) => `${m.topicName}\u0000${m.partition}`));
  return records.filter((r) => r.partition !== undefined && !acknowledged.has(`${r.topic}\u0000${r.partition}`));
}
