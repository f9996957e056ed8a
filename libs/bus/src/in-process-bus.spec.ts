import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../../test/support/wait-for';
import { runBusContract } from './bus.contract';
import { DeadLetters, JournalDeadLetterSource } from './dead-letters';
import { InProcessBus } from './in-process-bus';
import { Journal, JournalInUseError } from './journal';

runBusContract('InProcessBus (memory)', () => ({ create: (_, options) => new InProcessBus(options), durable: false }));

runBusContract('InProcessBus (journal)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lapor-bus-'));
  return {
    create: (_, options) => new InProcessBus({ journalDir: dir, ...options }),
    durable: true,
    deadLetters: () => new DeadLetters(new JournalDeadLetterSource(dir)),
  };
});

describe(InProcessBus.name, () => {
  const journalDir = () => mkdtempSync(join(tmpdir(), 'lapor-bus-'));
  /** The pid of a process that has exited. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

  it('should replay acknowledged records that no group had handled before a crash', async () => {
    const dir = journalDir();
    const before = new InProcessBus({ journalDir: dir });
    await before.publish({ topic: 't', key: 'k', value: 'accepted-then-crashed' });
    // No start(): the process "dies" before the router handled it.
    const after = new InProcessBus({ journalDir: dir });
    const got: string[] = [];
    after.subscribe('router', 't', async (r) => void got.push(r.value));
    await after.start();
    await waitFor(() => got.length === 1, { what: 'the journaled record' });
    await after.stop();
    expect(got).toEqual(['accepted-then-crashed']);
  });

  it('should keep in memory only what its groups have still to handle, and still give all of it to a group that subscribes later', async () => {
    const dir = journalDir();
    const bus = new InProcessBus({ journalDir: dir });
    const handled: string[] = [];
    bus.subscribe('router', 't', async (r) => void handled.push(r.value));
    await bus.start();
    const values = Array.from({ length: 1000 }, (_, i) => `v${i}`);
    for (let i = 0; i < values.length; i += 100) await bus.publish(values.slice(i, i + 100).map((value) => ({ topic: 't', key: 'k', value })));
    await bus.publish({ topic: 'nobody-listens', key: 'k', value: 'x' });
    await waitFor(() => handled.length === 1000, { what: '1,000 records' });
    const logs = (bus as unknown as { logs: Map<string, { base: number; records: unknown[] }> }).logs;
    expect(logs.get('t')!.records.length).toBeLessThan(256);
    expect(logs.get('nobody-listens')?.records ?? []).toEqual([]);
    await bus.stop();

    // The same instance again, with a new group (and after a crash, a new instance): everything from the journal, in order.
    const late: string[] = [];
    bus.subscribe('desk', 't', async (r) => void late.push(r.value));
    await bus.start();
    await waitFor(() => late.length === 1000, { what: 'the late group' });
    expect(late).toEqual(values);
    await bus.stop();
    expect(handled).toHaveLength(1000);
  });

  it('should read a journal whose last line was torn by a crash, skipping that line only', async () => {
    const dir = journalDir();
    const journal = new Journal(dir);
    journal.append([{ topic: 't', key: 'k', value: 'é'.repeat(700_000) }, { topic: 't', key: 'k', value: 'second' }]);
    writeFileSync(join(dir, 'journal.jsonl'), '{"topic":"t","key":"k","val', { flag: 'a' });
    const seen: string[] = [];
    journal.forEach((r) => void seen.push(r.value.slice(0, 6)));
    expect(seen).toEqual(['éééééé', 'second']);
  });

  it('should refuse a journal another live process holds (a running npm start), and take over one whose owner died', async () => {
    const dir = journalDir();
    writeFileSync(join(dir, Journal.LOCK_FILE), `${process.ppid}\n`);
    expect(() => new InProcessBus({ journalDir: dir })).toThrow(JournalInUseError);
    expect(() => new InProcessBus({ journalDir: dir })).toThrow(`in use by process ${process.ppid}`);

    writeFileSync(join(dir, Journal.LOCK_FILE), `${deadPid()}\n`);
    const bus = new InProcessBus({ journalDir: dir });
    expect(new Journal(dir).holder()).toBeUndefined(); // held by this very process
    await bus.stop();
  });

  it('should list dead letters while the journal is held, but replay them only once its owner stopped', async () => {
    const dir = journalDir();
    const bus = new InProcessBus({ journalDir: dir, retry: { maxAttempts: 1 } });
    bus.subscribe('router', 't', async () => {
      throw new Error('boom');
    });
    await bus.start();
    await bus.publish({ topic: 't', key: 'k', value: 'v' });
    const dlq = new DeadLetters(new JournalDeadLetterSource(dir));
    await waitFor(async () => (await dlq.list('t')).length === 1, { what: 'the dead letter' });
    await bus.stop();

    writeFileSync(join(dir, Journal.LOCK_FILE), `${process.ppid}\n`); // as if `npm start` ran in another process
    expect(await dlq.list('t')).toHaveLength(1);
    await expect(dlq.replay('t')).rejects.toThrow(JournalInUseError);

    writeFileSync(join(dir, Journal.LOCK_FILE), `${deadPid()}\n`);
    expect(await dlq.replay('t')).toHaveLength(1);
  });
});
