import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { ConsumerGroups, Topics } from '@lapor/contracts';
import { createTestDatabase } from '../support/database';
import { ImageRoot, prepareImageRoot } from '../support/image';
import { renderOverlay } from '../support/kustomize';
import { ManifestProcess, restartProcess, startDeployments, stopProcesses } from '../support/manifest-processes';
import { waitFor } from '../support/wait-for';

/**
 * Graceful shutdown under load, on the dev overlay's processes (real Kafka, PostgreSQL): while
 * complaints are being POSTed, web-intake, the router and the notifier get SIGTERM at once. Each
 * must drain and exit 0 within SHUTDOWN_TIMEOUT_MS: every request web-intake had received is
 * answered, the router commits exactly the records it handled, the notifier finishes its sends.
 * After a restart, and the clients' retries of what was refused, every complaint is registered
 * once and every notification sent once.
 */
const TOTAL = 120;
const CONCURRENCY = 6;
const SIGTERM_AFTER = 30;

interface Outcome {
  status?: number;
  trackingId?: string;
  /** No answer: the connection was refused, or reset before the server read the request. */
  error?: string;
}

/** One POST on its own connection (as from many clients). */
function post(baseUrl: string, key: string, index: number): Promise<Outcome> {
  const body = JSON.stringify({ text: `Lampu jalan mati di gang ${index} Kelurahan Braga, mohon diperbaiki segera`, regionCode: '32.73', reporter: { email: `warga${index}@example.com` } });
  return new Promise((resolve) => {
    const req = request(`${baseUrl}/api/v1/complaints`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode, trackingId: res.statusCode === 202 ? (JSON.parse(text) as { trackingId: string }).trackingId : undefined }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

describe('SIGTERM under load (dev overlay processes)', () => {
  let image: ImageRoot;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let processes: ManifestProcess[] = [];
  const namespace = `sigterm-${randomUUID().slice(0, 8)}`;
  const byApp = (app: string) => processes.find((p) => p.app === app)!;

  beforeAll(async () => {
    [image, db] = await Promise.all([prepareImageRoot(), createTestDatabase('lapor_sigterm')]);
    processes = await startDeployments(
      renderOverlay('dev').objects,
      image,
      { kafkaBrokers: process.env.KAFKA_BROKERS!, databaseUrl: db.url, secrets: { 'lapor-db-app': { password: 'unused-with-trust-auth' } }, extraEnv: { BUS_NAMESPACE: namespace } },
      ['web-intake', 'router', 'notifier'],
    );
  }, 300_000);

  afterAll(async () => {
    await stopProcesses(processes);
    await db?.drop();
    if (image) rmSync(image.dir, { recursive: true, force: true });
  }, 120_000);

  it('should drain, lose nothing and do nothing twice', async () => {
    const keys = Array.from({ length: TOTAL }, () => randomUUID());
    const outcomes = new Map<number, Outcome>();
    const web = byApp('web-intake');
    const draining = processes.map((p) => ({ p, exit: p.exited.then((code) => ({ code, at: Date.now() })) }));
    let signalledAt = 0;
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        outcomes.set(i, await post(web.url, keys[i], i));
        if (!signalledAt && [...outcomes.values()].filter((o) => o.status === 202).length >= SIGTERM_AFTER) {
          signalledAt = Date.now();
          for (const p of processes) p.child.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const exits = await Promise.all(draining.map(async ({ p, exit }) => ({ app: p.app, ...(await exit) })));

    // Drained, in time: exit code 0 is only reached when everything closed (the deadline exits 1).
    expect(signalledAt).toBeGreaterThan(0);
    for (const e of exits) expect([e.app, e.code]).toEqual([e.app, 0]);
    expect(Math.max(...exits.map((e) => e.at - signalledAt))).toBeLessThan(Number(web.env.SHUTDOWN_TIMEOUT_MS));
    expect([...outcomes.values()].every((o) => o.status === 202 || o.error)).toBe(true);
    const acceptedBeforeStop = [...outcomes.values()].filter((o) => o.status === 202).length;
    expect(acceptedBeforeStop).toBeGreaterThanOrEqual(SIGTERM_AFTER);

    // The router committed exactly what it had handled: each inbound record made one complaint.
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const kafka = new Kafka({ clientId: 'sigterm-test', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const inbound = `${namespace}.${Topics.complaintInbound}`;
    // Every request web-intake took in was answered: as many complaints on the bus as 202s (a
    // request it published but never answered would be one more; the refused or reset ones never got in).
    const published = (await admin.fetchTopicOffsets(inbound)).reduce((n, p) => n + Number(p.high), 0);
    expect(published).toBe(acceptedBeforeStop);
    const [offsets] = await admin.fetchOffsets({ groupId: `${namespace}.${ConsumerGroups.router}`, topics: [inbound] });
    const committed = offsets.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    const handled = Number((await pg.query('SELECT count(*) FROM complaints')).rows[0].count);
    await admin.disconnect();
    expect(committed).toBe(handled);
    const drained = exits.map((e) => `${e.app} ${e.at - signalledAt} ms`).join(', ');
    const refused = [...outcomes.values()].filter((o) => o.error).length;
    process.stdout.write(`\nsigterm: ${acceptedBeforeStop} accepted before the stop, ${refused} refused or reset, ${handled} handled and committed by the router; drained in ${drained}\n`);

    // Restart everything, as Kubernetes would, and let the clients retry what was refused.
    processes = await Promise.all(processes.map((p) => restartProcess(p)));
    const restartedWeb = byApp('web-intake');
    for (const [i, o] of outcomes) {
      if (o.status === 202) continue;
      const again = await post(restartedWeb.url, keys[i], i);
      expect([i, again.status]).toEqual([i, 202]);
      outcomes.set(i, again);
    }
    const trackingIds = new Set([...outcomes.values()].map((o) => o.trackingId!));
    expect(trackingIds.size).toBe(TOTAL);

    // Nothing lost: every complaint registered once, every notification sent.
    await waitFor(async () => Number((await pg.query('SELECT count(*) FROM complaints')).rows[0].count) === TOTAL, { timeoutMs: 120_000, what: 'every complaint to be registered' });
    const registered = (await pg.query('SELECT tracking_id FROM complaints')).rows.map((r: { tracking_id: string }) => r.tracking_id);
    expect(new Set(registered)).toEqual(trackingIds);
    const sent = await waitFor(
      async () => {
        const rows = (await pg.query(`SELECT dedupe_key, state FROM notifications WHERE channel = 'email'`)).rows as { dedupe_key: string; state: string }[];
        const perComplaint = new Set(rows.map((r) => r.dedupe_key.split(':')[1]));
        return rows.length && rows.every((r) => r.state === 'sent') && [...trackingIds].every((t) => perComplaint.has(t)) ? rows : undefined;
      },
      { timeoutMs: 120_000, what: 'every e-mail to be sent' },
    );
    await pg.end();

    // Nothing twice: each notification is in the outbox exactly once, across both notifier runs.
    const outbox = join(byApp('notifier').env.OUTBOX_DIR, 'email');
    const written = readdirSync(outbox).map((f) => readFileSync(join(outbox, f), 'utf8').match(/^X-Lapor-Notification: (.+)$/m)?.[1].trim());
    const counts = new Map<string, number>();
    for (const key of written) counts.set(key!, (counts.get(key!) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(new Set(counts.keys())).toEqual(new Set(sent.map((r) => r.dedupe_key)));
  }, 600_000);
});
