import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBusContract } from './bus.contract';
import { InProcessBus } from './in-process-bus';

runBusContract('InProcessBus (memory)', () => ({ create: () => new InProcessBus(), durable: false }));

runBusContract('InProcessBus (journal)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-bus-'));
  return { create: () => new InProcessBus({ journalDir: dir }), durable: true };
});

describe(InProcessBus.name, () => {
  it('should replay acknowledged records that no group had handled before a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lapor-bus-'));
    const before = new InProcessBus({ journalDir: dir });
    await before.publish({ topic: 't', key: 'k', value: 'accepted-then-crashed' });
    // No start(): the process "dies" before the router handled it.
    const after = new InProcessBus({ journalDir: dir });
    const got: string[] = [];
    after.subscribe('router', 't', async (r) => void got.push(r.value));
    await after.start();
    await new Promise((r) => setTimeout(r, 20));
    await after.stop();
    expect(got).toEqual(['accepted-then-crashed']);
  });
});
