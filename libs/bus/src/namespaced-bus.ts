import { BusRecord, EventBus, RecordHandler, SubscribeOptions } from './event-bus';

/**
 * Prefixes every topic and consumer group, so several environments (staging and
 * training on one cluster, or parallel test runs on one broker) never see each other.
 * Handlers see the canonical topic names.
 */
export class NamespacedBus implements EventBus {
  constructor(
    private readonly inner: EventBus,
    private readonly namespace: string,
  ) {}

  private name(topic: string): string {
    return `${this.namespace}.${topic}`;
  }

  publish(records: BusRecord | BusRecord[]): Promise<void> {
    const batch = Array.isArray(records) ? records : [records];
    return this.inner.publish(batch.map((r) => ({ ...r, topic: this.name(r.topic) })));
  }

  subscribe(group: string, topic: string, handler: RecordHandler, options: SubscribeOptions = {}): void {
    const batch = options.batch;
    this.inner.subscribe(this.name(group), this.name(topic), (record) => handler({ ...record, topic }), {
      ...options,
      batch: batch && ((records) => batch(records.map((r) => ({ ...r, topic })))),
    });
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  isHealthy(): Promise<boolean> {
    return this.inner.isHealthy();
  }
}
