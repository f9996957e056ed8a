/**
 * How fast a complaint gets from the citizen's POST to a registered, routed record:
 * web-intake throughput and latency (202 only after the bus stored it) and the router's
 * intake→registered delay, on real Kafka + PostgreSQL (separate services, as deployed)
 * and in embedded mode (in-process bus + PGlite).
 *
 *   npm run bench:intake [-- --requests 2000 --concurrency 32]
 *
 * Starts its own Kafka broker unless KAFKA_BROKERS is set; uses the PostgreSQL at
 * DATABASE_URL (a throwaway database). Bounded: a fixed number of requests, loopback only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../test/support/database';
import { findFreeBasePort, startKafka } from '../test/support/kafka-broker';
import { RunningSystem, startEmbedded, startServices } from '../test/support/system';

const TEXTS = [
  'Jalan berlubang besar di Kecamatan Coblong, Kota Bandung, sudah dua bulan',
  'Sampah menumpuk di pasar Kelurahan Ketintang, Surabaya, tidak diangkut',
  'Pelayanan KTP di Disdukcapil Kabupaten Malang sangat lambat',
  'Perpanjangan paspor di kantor imigrasi ditolak tanpa alasan jelas',
  'Lampu penerangan jalan mati di depan SMPN 2 Kota Bogor',
  'Tolong, ada pungli saat mengurus SIM di Polres',
];

interface Result {
  mode: string;
  requests: number;
  seconds: number;
  latencies: number[];
  failures: number;
  delays: number[];
  drainSeconds: number;
}

async function run(mode: string, system: RunningSystem, dataSource: () => DataSource, requests: number, concurrency: number): Promise<Result> {
  const post = async (i: number) => {
    const t0 = performance.now();
    const res = await fetch(`${system.baseUrl}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ text: `${TEXTS[i % TEXTS.length]} (#${i})` }),
    });
    await res.arrayBuffer();
    return { ok: res.status === 202, ms: performance.now() - t0 };
  };
  for (let i = 0; i < 50; i++) await post(-1 - i); // warm-up: connections, JIT, topic metadata
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < requests; i = next++) {
        const r = await post(i);
        if (r.ok) latencies.push(r.ms);
        else failures++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  // Until the router has registered everything that got a 202.
  const expected = latencies.length + 50;
  const drainStart = performance.now();
  for (;;) {
    const [{ n }] = await dataSource().query(`SELECT count(*)::int AS n FROM complaints`);
    if (n >= expected) break;
    if (performance.now() - drainStart > 300_000) throw new Error(`router registered ${n} of ${expected} after 300 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const drainSeconds = (performance.now() - drainStart) / 1000;
  const rows: { ms: number }[] = await dataSource().query(`SELECT extract(epoch FROM (registered_at - received_at)) * 1000 AS ms FROM complaints`);
  return { mode, requests, seconds, latencies, failures, delays: rows.map((r) => Number(r.ms)), drainSeconds };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

function report(r: Result): Record<string, number> {
  const figures = {
    accepted_per_s: r.latencies.length / r.seconds,
    post_p50_ms: pct(r.latencies, 50),
    post_p95_ms: pct(r.latencies, 95),
    post_p99_ms: pct(r.latencies, 99),
    intake_to_registered_p50_ms: pct(r.delays, 50),
    intake_to_registered_p95_ms: pct(r.delays, 95),
    drain_after_last_post_s: r.drainSeconds,
    failures: r.failures,
  };
  console.log(`\n# ${r.mode}: ${r.requests} POSTs`);
  for (const [k, v] of Object.entries(figures)) console.log(`${k}: ${Number.isInteger(v) ? v : v.toFixed(1)}`);
  return figures;
}

async function main() {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '32' } } });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const env = { LOG_LEVEL: 'error', NOTIFY_POLL_MS: '1000' };
  console.log(`requests: ${requests}, concurrency: ${concurrency}, machine: ${require('node:os').cpus().length} cores`);

  const embedded = await startEmbedded({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-bench-')) });
  const e = report(await run('embedded (in-process bus + PGlite, one process)', embedded, () => embedded.apps.embedded.get(DataSource), requests, concurrency));
  await embedded.stop();

  let kafka: Awaited<ReturnType<typeof startKafka>> | undefined;
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    kafka = await startKafka({ nodes: 1, dir: `.kafka/bench-${process.pid}`, port: await findFreeBasePort(1, 39092) });
    brokers = kafka.brokers.join(',');
  }
  const db = await createTestDatabase('lapor_bench');
  try {
    const services = await startServices({ ...env, KAFKA_BROKERS: brokers, DATABASE_URL: db.url, BUS_NAMESPACE: `bench-${randomUUID().slice(0, 8)}`, DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-bench-')) });
    const k = report(await run('services on Kafka + PostgreSQL (router, notifier, web-intake)', services, () => services.apps.router.get(DataSource), requests, concurrency));
    await services.stop();
    console.log('\n# ratio Kafka+PostgreSQL / embedded');
    for (const key of ['accepted_per_s', 'post_p50_ms', 'post_p95_ms', 'intake_to_registered_p50_ms']) console.log(`${key}: ${(k[key] / e[key]).toFixed(2)}`);
  } finally {
    await db.drop();
    await kafka?.stop();
  }
  process.exit(0);
}

void main();
