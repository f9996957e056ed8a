import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BusRecord, ConsumedRecord, EventBus, RecordHandler, redeliveryDelayMs, sleep } from './event-bus';

interface Subscription {
  group: string;
  topic: string;
  handler: RecordHandler;
  offset: number;
  running: boolean;
  attempt: number;
}

export interface InProcessBusOptions {
  /**
   * A folder for the journal. With it, every record is appended and fsync'ed before
   * publish() resolves, and group offsets are saved, so a restart of the single process
   * loses nothing that was acknowledged. Without it the bus is memory-only (tests).
   */
  journalDir?: string;
  onHandlerError?: (error: unknown, record: ConsumedRecord, group: string) => void;
}

/** The single-process bus for embedded mode (`npm start`): one log per topic, one cursor per group. */
export class InProcessBus implements EventBus {
  private readonly logs = new Map<string, BusRecord[]>();
  private readonly subscriptions: Subscription[] = [];
  private readonly savedOffsets: Record<string, number> = {};
  private started = false;
  private stopping = false;

  constructor(private readonly options: InProcessBusOptions = {}) {
    if (options.journalDir) this.replayJournal(options.journalDir);
  }

  async publish(records: BusRecord | BusRecord[]): Promise<void> {
    const batch = Array.isArray(records) ? records : [records];
    if (this.options.journalDir) this.appendJournal(this.options.journalDir, batch);
    for (const record of batch) this.log(record.topic).push({ ...record });
    const topics = new Set(batch.map((r) => r.topic));
    if (this.started) for (const s of this.subscriptions) if (topics.has(s.topic)) void this.drain(s);
  }

  subscribe(group: string, topic: string, handler: RecordHandler): void {
    const offset = this.savedOffsets[`${group}\u0000${topic}`] ?? 0;
    this.subscriptions.push({ group, topic, handler, offset, running: false, attempt: 0 });
  }

  async start(): Promise<void> {
    this.started = true;
    this.stopping = false;
    for (const s of this.subscriptions) void this.drain(s);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.started = false;
    while (this.subscriptions.some((s) => s.running)) await sleep(10);
  }

  async isHealthy(): Promise<boolean> {
    return true;
  }

  private log(topic: string): BusRecord[] {
    let log = this.logs.get(topic);
    if (!log) this.logs.set(topic, (log = []));
    return log;
  }

  /** Hands records to one subscription in order; a failing record is retried until it succeeds. */
  private async drain(s: Subscription): Promise<void> {
    if (s.running) return;
    s.running = true;
    try {
      const log = this.log(s.topic);
      while (!this.stopping && s.offset < log.length) {
        const record: ConsumedRecord = { ...log[s.offset], partition: 0, offset: String(s.offset) };
        try {
          await s.handler(record);
          s.offset++;
          s.attempt = 0;
          this.saveOffset(s);
        } catch (error) {
          this.options.onHandlerError?.(error, record, s.group);
          await sleep(redeliveryDelayMs(s.attempt++));
        }
      }
    } finally {
      s.running = false;
    }
    // A publish may have landed while we were finishing.
    if (!this.stopping && this.started && s.offset < this.log(s.topic).length) void this.drain(s);
  }

  private appendJournal(dir: string, batch: BusRecord[]): void {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, 'journal.jsonl'), 'a');
    try {
      appendFileSync(fd, batch.map((r) => JSON.stringify(r)).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private saveOffset(s: Subscription): void {
    const dir = this.options.journalDir;
    if (!dir) return;
    this.savedOffsets[`${s.group}\u0000${s.topic}`] = s.offset;
    const tmp = join(dir, 'offsets.json.tmp');
    writeFileSync(tmp, JSON.stringify(this.savedOffsets));
    renameSync(tmp, join(dir, 'offsets.json'));
  }

  private replayJournal(dir: string): void {
    const journal = join(dir, 'journal.jsonl');
    if (existsSync(journal)) {
      for (const line of readFileSync(journal, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const record = JSON.parse(line) as BusRecord;
          this.log(record.topic).push(record);
        } catch {
          // A torn last line from a crash mid-append was never acknowledged: skip it.
        }
      }
    }
    const offsets = join(dir, 'offsets.json');
    if (existsSync(offsets)) Object.assign(this.savedOffsets, JSON.parse(readFileSync(offsets, 'utf8')));
  }
}
