import { randomUUID } from 'node:crypto';
import { waitFor } from '../../../test/support/wait-for';
import { ConsumedRecord, EventBus } from './event-bus';

export interface BusUnderTest {
  /** A bus; `instance` lets the restart test ask for "the same bus again" (same journal or cluster). */
  create(instance: string): EventBus;
  /** Whether a new instance resumes where the previous one committed. */
  durable: boolean;
}

/**
 * The one contract both bus implementations must keep. Each test uses fresh topic
 * and group names, so the suite can run against a shared broker.
 */
export function runBusContract(name: string, factory: () => BusUnderTest): void {
  describe(`${name} (bus contract)`, () => {
    let under: BusUnderTest;
    const open: EventBus[] = [];
    const bus = (instance = 'a') => {
      const b = under.create(instance);
      open.push(b);
      return b;
    };
    const unique = (what: string) => `test.${what}.${randomUUID().slice(0, 8)}`;

    beforeEach(() => {
      under = factory();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.stop()));
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

    it('should redeliver a record whose handler failed, and lose nothing after it', async () => {
      const topic = unique('retry');
      const seen: string[] = [];
      let failuresLeft = 2;
      const b = bus();
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
    });

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
  });
}
