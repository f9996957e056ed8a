import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { createTestDatabase } from '../support/database';
import { findFreeBasePort, KafkaCluster, removeKafkaDir, startKafka } from '../support/kafka-broker';
import { RunningSystem, startServices } from '../support/system';
import { waitFor } from '../support/wait-for';

/**
 * "Nothing accepted is ever lost": kill the only Kafka broker while complaints are being
 * POSTed. web-intake must answer 503 (never 202) for what it could not store; after the
 * broker comes back, every complaint that got a 202 is registered exactly once.
 * Runs on its own broker so the shared test broker is untouched.
 */
describe('web-intake when the Kafka broker dies', () => {
  let kafka: KafkaCluster;
  let system: RunningSystem;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const dir = `.kafka/outage-${process.pid}`;

  beforeAll(async () => {
    const port = await findFreeBasePort(1, 29092);
    kafka = await startKafka({ nodes: 1, dir, port });
    db = await createTestDatabase();
    system = await startServices({ KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: db.url, BUS_PUBLISH_TIMEOUT_MS: '4000', DATA_DIR: `${dir}/data` });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await kafka?.stop();
    removeKafkaDir(dir);
    await db?.drop();
  });

  it('should answer 503 while the broker is down and register every 202 exactly once afterwards', async () => {
    const accepted: string[] = [];
    const outcomes: number[] = [];
    const post = async (phase: string, i: number) => {
      const res = await request(system.baseUrl)
        .post('/api/v1/complaints')
        .set('Idempotency-Key', randomUUID())
        .send({ text: `Laporan uji ${phase} nomor ${i}: jalan berlubang di depan pasar`, regionCode: '32.73' });
      outcomes.push(res.status);
      expect([202, 503]).toContain(res.status);
      if (res.status === 202) accepted.push(res.body.trackingId);
      return res.status;
    };

    for (let i = 0; i < 10; i++) expect(await post('before', i)).toBe(202);

    // POSTs keep arriving while the broker dies.
    const during = Promise.all([0, 1, 2, 3, 4, 5].map((i) => post('during', i)));
    await kafka.kill(1);
    await during;
    const down: number[] = [];
    for (let i = 0; i < 4; i++) down.push(await post('down', i));
    expect(down).toEqual([503, 503, 503, 503]);

    await kafka.restart(1);
    // The producer reconnects by itself; posts succeed again without restarting the service.
    await waitFor(async () => (await post('after', 0)) === 202, { what: 'web-intake to accept again', timeoutMs: 90_000, intervalMs: 1000 });
    for (let i = 1; i < 5; i++) expect(await post('after', i)).toBe(202);

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      await waitFor(
        async () => {
          const { rows } = await pg.query('SELECT count(*)::int AS n FROM complaints WHERE tracking_id = ANY($1)', [accepted]);
          return rows[0].n === accepted.length;
        },
        { what: `all ${accepted.length} accepted complaints to be registered`, timeoutMs: 120_000, intervalMs: 500 },
      );
      const { rows: perMessage } = await pg.query(
        'SELECT tracking_id, count(*)::int AS n FROM complaint_messages WHERE tracking_id = ANY($1) GROUP BY tracking_id',
        [accepted],
      );
      expect(perMessage).toHaveLength(accepted.length);
      expect(perMessage.every((r) => r.n === 1)).toBe(true);
    } finally {
      await pg.end();
    }
    expect(outcomes.filter((s) => s === 503).length).toBeGreaterThanOrEqual(4);
  }, 300_000);
});
