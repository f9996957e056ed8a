import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { FakeTwilio } from '../../test/support/fake-twilio';

/** Everything the orchestrator sees on the status-changed topic: when each complaint was first routed. */
export class StatusWatcher {
  readonly routedAt = new Map<string, number>();
  private consumer?: ReturnType<Kafka['consumer']>;

  async start(brokers: string, topic: string): Promise<void> {
    const kafka = new Kafka({ clientId: 'bench-watcher', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: `bench-watcher-${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const m of batch.messages) {
          const p = JSON.parse(m.value!.toString()).payload as { trackingId: string; status: string };
          if (p.status !== 'received' && !this.routedAt.has(p.trackingId)) this.routedAt.set(p.trackingId, now);
        }
      },
    });
  }

  stop(): Promise<void> {
    return this.consumer?.disconnect() ?? Promise.resolve();
  }
}

/** Recipients whose SMS reached Twilio in another order than their queue order in the notifier's table. */
export async function orderViolations(databaseUrl: string, twilio: FakeTwilio): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows: queued } = await db.query<{ address: string; tracking_id: string }>(
      `SELECT address, tracking_id FROM notifications WHERE channel = 'sms' ORDER BY queue_position`,
    );
    const expected = new Map<string, string[]>();
    for (const r of queued) expected.set(r.address, [...(expected.get(r.address) ?? []), r.tracking_id]);
    const got = new Map<string, string[]>();
    for (const m of [...twilio.messages].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const id = /([2-9A-HJKMNP-Z]{11})/.exec(m.params.Body ?? '')?.[1];
      if (id) got.set(m.params.To, [...(got.get(m.params.To) ?? []), id]);
    }
    let violations = 0;
    for (const [to, ids] of got) {
      const order = expected.get(to) ?? [];
      if (ids.join() !== order.slice(0, ids.length).join()) violations++;
    }
    return violations;
  } finally {
    await db.end();
  }
}
