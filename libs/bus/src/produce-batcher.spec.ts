import type { BusRecord } from './event-bus';
import { ProduceBatcher, ProduceBatcherOptions } from './produce-batcher';

const rec = (value: string, key = 'k'): BusRecord => ({ topic: 't', key, value });

/** A send that is held until the test settles it, recording what each request carried. */
function heldSend() {
  const requests: { values: string[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const send = (records: BusRecord[]) =>
    new Promise<void>((resolve, reject) => {
      requests.push({ values: records.map((r) => r.value), resolve, reject });
    });
  return { requests, send };
}

const flushTimers = () => new Promise((r) => setTimeout(r, 5));
const options = (o: Partial<ProduceBatcherOptions> = {}): ProduceBatcherOptions => ({ lingerMs: 1, maxRecords: 100, maxBytes: 1 << 20, maxInFlight: 1, ...o });

describe(ProduceBatcher.name, () => {
  it('should send concurrent publishes in one request and resolve each only after that request was acknowledged', async () => {
    const { requests, send } = heldSend();
    const batcher = new ProduceBatcher(send, options());
    const resolved: string[] = [];
    const publishes = ['a', 'b', 'c'].map((v) => batcher.add([rec(v)]).then(() => void resolved.push(v)));
    await flushTimers();
    expect(requests.map((r) => r.values)).toEqual([['a', 'b', 'c']]);
    expect(resolved).toEqual([]);
    requests[0].resolve();
    await Promise.all(publishes);
    expect(resolved).toEqual(['a', 'b', 'c']);
  });

  it('should reject every publish of a failed request with its error, and send later publishes in a new request', async () => {
    const { requests, send } = heldSend();
    const batcher = new ProduceBatcher(send, options());
    const outcomes = ['a', 'b'].map((v) => batcher.add([rec(v)]).then(() => 'stored', (e: Error) => e.message));
    await flushTimers();
    requests[0].reject(new Error('NOT_ENOUGH_REPLICAS'));
    expect(await Promise.all(outcomes)).toEqual(['NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS']);
    const later = batcher.add([rec('c')]);
    await flushTimers();
    expect(requests.map((r) => r.values)).toEqual([['a', 'b'], ['c']]);
    requests[1].resolve();
    await expect(later).resolves.toBeUndefined();
  });

  it('should reject when send throws synchronously', async () => {
    const batcher = new ProduceBatcher(() => {
      throw new Error('not connected');
    }, options());
    await expect(batcher.add([rec('a')])).rejects.toThrow('not connected');
  });

  it('should keep one request in flight and put what arrives meanwhile into the next one, in order', async () => {
    const { requests, send } = heldSend();
    const batcher = new ProduceBatcher(send, options());
    const first = batcher.add([rec('1')]);
    await flushTimers();
    const more = ['2', '3', '4'].map((v) => batcher.add([rec(v)]));
    await flushTimers();
    expect(requests).toHaveLength(1);
    requests[0].resolve();
    await first;
    expect(requests.map((r) => r.values)).toEqual([['1'], ['2', '3', '4']]);
    requests[1].resolve();
    await Promise.all(more);
    expect(batcher.pending).toBe(0);
  });

  it('should close a batch at maxRecords without splitting one publish across requests', async () => {
    const { requests, send } = heldSend();
    const batcher = new ProduceBatcher(send, options({ maxRecords: 3, maxInFlight: 2 }));
    const all = [batcher.add([rec('a'), rec('b')]), batcher.add([rec('c'), rec('d')]), batcher.add([rec('e')])];
    await flushTimers();
    expect(requests.map((r) => r.values)).toEqual([['a', 'b'], ['c', 'd', 'e']]);
    requests.forEach((r) => r.resolve());
    await Promise.all(all);
  });

  it('should close a batch at maxBytes', async () => {
    const { requests, send } = heldSend();
    const batcher = new ProduceBatcher(send, options({ maxBytes: 10, maxInFlight: 2 }));
    const all = [batcher.add([rec('12345678')]), batcher.add([rec('abcdefgh')])];
    await flushTimers();
    expect(requests.map((r) => r.values)).toEqual([['12345678'], ['abcdefgh']]);
    requests.forEach((r) => r.resolve());
    await Promise.all(all);
  });

  it('should send each publish alone with maxRecords 1 (batching off)', async () => {
    const { requests, send } = heldSend();
    const batcher = new ProduceBatcher(send, options({ maxRecords: 1, lingerMs: 0 }));
    const all = ['a', 'b', 'c'].map((v) => batcher.add([rec(v)]));
    for (let i = 0; i < 3; i++) {
      await flushTimers();
      requests[i].resolve();
    }
    await Promise.all(all);
    expect(requests.map((r) => r.values)).toEqual([['a'], ['b'], ['c']]);
  });

  it('should withdraw a publish whose caller gave up before it was sent, and never send it', async () => {
    const { requests, send } = heldSend();
    const batcher = new ProduceBatcher(send, options());
    const first = batcher.add([rec('in-flight')]);
    await flushTimers();
    const withdrawn = batcher.add([rec('waiting')]);
    const kept = batcher.add([rec('kept')]);
    withdrawn.withdraw(new Error('no acknowledgement within 10000 ms'));
    await expect(withdrawn).rejects.toThrow('no acknowledgement');
    requests[0].resolve();
    await first;
    await flushTimers();
    expect(requests.map((r) => r.values)).toEqual([['in-flight'], ['kept']]);
    requests[1].resolve();
    await kept;
  });

  it('should let a caller that gives up after its records were sent learn the outcome from the send only', async () => {
    const { requests, send } = heldSend();
    const batcher = new ProduceBatcher(send, options());
    const publish = batcher.add([rec('sent')]);
    await flushTimers();
    publish.withdraw(new Error('timeout'));
    requests[0].resolve();
    await expect(publish).resolves.toBeUndefined();
  });
});
