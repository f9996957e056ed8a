import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BusRecord } from './event-bus';

/** Locks taken by this process, per journal folder (a count, so instances in one process may share one). */
const heldHere = new Map<string, number>();

/** The journal folder is used by another live process (a running `npm start`). */
export class JournalInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the bus journal in ${dir} is in use by process ${pid} (a running npm start?): stop it first. ` +
        `If that process is not lapor-gateway, remove ${join(dir, Journal.LOCK_FILE)}.`,
    );
    this.name = 'JournalInUseError';
  }
}

/**
 * The embedded bus's storage in one folder: `journal.jsonl` (every acknowledged record,
 * appended and fsync'ed), `offsets.json` (each group's position per topic) and a lock file
 * naming the process that owns the folder. The running bus reads the journal only when it
 * starts, so exactly one process may write it: a second `npm start` on the same DATA_DIR,
 * or a dead-letter replay while `npm start` runs, is refused rather than silently lost.
 */
export class Journal {
  static readonly LOCK_FILE = 'owner.pid';

  constructor(readonly dir: string) {}

  private get lockFile(): string {
    return join(this.dir, Journal.LOCK_FILE);
  }

  /** The pid of a live process other than this one holding the folder, if any. */
  holder(): number | undefined {
    let pid: number;
    try {
      pid = Number(readFileSync(this.lockFile, 'utf8').trim());
    } catch {
      return undefined;
    }
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid) ? pid : undefined;
  }

  /** Takes the folder for this process; throws JournalInUseError if another live process has it. A dead owner's lock is taken over. */
  lock(): void {
    mkdirSync(this.dir, { recursive: true });
    const held = heldHere.get(this.dir) ?? 0;
    if (held === 0) {
      const other = this.holder();
      if (other !== undefined) throw new JournalInUseError(this.dir, other);
      writeFileSync(this.lockFile, `${process.pid}\n`);
    }
    heldHere.set(this.dir, held + 1);
  }

  unlock(): void {
    const held = heldHere.get(this.dir) ?? 0;
    if (held > 1) return void heldHere.set(this.dir, held - 1);
    heldHere.delete(this.dir);
    if (held === 1) rmSync(this.lockFile, { force: true });
  }

  /** Every record in the order it was acknowledged. A torn last line (a crash mid-append) was never acknowledged: skipped. */
  records(): BusRecord[] {
    const file = join(this.dir, 'journal.jsonl');
    if (!existsSync(file)) return [];
    const records: BusRecord[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as BusRecord);
      } catch {
        // torn line, see above
      }
    }
    return records;
  }

  /**
   * Every record in the order it was acknowledged, read in chunks: a journal of months of
   * complaints never has to fit in memory as one string. A torn last line is skipped, as above.
   */
  forEach(fn: (record: BusRecord) => void): void {
    const file = join(this.dir, 'journal.jsonl');
    if (!existsSync(file)) return;
    const fd = openSync(file, 'r');
    const chunk = Buffer.alloc(1 << 20);
    let rest = Buffer.alloc(0);
    const line = (bytes: Buffer) => {
      if (!bytes.length) return;
      try {
        fn(JSON.parse(bytes.toString('utf8')) as BusRecord);
      } catch {
        // torn line
      }
    };
    try {
      for (let read; (read = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) {
        let data = Buffer.concat([rest, chunk.subarray(0, read)]);
        for (let nl; (nl = data.indexOf(10)) >= 0; data = data.subarray(nl + 1)) line(data.subarray(0, nl));
        rest = Buffer.from(data);
      }
      line(rest);
    } finally {
      closeSync(fd);
    }
  }

  /** Appends and fsyncs: once this returns, the records survive a crash. */
  append(batch: BusRecord[]): void {
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(join(this.dir, 'journal.jsonl'), 'a');
    try {
      appendFileSync(fd, batch.map((r) => JSON.stringify(r)).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  offsets(): Record<string, number> {
    const file = join(this.dir, 'offsets.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : {};
  }

  saveOffsets(offsets: Record<string, number>): void {
    const tmp = join(this.dir, 'offsets.json.tmp');
    writeFileSync(tmp, JSON.stringify(offsets));
    renameSync(tmp, join(this.dir, 'offsets.json'));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
