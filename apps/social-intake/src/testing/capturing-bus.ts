import { BusRecord, BusUnavailableError, EventBus } from '@lapor/bus';

/** A bus for intake tests: keeps what was published, or refuses it like a bus that is down. */
export class CapturingBus implements EventBus {
  readonly records: BusRecord[] = [];
  down = false;
  /** Publishes refused while down: a test waits for one instead of sleeping. */
  refused = 0;

  async publish(records: BusRecord | BusRecord[]): Promise<void> {
    if (this.down) {
      this.refused++;
      throw new BusUnavailableError('bus down (test)');
    }
    this.records.push(...(Array.isArray(records) ? records : [records]));
  }
  subscribe(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async isHealthy(): Promise<boolean> {
    return !this.down;
  }

  /** Published events of one type (envelopes). */
  events<T = any>(type: string): Array<{ type: string; correlationId: string; payload: T }> {
    return this.records.map((r) => JSON.parse(r.value)).filter((e) => e.type === type);
  }

  clear(): void {
    this.records.length = 0;
  }
}
