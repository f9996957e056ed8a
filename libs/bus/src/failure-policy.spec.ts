import { waitFor } from '../../../test/support/wait-for';
import { BusRecord, BusUnavailableError, ConsumedRecord } from './event-bus';
import { DEFAULT_RETRY_POLICY, deliver, describeError, retryDelayMs, retryPolicy } from './failure-policy';
import { BusObserver, composeObservers } from './observer';

const record: ConsumedRecord = { topic: 't', key: 'k', value: 'v', partition: 3, offset: '42', headers: { 'x-correlation-id': 'c' } };
const quick = retryPolicy({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 });

function recorder() {
  const calls: [string, Record<string, unknown>][] = [];
  const observer = composeObservers(
    Object.fromEntries(
      (['handled', 'retrying', 'deadLettered', 'deadLetterFailed'] as const).map((name) => [name, (e: Record<string, unknown>) => void calls.push([name, e])]),
    ) as BusObserver,
  );
  return { observer, calls, names: () => calls.map(([name]) => name) };
}

describe('failure policy', () => {
  it.each([
    [1, 500],
    [2, 1000],
    [3, 2000],
    [6, 16_000],
    [7, 30_000],
    [10, 30_000],
    [500, 30_000],
  ])('should wait after failure %i of the default policy %i ms', (failures, ms) => {
    expect(retryDelayMs(failures, DEFAULT_RETRY_POLICY)).toBe(ms);
  });

  it.each([
    [{ maxAttempts: 0 }, /maxAttempts/],
    [{ maxAttempts: 1.5 }, /maxAttempts/],
    [{ baseDelayMs: 100, maxDelayMs: 50 }, /baseDelayMs ≤ maxDelayMs/],
  ])('should refuse the policy %j', (overrides, message) => {
    expect(() => retryPolicy(overrides)).toThrow(message);
  });

  it.each([
    [new TypeError('bad'), { name: 'TypeError', message: 'bad' }],
    ['just a string', { name: 'string', message: 'just a string' }],
    [{ status: 'error', message: 'Internal server error' }, { name: 'Object', message: 'Internal server error' }],
    [{ code: 7 }, { name: 'Object', message: '{"code":7}' }],
  ])('should describe %p', (error, described) => {
    expect(describeError(error)).toEqual(described);
  });

  it('should not count tries that failed because the bus could not store a write, and report the moved limit', async () => {
    const { observer, calls } = recorder();
    const errors = [new BusUnavailableError('kafka down'), new BusUnavailableError('kafka down'), new BusUnavailableError('kafka down'), new Error('bug'), new Error('bug')];
    const published: BusRecord[] = [];
    await deliver({
      group: 'g',
      record,
      handler: async () => {
        throw errors.shift();
      },
      policy: quick,
      observer,
      signal: new AbortController().signal,
      publish: async (r) => void published.push(r),
    });
    expect(errors).toEqual([]);
    expect(calls.filter(([n]) => n === 'retrying').map(([, e]) => `${e.attempt}/${e.maxAttempts}`)).toEqual(['1/3', '2/4', '3/5', '4/5']);
    expect(published).toHaveLength(1);
    expect(published[0].headers).toMatchObject({ 'x-dlq-attempts': '5', 'x-dlq-reason': 'bug', 'x-dlq-partition': '3', 'x-dlq-offset': '42', 'x-correlation-id': 'c' });
  });

  it('should continue counting from the tries made before a rebalance', async () => {
    const { observer, names } = recorder();
    const seen: unknown[] = [];
    await deliver({
      group: 'g',
      record,
      handler: async () => {
        throw new Error('bug');
      },
      policy: retryPolicy({ maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 }),
      observer,
      signal: new AbortController().signal,
      publish: async () => undefined,
      before: { all: 4, counted: 4 },
      onFailure: (tries) => void seen.push(tries),
    });
    expect(names()).toEqual(['deadLettered']);
    expect(seen).toEqual([{ all: 5, counted: 5 }]);
  });

  it('should keep trying to store the dead letter, and give the record up uncommitted only when stopped', async () => {
    const { observer, names } = recorder();
    let publishes = 0;
    await deliver({
      group: 'g',
      record,
      handler: async () => {
        throw new Error('bug');
      },
      policy: retryPolicy({ maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 }),
      observer,
      signal: new AbortController().signal,
      publish: async () => {
        if (++publishes < 3) throw new BusUnavailableError('dlq down');
      },
    });
    expect(names()).toEqual(['deadLetterFailed', 'deadLetterFailed', 'deadLettered']);

    const stop = new AbortController();
    const stopped = recorder();
    const delivery = deliver({
      group: 'g',
      record,
      handler: async () => {
        throw new Error('bug');
      },
      policy: retryPolicy({ maxAttempts: 1, baseDelayMs: 60_000, maxDelayMs: 60_000 }),
      observer: stopped.observer,
      signal: stop.signal,
      publish: async () => {
        throw new BusUnavailableError('dlq down');
      },
    });
    await waitFor(() => stopped.names().length === 1, { what: 'the failed dead letter' });
    stop.abort(new Error('stopping'));
    await expect(delivery).rejects.toThrow('stopping');
    expect(stopped.names()).toEqual(['deadLetterFailed']);
  });

  it('should keep going when an observer throws', async () => {
    const observer = composeObservers({
      handled: () => {
        throw new Error('metrics exploded');
      },
    });
    await expect(
      deliver({ group: 'g', record, handler: async () => undefined, policy: quick, observer, signal: new AbortController().signal, publish: async () => undefined }),
    ).resolves.toBeUndefined();
  });
});
