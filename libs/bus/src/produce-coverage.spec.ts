import type { RecordMetadata } from 'kafkajs';
import { assignPartitions, partitionOf, unacknowledged } from './produce-coverage';

const meta = (topicName: string, partition: number, errorCode = 0): RecordMetadata => ({ topicName, partition, errorCode });

describe('produce coverage (kafkajs partial-retry loss)', () => {
  it('names the partition kafkajs would choose for a key (murmur2), stable and within range', () => {
    for (const key of ['sms:+6281234567890', 'web:abc', 'HBWWY4RQS3N', '']) {
      const p = partitionOf('t', key, 6);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(6);
      expect(partitionOf('t', key, 6)).toBe(p);
    }
    const spread = new Set(Array.from({ length: 200 }, (_, i) => partitionOf('t', `k${i}`, 6)));
    expect(spread.size).toBe(6);
  });

  it('leaves records of topics with an unknown partition count to kafkajs', () => {
    const records = assignPartitions(
      [
        { topic: 'known', key: 'k1', value: 'v' },
        { topic: 'unknown', key: 'k2', value: 'v' },
      ],
      new Map([['known', 3]]),
    );
    expect(records[0].partition).toBe(partitionOf('known', 'k1', 3));
    expect(records[1].partition).toBeUndefined();
  });

  it.each([
    ['every partition acknowledged', [meta('a', 0), meta('a', 1), meta('b', 0)], []],
    ['a partition missing from the answer (moved to a broker that had answered)', [meta('a', 0), meta('b', 0)], ['a/1']],
    ['a partition with an error code', [meta('a', 0), meta('a', 1, 6), meta('b', 0)], ['a/1']],
    ['an empty answer', [], ['a/0', 'a/1', 'b/0']],
  ])('%s', (_case, answer, expected) => {
    const records = [
      { topic: 'a', key: 'x', value: '1', partition: 0 },
      { topic: 'a', key: 'y', value: '2', partition: 1 },
      { topic: 'b', key: 'z', value: '3', partition: 0 },
      { topic: 'c', key: 'w', value: '4' },
    ];
    expect(unacknowledged(records, answer).map((r) => `${r.topic}/${r.partition}`)).toEqual(expected);
  });
});
