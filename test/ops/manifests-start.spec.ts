import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@lapor/contracts';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '../support/database';
import { ImageRoot, prepareImageRoot } from '../support/image';
import { renderOverlay } from '../support/kustomize';
import { ManifestProcess, startDeployments, stopProcesses } from '../support/manifest-processes';
import { Exposition, scrape, total } from '../support/prometheus';
import { waitFor } from '../support/wait-for';

/**
 * The manifests start the system: the dev overlay is rendered, and each Deployment's command, args
 * and environment (ConfigMap, secrets, $(VAR), volume paths) start a process here, from a folder laid
 * out like the image (production dependencies only, the built bundles, the routing data), against
 * the test Kafka and PostgreSQL (service names mapped to loopback). A complaint then flows from
 * web-intake through the router to the notifier's outbox.
 */
describe('k8s/overlays/dev started as processes', () => {
  let image: ImageRoot;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let processes: ManifestProcess[] = [];
  const byApp = (app: string) => processes.find((p) => p.app === app)!;
  const scrapeAll = async () => new Map(await Promise.all(processes.map(async (p) => [p.app, await scrape(p.url)] as [string, Exposition])));
  let before: Map<string, Exposition>;
  const namespace = `manifests-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    [image, db] = await Promise.all([prepareImageRoot(), createTestDatabase('lapor_manifests')]);
    processes = await startDeployments(renderOverlay('dev').objects, image, {
      kafkaBrokers: process.env.KAFKA_BROKERS!,
      databaseUrl: db.url,
      secrets: { 'lapor-db-app': { password: 'unused-with-trust-auth' }, 'lapor-twilio': { 'auth-token': 'manifest-test-token' } },
      extraEnv: { BUS_NAMESPACE: namespace },
    });
  }, 300_000);

  afterAll(async () => {
    await stopProcesses(processes);
    await db?.drop();
    if (image) rmSync(image.dir, { recursive: true, force: true });
  }, 120_000);

  it('should start every Deployment and have each answer its readiness probe', async () => {
    expect(processes.map((p) => p.app).sort()).toEqual(['desk', 'notifier', 'router', 'sms-intake', 'social-intake', 'web-intake']);
    for (const p of processes) expect([p.app, (await fetch(`${p.url}/health/ready`)).status]).toEqual([p.app, 200]);
  });

  it('should carry a complaint from web-intake to the notifier outbox', async () => {
    before = await scrapeAll();
    const web = byApp('web-intake');
    const post = await fetch(`${web.url}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ text: 'Jalan berlubang besar di depan Pasar Kosambi, sudah dua bulan belum diperbaiki', regionCode: '32.73', reporter: { email: 'warga@example.com' } }),
    });
    expect(post.status).toBe(202);
    const { trackingId } = (await post.json()) as { trackingId: string };

    // web-intake reads it back from the router (ROUTER_URL → the router's Service).
    const view = await waitFor(
      async () => {
        const res = await fetch(`${web.url}/api/v1/complaints/${trackingId}`);
        const body = res.ok ? ((await res.json()) as { status: string; assignment: { code: string } }) : undefined;
        return body?.status === 'assigned' ? body : undefined;
      },
      { timeoutMs: 60_000, what: 'the complaint to be assigned' },
    );
    expect(view.assignment.code).toBe('32.73');

    // No SMTP in the dev overlay: the notifier writes e-mail to OUTBOX_DIR (its emptyDir).
    const notifier = byApp('notifier');
    const outbox = join(notifier.env.OUTBOX_DIR, 'email');
    const mail = await waitFor(
      () => (existsSync(outbox) ? readdirSync(outbox).map((f) => readFileSync(join(outbox, f), 'utf8')).find((m) => m.includes(trackingId)) : undefined),
      { timeoutMs: 60_000, what: "the complainant's e-mail in the notifier outbox" },
    );
    expect(mail).toContain('warga@example.com');
    expect(notifier.env.OUTBOX_DIR.startsWith(notifier.mounts['/var/lib/lapor'])).toBe(true);
  });

  it("should show that complaint, and a poison record, in each app's /metrics (valid Prometheus text)", async () => {
    // A record that is not an event: the router dead-letters it at once.
    const kafka = new Kafka({ clientId: 'manifests-test', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: `${namespace}.${Topics.complaintInbound}`, messages: [{ key: 'poison', value: '{not json' }] });
    await producer.disconnect();
    await waitFor(async () => total(await scrape(byApp('router').url), 'lapor_bus_dead_letters_total') > total(before.get('router')!, 'lapor_bus_dead_letters_total'), {
      what: 'the dead letter to be counted',
    });

    const after = await scrapeAll();
    const moved = (app: string, name: string, labels: Record<string, string> = {}) =>
      total(after.get(app)!, name, labels) - total(before.get(app)!, name, labels);
    expect(moved('web-intake', 'lapor_http_request_duration_seconds', { method: 'POST', route: '/api/v1/complaints', status: '202' })).toBe(1);
    expect(moved('web-intake', 'lapor_http_request_duration_seconds', { method: 'GET', route: '/api/v1/complaints/:trackingId', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(moved('router', 'lapor_http_request_duration_seconds', { route: '/internal/v1/complaints/:trackingId' })).toBeGreaterThanOrEqual(1);
    expect(moved('router', 'lapor_routing_decisions_total', { kind: 'kota', confidence_band: 'high' })).toBe(1);
    expect(moved('notifier', 'lapor_notifications_sent_total', { channel: 'email', outcome: 'sent' })).toBeGreaterThanOrEqual(1);
    expect(after.get('notifier')!.samples.find((s) => s.name === 'lapor_outbox_depth')?.labels).toEqual({ outbox: 'notifications', service: 'notifier' });
    // The bus, through the BusObserver: publishes, handled records, lag, assignment, dead letters.
    expect(moved('web-intake', 'lapor_bus_publish_duration_seconds', { outcome: 'stored' })).toBe(1);
    expect(moved('router', 'lapor_bus_publish_duration_seconds', { outcome: 'stored' })).toBeGreaterThanOrEqual(1);
    expect(moved('router', 'lapor_bus_handler_duration_seconds', { group: `${namespace}.lapor-router` })).toBeGreaterThanOrEqual(1);
    expect(moved('notifier', 'lapor_bus_handler_duration_seconds', { group: `${namespace}.lapor-notifier` })).toBeGreaterThanOrEqual(1);
    expect(moved('router', 'lapor_bus_dead_letters_total', { group: `${namespace}.lapor-router`, topic: `${namespace}.${Topics.complaintInbound}` })).toBe(1);
    expect(total(after.get('router')!, 'lapor_bus_assigned_partitions')).toBeGreaterThan(0);
    expect(after.get('router')!.samples.some((s) => s.name === 'lapor_bus_consumer_lag' && s.labels.group === `${namespace}.lapor-router`)).toBe(true);
    for (const [app, exposition] of after) {
      expect([app, exposition.types.get('process_cpu_user_seconds_total'), exposition.types.get('lapor_http_request_duration_seconds')]).toEqual([app, 'counter', 'histogram']);
    }
  });
});
