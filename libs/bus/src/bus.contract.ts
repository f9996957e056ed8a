import { randomUUID } from 'node:crypto';
import { DeadLetterHeaders, deadLetterTopic, ReplayHeaders } from '@lapor/contracts';
import { waitFor } from '../../../test/support/wait-for';
import type { DeadLetters } from './dead-letters';
import { ConsumedRecord, EventBus, UnprocessableRecordError } from './event-bus';
import type { RetryPolicy } from './failure-policy';
import type { BusObserver } from './observer';

/** What a test may set on a bus it creates. */
export interface ContractOptions {
  retry?: Partial<RetryPolicy>;
  observer?: BusObserver;
}

export interface BusUnderTest {
  /** A bus; `instance` lets the restart test ask for "the same bus again" (same journal or cluster). */
  create(instance: string, options?: ContractOptions): EventBus;
  /** Whether a new instance resumes where the previous one committed. */
  durable: boolean;
  /** The session timeout of the bus's consumers, where a member that stops heartbeating is evicted (Kafka). */
  sessionTimeoutMs?: number;
  /** The dead-letter tools over the same storage (absent for a memory-only bus, which an operator never meets). */
  deadLetters?(): DeadLetters;
}

/** Everything a bus reports, for assertions. */
function recorder() {
  const seen = {
    joined: [] as Parameters<NonNullable<BusObserver['groupJoined']>>[0][],
    handled: [] as Parameters<NonNullable<BusObserver['handled']>>[0][],
    retrying: [] as Parameters<NonNullable<BusObserver['retrying']>>[0][],
    deadLettered: [] as Parameters<NonNullable<BusObserver['deadLettered']>>[0][],
  };
  const observer: BusObserver = {
    groupJoined: (e) => void seen.joined.push(e),
    handled: (e) => void seen.handled.push(e),
    retrying: (e) => void seen.retrying.push(e),
    deadLettered: (e) => void seen.deadLettered.push(e),
  };
  return { observer, ...seen };
}

/** Fast retries for tests: no real waiting, unless a test needs the waits to outlast something. */
const quickRetries = (maxAttempts: number): Partial<RetryPolicy> => ({ maxAttempts, baseDelayMs: 1, maxDelayMs: 1 });

/**
 * The one contract both bus implementations must keep. Each test uses fresh topic
 * and group names, so the suite can run against a shared broker.
 */
export function runBusContract(name: string, factory: () => BusUnderTest): void {
  describe(`${name} (bus contract)`, () => {
    let under: BusUnderTest;
    const open: EventBus[] = [];
    const tools: DeadLetters[] = [];
    const bus = (instance = 'a', options?: ContractOptions) => {
      const b = under.create(instance, options);
      open.push(b);
      return b;
    };
    const deadLetters = () => {
      const d = under.deadLetters!();
      tools.push(d);
      return d;
    };
    const unique = (what: string) => `test.${what}.${randomUUID().slice(0, 8)}`;

    beforeEach(() => {
      under = factory();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.stop()));
      await Promise.all(tools.splice(0).map((d) => d.close()));
    });

    it('should deliver a published record with its key, value and headers', async () => {
      const topic = unique('basic');
      const got: ConsumedRecord[] = [];
      const b = bus();
      b.subscribe(unique('g'), topic, async (r) => void got.push(r));
      await b.start();
      await b.publish({ topic, key: 'k1', value: '{"hello":"dunia"}', headers: { 'x-trace': 't1' } });
      await waitFor(() => got.length === 1, { what: 'delivery' });
      expect(got[0]).toMatchObject({ topic, key: 'k1', value: '{"hello":"dunia"}', headers: { 'x-trace': 't1' } });
    });

    it('should give every consumer group its own copy of each record', async () => {
      const topic = unique('groups');
      const a: string[] = [];
      const c: string[] = [];
      const b = bus();
      b.subscribe(unique('router'), topic, async (r) => void a.push(r.value));
      b.subscribe(unique('notifier'), topic, async (r) => void c.push(r.value));
      await b.start();
      await b.publish([1, 2, 3].map((i) => ({ topic, key: `k${i}`, value: String(i) })));
      await waitFor(() => a.length === 3 && c.length === 3, { what: 'both groups' });
      expect(a.sort()).toEqual(['1', '2', '3']);
      expect(c.sort()).toEqual(['1', '2', '3']);
    });

    it('should keep the order of records that share a key', async () => {
      const topic = unique('order');
      const got: number[] = [];
      const b = bus();
      b.subscribe(unique('g'), topic, async (r) => void got.push(Number(r.value)));
      await b.start();
      for (let i = 0; i < 30; i++) await b.publish({ topic, key: 'same-sender', value: String(i) });
      await waitFor(() => got.length === 30, { what: '30 records' });
      expect(got).toEqual([...Array(30).keys()]);
    });

    it('should store each of many concurrent publishes exactly once, keeping the order of each key', async () => {
      const topic = unique('concurrent');
      const got: ConsumedRecord[] = [];
      const b = bus();
      b.subscribe(unique('g'), topic, async (r) => void got.push(r));
      await b.start();
      // 50 senders publish at once, each its own 20 records one after the other (as 50 clients of
      // an intake would); plus 20 publishes of several records at once.
      const senders = Array.from({ length: 50 }, (_, s) => `sender-${s}`);
      await Promise.all([
        ...senders.map(async (key) => {
          for (let i = 0; i < 20; i++) await b.publish({ topic, key, value: `${key}:${i}` });
        }),
        ...Array.from({ length: 20 }, (_, n) => b.publish([1, 2, 3].map((i) => ({ topic, key: `multi-${n}`, value: `multi-${n}:${i}` })))),
      ]);
      await waitFor(() => got.length >= 1060, { what: '1,060 records' });
      const values = got.map((r) => r.value);
      expect(new Set(values).size).toBe(values.length);
      expect(values).toHaveLength(1060);
      for (const key of senders) expect(got.filter((r) => r.key === key).map((r) => r.value)).toEqual([...Array(20).keys()].map((i) => `${key}:${i}`));
      for (let n = 0; n < 20; n++) expect(got.filter((r) => r.key === `multi-${n}`).map((r) => r.value)).toEqual([1, 2, 3].map((i) => `multi-${n}:${i}`));
    });

    it('should handle a record whose handler failed twice then succeeded exactly once, not dead-letter it, and lose nothing after it', async () => {
      const topic = unique('retry');
      const seen: string[] = [];
      let failuresLeft = 2;
      const events = recorder();
      const b = bus('a', { retry: quickRetries(10), observer: events.observer });
      b.subscribe(unique('g'), topic, async (r) => {
        if (r.value === 'first' && failuresLeft-- > 0) throw new Error('database is down');
        seen.push(r.value);
      });
      await b.start();
      await b.publish([
        { topic, key: 'k', value: 'first' },
        { topic, key: 'k', value: 'second' },
      ]);
      await waitFor(() => seen.length === 2, { what: 'redelivery', timeoutMs: 30_000 });
      expect(seen).toEqual(['first', 'second']);
      expect(events.retrying.map((e) => [e.record.value, e.attempt, e.error])).toEqual([
        ['first', 1, new Error('database is down')],
        ['first', 2, new Error('database is down')],
      ]);
      expect(events.handled.map((e) => [e.record.value, e.attempts])).toEqual([
        ['first', 3],
        ['second', 1],
      ]);
      expect(events.deadLettered).toEqual([]);
    });

    it('should dead-letter a record whose handler failed 20 times, with why and where, while later records of its partition proceed and the member stays in its group', async () => {
      const topic = unique('poison');
      const group = unique('g');
      const events = recorder();
      // On Kafka the waits add up to 1.5 session timeouts: a member that did not heartbeat while
      // waiting would be evicted and rejoin (a second GROUP_JOIN), and its partition would stall.
      const waitMs = under.sessionTimeoutMs ? Math.ceil((1.5 * under.sessionTimeoutMs) / 19) : 1;
      const b = bus('a', { retry: { maxAttempts: 20, baseDelayMs: waitMs, maxDelayMs: waitMs }, observer: events.observer });
      const tries: ConsumedRecord[] = [];
      const handled: string[] = [];
      const joins = () => events.joined.filter((e) => e.group === group).length;
      let joinsAtFirstTry = 0;
      b.subscribe(group, topic, async (r) => {
        if (r.value === 'poison') {
          if (!tries.length) joinsAtFirstTry = joins();
          tries.push(r);
          throw new TypeError(`cannot read the record (try ${tries.length})`);
        }
        handled.push(r.value);
      });
      const letters: ConsumedRecord[] = [];
      b.subscribe(unique('dlq-reader'), deadLetterTopic(topic), async (r) => void letters.push(r));
      await b.start();
      await b.publish({ topic, key: 'same-key', value: 'poison', headers: { 'x-correlation-id': 'corr-poison' } });
      await b.publish({ topic, key: 'same-key', value: 'after' });

      await waitFor(() => handled.includes('after') && letters.length === 1, { what: 'the dead letter and the next record', timeoutMs: 60_000 });
      expect(tries).toHaveLength(20);
      expect(handled).toEqual(['after']);
      const [letter] = letters;
      expect(letter).toMatchObject({ topic: deadLetterTopic(topic), key: 'same-key', value: 'poison' });
      expect(letter.headers).toEqual({
        'x-correlation-id': 'corr-poison',
        [DeadLetterHeaders.reason]: 'cannot read the record (try 20)',
        [DeadLetterHeaders.error]: 'TypeError',
        [DeadLetterHeaders.attempts]: '20',
        [DeadLetterHeaders.group]: group,
        [DeadLetterHeaders.topic]: topic,
        [DeadLetterHeaders.partition]: String(tries[0].partition),
        [DeadLetterHeaders.offset]: tries[0].offset,
        [DeadLetterHeaders.at]: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(events.retrying).toHaveLength(19);
      expect(events.deadLettered.map((e) => [e.group, e.record.value, e.attempts, e.deadLetterTopic])).toEqual([[group, 'poison', 20, deadLetterTopic(topic)]]);
      // (kafkajs may rejoin once right at the start, while a new topic's metadata settles.)
      expect(joinsAtFirstTry).toBeGreaterThan(0);
      expect(joins()).toBe(joinsAtFirstTry);
    }, 90_000);

    it('should dead-letter at once a record its handler calls unprocessable', async () => {
      const topic = unique('unprocessable');
      const events = recorder();
      const b = bus('a', { retry: quickRetries(10), observer: events.observer });
      let tries = 0;
      const handled: string[] = [];
      b.subscribe(unique('g'), topic, async (r) => {
        if (r.value === 'not json') {
          tries++;
          throw new UnprocessableRecordError('does not match the schema');
        }
        handled.push(r.value);
      });
      const letters: ConsumedRecord[] = [];
      b.subscribe(unique('dlq-reader'), deadLetterTopic(topic), async (r) => void letters.push(r));
      await b.start();
      await b.publish([
        { topic, key: 'k', value: 'not json' },
        { topic, key: 'k', value: '{}' },
      ]);
      await waitFor(() => handled.length === 1 && letters.length === 1, { what: 'the dead letter and the next record' });
      expect(tries).toBe(1);
      expect(letters[0].headers).toMatchObject({ [DeadLetterHeaders.attempts]: '1', [DeadLetterHeaders.error]: 'UnprocessableRecordError', [DeadLetterHeaders.reason]: 'does not match the schema' });
      expect(events.retrying).toEqual([]);
    });

    it('should hand a batch handler consecutive records in order, and when it fails, each record to the per-record handler, dead-lettering a poison record alone', async () => {
      const topic = unique('batch');
      const events = recorder();
      const b = bus('a', { retry: quickRetries(3), observer: { ...events.observer, batchFailed: (e) => void batchFailures.push(e.records) } });
      const batchFailures: number[] = [];
      const batches: string[][] = [];
      // What is stored: a value handled by the batch or by the per-record handler, never twice.
      const stored: string[] = [];
      const singleTries: string[] = [];
      b.subscribe(
        unique('g'),
        topic,
        async (r) => {
          singleTries.push(r.value);
          if (r.value === 'poison') throw new TypeError('cannot read the record');
          if (!stored.includes(r.value)) stored.push(r.value);
        },
        {
          maxBatchRecords: 25,
          batch: async (records) => {
            batches.push(records.map((r) => r.value));
            // All or nothing, as one database transaction would be.
            if (records.some((r) => r.value === 'poison')) throw new Error('a record of the batch failed');
            for (const r of records) stored.push(r.value);
          },
        },
      );
      const letters: ConsumedRecord[] = [];
      b.subscribe(unique('dlq-reader'), deadLetterTopic(topic), async (r) => void letters.push(r));
      const values = Array.from({ length: 120 }, (_, i) => (i === 60 ? 'poison' : `v${i}`));
      // One key, so one partition and one order.
      await b.publish(values.map((value) => ({ topic, key: 'same-key', value })));
      await b.start();
      await waitFor(() => stored.length === 119 && letters.length === 1, { what: '119 records and one dead letter', timeoutMs: 30_000 });
      expect(stored).toEqual(values.filter((v) => v !== 'poison'));
      expect(batches.every((batch) => batch.length <= 25)).toBe(true);
      // Only the failed batch went record by record: the poison record its three tries, each other record of it once.
      const failed = batches.find((batch) => batch.includes('poison'))!;
      expect(batchFailures).toEqual([failed.length]);
      expect(singleTries.filter((v) => v !== 'poison')).toEqual(failed.filter((v) => v !== 'poison'));
      expect(singleTries.filter((v) => v === 'poison')).toHaveLength(3);
      expect(letters.map((l) => [l.value, l.headers?.[DeadLetterHeaders.attempts]])).toEqual([['poison', '3']]);
      expect(events.deadLettered.map((e) => e.record.value)).toEqual(['poison']);
      expect(events.handled.filter((e) => e.record.topic === topic)).toHaveLength(119);
    }, 60_000);

    it('should deliver records published before the group first started', async () => {
      const topic = unique('early');
      const got: string[] = [];
      const b = bus();
      b.subscribe(unique('g'), topic, async (r) => void got.push(r.value));
      await b.publish({ topic, key: 'k', value: 'before-start' });
      await b.start();
      await waitFor(() => got.length === 1, { what: 'early record' });
      expect(got).toEqual(['before-start']);
    });

    it('should let a restarted consumer group resume after what it committed', async () => {
      if (!under.durable) return;
      const topic = unique('resume');
      const group = unique('g');
      const first: string[] = [];
      const b1 = bus('same');
      b1.subscribe(group, topic, async (r) => void first.push(r.value));
      await b1.start();
      await b1.publish({ topic, key: 'k', value: 'old' });
      await waitFor(() => first.length === 1, { what: 'first delivery' });
      await b1.stop();

      const second: string[] = [];
      const b2 = bus('same');
      b2.subscribe(group, topic, async (r) => void second.push(r.value));
      await b2.start();
      await b2.publish({ topic, key: 'k', value: 'new' });
      await waitFor(() => second.includes('new'), { what: 'delivery after restart' });
      expect(second).toEqual(['new']);
    });

    it('should neither commit nor dead-letter a failing record when stopped, and deliver it again after a restart', async () => {
      if (!under.durable) return;
      const topic = unique('stop-while-failing');
      const group = unique('g');
      const events = recorder();
      const b1 = bus('same', { retry: quickRetries(1_000_000), observer: events.observer });
      let tries = 0;
      b1.subscribe(group, topic, async () => {
        tries++;
        throw new Error('still broken');
      });
      await b1.start();
      await b1.publish({ topic, key: 'k', value: 'unlucky' });
      await waitFor(() => tries >= 3, { what: 'a few failed tries' });
      await b1.stop();
      expect(events.deadLettered).toEqual([]);

      const second: string[] = [];
      const b2 = bus('same');
      b2.subscribe(group, topic, async (r) => void second.push(r.value));
      await b2.start();
      await waitFor(() => second.length === 1, { what: 'the record again after the restart' });
      expect(second).toEqual(['unlucky']);
    });

    it('should list a dead letter and replay it to its topic, where an idempotent handler applies it once', async () => {
      if (!under.deadLetters) return;
      const topic = unique('replay');
      const group = unique('g');
      let fixed = false;
      const applied = new Set<string>(); // what an idempotent consumer stores, e.g. a unique key in its table
      const deliveries: ConsumedRecord[] = [];
      const handler = async (r: ConsumedRecord) => {
        if (!fixed) throw new Error('bug in the handler');
        deliveries.push(r);
        applied.add(r.value);
      };
      const events = recorder();
      const b1 = bus('same', { retry: quickRetries(2), observer: events.observer });
      b1.subscribe(group, topic, handler);
      await b1.start();
      await b1.publish({ topic, key: 'k', value: 'complaint-1', headers: { 'x-correlation-id': 'corr-1' } });
      await waitFor(() => events.deadLettered.length === 1, { what: 'the dead letter' });

      const dlq = deadLetters();
      const [letter, ...more] = await dlq.list(topic);
      expect(more).toEqual([]);
      expect(letter).toMatchObject({
        deadLetterTopic: deadLetterTopic(topic),
        topic,
        group,
        attempts: 2,
        reason: 'bug in the handler',
        error: 'Error',
        key: 'k',
        value: 'complaint-1',
        headers: { 'x-correlation-id': 'corr-1' },
      });
      expect(await dlq.list(deadLetterTopic(topic))).toEqual([letter]);
      await expect(dlq.replay(topic, ['7:999'])).rejects.toThrow(/no dead letter 7:999/);

      // The operator deploys the fix: stop, replay (twice, by mistake), start again.
      fixed = true;
      await b1.stop();
      expect(await dlq.replay(topic, [letter.id])).toEqual([letter]);
      expect(await dlq.replay(topic)).toEqual([letter]);
      const b2 = bus('same');
      b2.subscribe(group, topic, handler);
      await b2.start();
      await waitFor(() => deliveries.length === 2, { what: 'both replays' });
      expect(deliveries.map((r) => [r.key, r.value, r.headers?.['x-correlation-id'], r.headers?.[ReplayHeaders.from]])).toEqual([
        ['k', 'complaint-1', 'corr-1', `${deadLetterTopic(topic)}/${letter.id}`],
        ['k', 'complaint-1', 'corr-1', `${deadLetterTopic(topic)}/${letter.id}`],
      ]);
      expect(deliveries.every((r) => !Object.keys(r.headers ?? {}).some((h) => h.startsWith('x-dlq-')))).toBe(true);
      expect([...applied]).toEqual(['complaint-1']);
    });
  });
}
