import type { BusRecord } from './event-bus';

export interface ProduceBatcherOptions {
  /**
   * How long the first record of a batch waits for company before the batch is sent (ms).
   * 0: no wait, only natural batching (what arrives while a send is in flight goes in the next).
   */
  lingerMs: number;
  /** A batch is sent at once when it holds this many records… */
  maxRecords: number;
  /** …or this many bytes of keys and values (well under the broker's 1 MiB message.max.bytes). */
  maxBytes: number;
  /** Produce requests in flight at once (the idempotent producer's one request per connection). */
  maxInFlight: number;
}

export const DEFAULT_PRODUCE_BATCHING: ProduceBatcherOptions = { lingerMs: 1, maxRecords: 500, maxBytes: 512 * 1024, maxInFlight: 1 };

interface Waiter {
  records: BusRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
  /** Handed to `send`: from then on its outcome is the batch's. */
  sent?: boolean;
  /** Its caller gave up (timed out) before it was sent: it is left out, so a 503 never hides a stored record. */
  withdrawn?: boolean;
}

/**
 * Lets concurrent publishes share one produce request. Each publish() waits until the batch
 * holding its records was acknowledged (acks=all, by `send`), so "resolved" still means
 * "durably stored": the guarantee is the same as one send per publish, only the requests are
 * fewer. A batch that fails fails every publish in it (each caller answers 503, nothing is
 * acknowledged that was not stored). One caller's records are never split across batches,
 * and records are sent in the order they were handed in.
 *
 * A batch goes out when it is full, when its first record has waited `lingerMs`, or, when
 * `maxInFlight` requests are already out, as soon as one of them returns: under load, batches
 * grow by themselves to what arrives during one round trip to the broker.
 */
export class ProduceBatcher {
  private open: Waiter[] = [];
  private openRecords = 0;
  private openBytes = 0;
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  /** Closed batches waiting for a free request slot, oldest first. */
  private readonly ready: Waiter[][] = [];

  constructor(
    private readonly send: (records: BusRecord[]) => Promise<void>,
    private readonly options: ProduceBatcherOptions = DEFAULT_PRODUCE_BATCHING,
  ) {}

  /**
   * Resolves once `records` were stored by a send; rejects with that send's error. Calling
   * `withdraw` before the records were handed to a send takes them out (the promise rejects
   * with the reason given); after that, the send decides.
   */
  add(records: BusRecord[]): Promise<void> & { withdraw(reason: unknown): void } {
    let waiter: Waiter | undefined;
    const promise = new Promise<void>((resolve, reject) => {
      if (!records.length) return resolve();
      const bytes = records.reduce((n, r) => n + r.key.length + r.value.length, 0);
      if (this.open.length && (this.openRecords + records.length > this.options.maxRecords || this.openBytes + bytes > this.options.maxBytes)) this.close();
      waiter = { records, resolve, reject };
      this.open.push(waiter);
      this.openRecords += records.length;
      this.openBytes += bytes;
      if (this.openRecords >= this.options.maxRecords || this.openBytes >= this.options.maxBytes || this.options.lingerMs <= 0) this.close();
      else this.timer ??= setTimeout(() => this.close(), this.options.lingerMs);
    });
    return Object.assign(promise, {
      withdraw: (reason: unknown) => {
        if (!waiter || waiter.sent || waiter.withdrawn) return;
        waiter.withdrawn = true;
        waiter.reject(reason);
      },
    });
  }

  /** Publishes not yet acknowledged (queued or in flight). */
  get pending(): number {
    return this.open.length + this.ready.reduce((n, b) => n + b.length, 0) + this.inFlight;
  }

  /** Ends the open batch and sends it when a request slot is free. */
  private close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.open.length) return;
    this.ready.push(this.open);
    this.open = [];
    this.openRecords = 0;
    this.openBytes = 0;
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.ready.length) {
      // Batches that queued behind a busy slot go out together (still within the size bounds).
      let batch = this.ready.shift()!;
      while (this.ready.length && this.fits(batch, this.ready[0])) batch = batch.concat(this.ready.shift()!);
      batch = batch.filter((w) => !w.withdrawn);
      if (!batch.length) continue;
      for (const w of batch) w.sent = true;
      this.inFlight++;
      let sending: Promise<void>;
      try {
        sending = this.send(batch.flatMap((w) => w.records));
      } catch (error) {
        sending = Promise.reject(error);
      }
      sending.then(
        () => this.settle(batch, undefined),
        (error: unknown) => this.settle(batch, error ?? new Error('produce failed')),
      );
    }
  }

  private settle(batch: Waiter[], error: unknown): void {
    this.inFlight--;
    for (const w of batch) {
      if (error) w.reject(error);
      else w.resolve();
    }
    // While the request was out, more may have arrived: send it now rather than after a linger.
    if (this.open.length && this.inFlight < this.options.maxInFlight && !this.ready.length) this.close();
    else this.pump();
  }

  private fits(a: Waiter[], b: Waiter[]): boolean {
    const count = (ws: Waiter[]) => ws.reduce((n, w) => n + w.records.length, 0);
    const bytes = (ws: Waiter[]) => ws.reduce((n, w) => n + w.records.reduce((m, r) => m + r.key.length + r.value.length, 0), 0);
    return count(a) + count(b) <= this.options.maxRecords && bytes(a) + bytes(b) <= this.options.maxBytes;
  }
}
