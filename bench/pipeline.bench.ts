/**
 * `npm run bench:router` and `npm run bench:notifier` (issue 12, part 2): the router's and the
 * notifier's own pace, each next to a bare baseline measured in the same invocation, on a
 * real Kafka broker and PostgreSQL, the app as its own OS process as deployed.
 *
 *   npm run bench:router [-- --backlog 10000 --cpu-prof .bench/profiles --source|--prebuilt]
 *   npm run bench:notifier [-- --backlog 10000]       # runs the router first, to fill the notifier's input
 *
 * Router: `--backlog` inbound complaints (bench/load/backlog.ts: 40 % web, 40 % web with a
 * phone, 20 % SMS) are put on the inbound topic; then
 * - bare: a kafkajs consumer (eachBatch, same partition concurrency as the router) that, per
 *   fetched batch, writes every complaint with one multi-row INSERT into a plain table and
 *   publishes three events per complaint (acks=all, idempotent), then commits: the least any
 *   router must do (consume, store, announce), without routing, validation or outbox;
 * - the router (dist/apps/router/main.js): complaints registered and routed per second, from
 *   the first to the last routed `complaint.status-changed`.
 * Notifier: after the router drained, one notifier process sends the SMS the backlog asks for
 * to the local Twilio stand-in (test/support/fake-twilio.ts); bare: the same stand-in hit by a
 * plain loop (fetch, keep-alive, the same concurrency as the notifier's dispatcher) with the
 * same number of messages. Order per recipient is checked against the notifier's queue.
 *
 * Uses KAFKA_BROKERS when set (the shared broker; topics are namespaced per run), else starts
 * its own. Prints the load average next to each figure: this machine is shared.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { KafkaBus } from '@lapor/bus';
import { ALL_TOPICS, Topics } from '@lapor/contracts';
import { createTestDatabase, TestDatabase } from '../test/support/database';
import { FakeTwilio } from '../test/support/fake-twilio';
import { findFreeBasePort, REPO_ROOT, startKafka } from '../test/support/kafka-broker';
import { inboundBacklog } from './load/backlog';
import { summariseProfiles } from './load/cpu-profile';
import { orderViolations, StatusWatcher } from './load/pipeline';
import { appCommand, AppName, Proc } from './load/processes';
import { BENCH_SECRETS } from './load/requests';

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string', default: 'router' },
    backlog: { type: 'string', default: '10000' },
    'cpu-prof': { type: 'string' },
    source: { type: 'boolean', default: false },
    prebuilt: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'log' },
    'notifier-concurrency': { type: 'string', default: '' },
    'keep-logs': { type: 'boolean', default: false },
    /** Also run the router with ROUTER_BATCH_REGISTRATION=off (one message at a time, as before issue 12's batches) on its own backlog. */
    'compare-off': { type: 'boolean', default: false },
  },
});
const PARTITIONS = 6;
const backlogSize = Number(flags.backlog);
const phases = new Set(flags.only!.split(','));
const cpuProfDir = flags['cpu-prof'];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const lines: string[] = [];
const out = (line: string) => {
  lines.push(line);
  console.error(line);
};

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

async function startApp(app: AppName, env: Record<string, string>, logDir: string): Promise<Proc> {
  const port = await freePort();
  const portVar = app === 'router' ? 'ROUTER_PORT' : 'NOTIFIER_PORT';
  const nodeFlags = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, app)}`] : [];
  const proc = new Proc(app, appCommand(app, flags.source!), { ...env, [portVar]: String(port), HOST: '127.0.0.1' }, nodeFlags, join(logDir, `${app}.log`));
  await proc.waitHealthy(`http://127.0.0.1:${port}/health/live`);
  return proc;
}

/** Rate from the first to the last timestamp. */
const perSecond = (times: number[]) => (times.length < 2 ? NaN : (times.length - 1) / ((Math.max(...times) - Math.min(...times)) / 1000));

/**
 * The bare router: consume the inbound topic in fetched batches, one multi-row INSERT of the
 * batch, three events per complaint in one produce request, commit. Returns complaints/s.
 */
async function bareRouter(brokers: string, inboundTopic: string, db: TestDatabase, count: number): Promise<number> {
  const pool = db.pool({ max: PARTITIONS });
  await pool.query(`CREATE TABLE bare_complaints (
    tracking_id varchar(16) PRIMARY KEY, channel varchar(16) NOT NULL, sender_id varchar(200) NOT NULL, text text NOT NULL,
    payload jsonb NOT NULL, received_at timestamptz NOT NULL, registered_at timestamptz NOT NULL DEFAULT now())`);
  const kafka = new Kafka({ clientId: 'bench-bare-router', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `bench-bare-router-${randomUUID().slice(0, 8)}`, maxWaitTimeInMs: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic: inboundTopic, fromBeginning: true });
  const done: number[] = [];
  const outTopic = `${inboundTopic}.bare-out`;
  await consumer.run({
    partitionsConsumedConcurrently: PARTITIONS,
    eachBatch: async ({ batch }) => {
      const payloads = batch.messages.map((m) => JSON.parse(m.value!.toString()).payload as { trackingId: string; channel: string; senderId: string; text: string; receivedAt: string });
      await pool.query(
        `INSERT INTO bare_complaints (tracking_id, channel, sender_id, text, payload, received_at)
         SELECT e->>'trackingId', e->>'channel', e->>'senderId', e->>'text', e, (e->>'receivedAt')::timestamptz FROM jsonb_array_elements($1::jsonb) AS e
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(payloads)],
      );
      await producer.send({
        topic: outTopic,
        acks: -1,
        messages: payloads.flatMap((p) => ['registered', 'received', 'assigned'].map((kind) => ({ key: p.trackingId, value: JSON.stringify({ kind, ...p }) }))),
      });
      const now = Date.now();
      for (let i = 0; i < payloads.length; i++) done.push(now);
    },
  });
  const drained = await until(() => done.length >= count, Math.max(120_000, count * 5));
  await consumer.disconnect();
  await producer.disconnect();
  await pool.end();
  if (!drained) throw new Error(`bare router: only ${done.length} of ${count} within the time limit`);
  return perSecond(done);
}

/** The Twilio stand-in hit directly: `count` messages by `concurrency` keep-alive loops. Returns sends/s. */
async function bareSends(twilio: FakeTwilio, count: number, concurrency: number): Promise<number> {
  const before = twilio.messages.length;
  const url = `${twilio.url}/2010-04-01/Accounts/${BENCH_SECRETS.twilioAccountSid}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${BENCH_SECRETS.twilioAccountSid}:${BENCH_SECRETS.twilioAuthToken}`).toString('base64')}`;
  let next = 0;
  const loop = async () => {
    while (next < count) {
      const i = next++;
      const body = new URLSearchParams({ To: `+62899${String(i % 1000).padStart(7, '0')}`, From: '1708', Body: `Pengaduan BARE${i} diterima` });
      const res = await fetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`stand-in answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return perSecond(twilio.messages.slice(before).map((m) => m.at.getTime()));
}

async function main(): Promise<void> {
  if (!flags.source && !flags.prebuilt) {
    console.error('npm run build (the apps run as deployed, from dist/apps/<app>/main.js) …');
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  out(`bench on ${cpus().length} cores, ${new Date().toISOString()}, load average ${load()}`);
  const shared = process.env.KAFKA_BROKERS && process.env.KAFKA_BROKERS !== 'none' ? process.env.KAFKA_BROKERS : undefined;
  const kafka = shared ? undefined : await startKafka({ nodes: 1, dir: `.kafka/bench-pipeline-${process.pid}`, port: await findFreeBasePort(1, 49192) });
  const brokers = shared ?? kafka!.brokers.join(',');
  const db = await createTestDatabase('lapor_bench_pipeline');
  const dataDir = mkdtempSync(join(tmpdir(), 'lapor-pipeline-'));
  const logDir = mkdtempSync(join(tmpdir(), 'lapor-pipeline-logs-'));
  const ns = `bench-pipeline-${randomUUID().slice(0, 8)}`;
  const topicOf = (t: string) => `${ns}.${t}`;
  const twilio = await new FakeTwilio().start();
  const watcher = new StatusWatcher();
  const procs: Proc[] = [];
  const env = {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
    BUS_NAMESPACE: ns,
    LOG_LEVEL: flags['log-level']!,
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    TWILIO_ACCOUNT_SID: BENCH_SECRETS.twilioAccountSid,
    TWILIO_AUTH_TOKEN: BENCH_SECRETS.twilioAuthToken,
    TWILIO_FROM_NUMBER: '1708',
    TWILIO_API_BASE_URL: twilio.url,
    ...(flags['notifier-concurrency'] ? { NOTIFIER_DISPATCH_CONCURRENCY: flags['notifier-concurrency'] } : {}),
  };
  try {
    /** A fresh namespace with the backlog on its inbound topic. */
    const prefill = async (namespace: string) => {
      const bus = new KafkaBus({ brokers: brokers.split(','), clientId: 'bench-backlog', logLevel: logLevel.NOTHING, topics: ALL_TOPICS.map((t) => ({ name: `${namespace}.${t}`, partitions: PARTITIONS })) });
      await bus.start();
      const backlog = inboundBacklog(backlogSize, `${namespace}.${Topics.complaintInbound}`);
      for (let i = 0; i < backlog.records.length; i += 1000) await bus.publish(backlog.records.slice(i, i + 1000));
      await bus.stop();
      return backlog;
    };
    /** One router process on its namespace's backlog: complaints/s from the first to the last routed event. */
    const routerRun = async (namespace: string, database: TestDatabase, extra: Record<string, string>, label: string) => {
      const routed = new StatusWatcher();
      await routed.start(brokers, `${namespace}.${Topics.complaintStatusChanged}`);
      const router = await startApp('router', { ...env, ...extra, BUS_NAMESPACE: namespace, DATABASE_URL: database.url }, logDir);
      router.watchPeak();
      try {
        const drained = await until(() => routed.routedAt.size >= backlogSize, Math.max(180_000, backlogSize * 20));
        const perS = perSecond([...routed.routedAt.values()]);
        out(`  ${label}: ${perS.toFixed(0)} complaints/s registered and routed (${routed.routedAt.size} of ${backlogSize}${drained ? '' : ', time limit hit'}), peak RSS ${router.peakMb().toFixed(0)} MB (load average ${load()})`);
        return { perS, router };
      } finally {
        await routed.stop();
      }
    };

    const backlog = await prefill(ns);
    await watcher.start(brokers, topicOf(Topics.complaintStatusChanged));
    out(`\n# router: ${backlogSize} inbound complaints on the topic (load average ${load()})`);
    const bare = await bareRouter(brokers, topicOf(Topics.complaintInbound), db, backlogSize);
    out(`  bare (eachBatch → one multi-row INSERT → 3 events per complaint, acks=all): ${bare.toFixed(0)} complaints/s (load average ${load()})`);
    if (flags['compare-off']) {
      const offNs = `${ns}-off`;
      const offDb = await createTestDatabase('lapor_bench_pipeline_off');
      try {
        await prefill(offNs);
        const off = await routerRun(offNs, offDb, { ROUTER_BATCH_REGISTRATION: 'off' }, 'router, ROUTER_BATCH_REGISTRATION=off (one message at a time)');
        await off.router.stop();
        out(`  router (off) / bare: ${(off.perS / bare).toFixed(3)}×`);
      } finally {
        await offDb.drop().catch(() => undefined);
      }
    }
    const on = await routerRun(ns, db, {}, 'router (batches)');
    procs.push(on.router);
    const routerPerS = on.perS;
    out(`  router / bare: ${(routerPerS / bare).toFixed(3)}×; target ≥ 2,000/s: ${routerPerS >= 2000 ? 'met' : 'missed'}`);

    if (phases.has('notifier')) {
      out(`\n# notifier: ${backlog.smsExpected} SMS to send (load average ${load()})`);
      const notifier = await startApp('notifier', env, logDir);
      procs.push(notifier);
      notifier.watchPeak();
      const sent = await until(() => twilio.messages.length >= backlog.smsExpected, Math.max(120_000, backlog.smsExpected * 10));
      const at = twilio.messages.map((m) => m.at.getTime());
      const notifierPerS = perSecond(at);
      const violations = await orderViolations(db.url, twilio);
      out(`  notifier: ${notifierPerS.toFixed(0)} SMS/s (${at.length} of ${backlog.smsExpected}${sent ? '' : ', time limit hit'}), recipients out of queue order: ${violations}, peak RSS ${notifier.peakMb().toFixed(0)} MB (load average ${load()})`);
      await notifier.stop();
      const concurrency = Number(flags['notifier-concurrency'] || 16);
      const bareSms = await bareSends(twilio, backlog.smsExpected, concurrency);
      out(`  bare (${concurrency} keep-alive fetch loops straight to the stand-in): ${bareSms.toFixed(0)} sends/s (load average ${load()})`);
      out(`  notifier / bare: ${(notifierPerS / bareSms).toFixed(2)}×; target ≥ 1,000/s: ${notifierPerS >= 1000 ? 'met' : 'missed'}`);
    }
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await watcher.stop();
    await twilio.stop();
    await db.drop().catch(() => undefined);
    if (kafka) {
      await kafka.stop();
      rmSync(kafka.dir, { recursive: true, force: true });
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (flags['keep-logs']) console.error(`app logs kept in ${logDir}`);
    else rmSync(logDir, { recursive: true, force: true });
  }
  console.log(lines.join('\n'));
  if (cpuProfDir) console.log(summariseProfiles(cpuProfDir));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
