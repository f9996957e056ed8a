import { SentOutcomes } from './sent-outcomes';

type Sent = { id: string; externalId: string; possibleDuplicate: boolean };

/** A write the test completes by hand, recording what each statement carried. */
function manualWrite() {
  const calls: { sent: Sent[]; finish(written: string[] | Error): void }[] = [];
  const write = (sent: Sent[]) =>
    new Promise<Set<string>>((resolve, reject) => calls.push({ sent, finish: (w) => (w instanceof Error ? reject(w) : resolve(new Set(w))) }));
  return { calls, write };
}

describe(SentOutcomes.name, () => {
  it.each([
    { case: 'one outcome alone is written at once', before: ['a'], during: [], statements: [['a'], []] },
    { case: 'outcomes that arrive while a write is in flight go together in the next', before: ['a'], during: ['b', 'c', 'd'], statements: [['a'], ['b', 'c', 'd']] },
  ])('$case', async ({ before, during, statements }) => {
    const { calls, write } = manualWrite();
    const outcomes = new SentOutcomes(write);
    const results = new Map<string, Promise<boolean>>();
    for (const id of before) results.set(id, outcomes.add(id, `SM${id}`));
    for (const id of during) results.set(id, outcomes.add(id, `SM${id}`));
    expect(calls.map((c) => c.sent.map((s) => s.id))).toEqual([statements[0]]);
    calls[0].finish(statements[0]);
    await results.get(statements[0][0]);
    await new Promise((r) => setImmediate(r));
    expect(calls.map((c) => c.sent.map((s) => s.id))).toEqual(statements.filter((s) => s.length));
    if (calls[1]) calls[1].finish(statements[1].slice(1)); // the first of them lost its lease
    for (const id of statements[1].slice(1)) expect(await results.get(id)).toBe(true);
    if (statements[1].length) expect(await results.get(statements[1][0])).toBe(false);
    expect(calls[0].sent[0]).toEqual({ id: statements[0][0], externalId: `SM${statements[0][0]}`, possibleDuplicate: false });
  });

  it('should reject every outcome of a failed statement, and write later ones in a new statement', async () => {
    const { calls, write } = manualWrite();
    const outcomes = new SentOutcomes(write);
    const a = outcomes.add('a', 'SMa');
    const b = outcomes.add('b', 'SMb');
    calls[0].finish(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    await new Promise((r) => setImmediate(r));
    calls[1].finish(['b']);
    await expect(b).resolves.toBe(true);
    const c = outcomes.add('c', 'SMc');
    calls[2].finish(['c']);
    await expect(c).resolves.toBe(true);
    expect(calls.map((x) => x.sent.map((s) => s.id))).toEqual([['a'], ['b'], ['c']]);
  });
});
