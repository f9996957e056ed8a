/**
 * npm run chaos [-- --rate 200 --duration 180]
 *
 * Proves, under load and real faults, that nothing acknowledged is lost, nothing is done
 * twice and nothing blocks. Starts its own 3-broker Kafka cluster, its own PostgreSQL,
 * the vendors' stand-ins and every app as its own OS process; drives mixed traffic at a
 * steady rate while it kills a broker, a router, a notifier and the database and
 * publishes poison records; then audits PostgreSQL, the stand-ins' records and its own
 * log of 2xx answers. Prints a table; exits 1 if anything was lost, doubled or blocked.
 * Loopback only; bounded in time and count. See docs/chaos.md.
 */
import { cpus, hostname, loadavg, totalmem } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fetchKafka, findFreeBasePort, KafkaCluster, REPO_ROOT, startKafka } from '../../test/support/kafka-broker';
import { audit, AuditResult, fmtMs, NotificationRow, RouterData } from './audit';
import { consumedTopics, consumerLag, lastLagError, countPublished, createTopics, harnessKafka, readDeadLetters } from './kafka';
import { FaultInjector } from './faults';
import { OwnPostgres } from './postgres';
import { HARNESS_NICE, lowerChildren, raiseHarnessPriority } from './priority';
import { AppName, freePort, ServiceProcess } from './services';
import { TrafficGenerator } from './traffic';
import { startVendors, Vendors } from './vendors';
import { Topics } from '@lapor/contracts';
import type { Admin, Kafka } from 'kafkajs';

const PUBLIC_BASE_URL = 'https://lapor.chaos.test';
const ADMIN_TOKEN = 'chaos-admin-token';

interface Options {
  rate: number;
  durationMs: number;
  dir: string;
  keep: boolean;
  dist: boolean;
  dirtyShare: number;
  maxInFlight: number;
  lagDeadlineMs: number;
  faults: boolean;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '200' },
      duration: { type: 'string', default: '180' },
      dir: { type: 'string' },
      keep: { type: 'boolean', default: false },
      dist: { type: 'boolean', default: false },
      'dirty-share': { type: 'string', default: '0.02' },
      'max-in-flight': { type: 'string', default: '4000' },
      'lag-deadline': { type: 'string', default: '60' },
      'no-faults': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`npm run chaos -- [--rate N/s (200)] [--duration S (180)] [--dir DIR] [--keep] [--dist] [--dirty-share 0.02] [--max-in-flight 4000] [--lag-deadline S (60)] [--no-faults]`);
    process.exit(0);
  }
  const rate = Number(values.rate);
  const duration = Number(values.duration);
  if (!(rate > 0 && rate <= 2_000)) throw new Error('--rate must be 1..2000 messages/s');
  if (!(duration >= 30 && duration <= 1_800)) throw new Error('--duration must be 30..1800 s');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    rate,
    durationMs: duration * 1000,
    dir: values.dir ?? join(REPO_ROOT, '.chaos', stamp),
    keep: values.keep!,
    dist: values.dist!,
    dirtyShare: Number(values['dirty-share']),
    maxInFlight: Number(values['max-in-flight']),
    lagDeadlineMs: Number(values['lag-deadline']) * 1000,
    faults: !values['no-faults'],
  };
}

async function main(): Promise<number> {
  const opts = options();
  mkdirSync(join(opts.dir, 'logs'), { recursive: true });
  const t0 = Date.now();
  console.log(`chaos: ${opts.rate} messages/s for ${opts.durationMs / 1000} s; run dir ${relative(REPO_ROOT, opts.dir)}`);
  console.log(`machine: ${hostname()}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const prioritized = raiseHarnessPriority();
  console.log(
    prioritized
      ? `harness: nice ${HARNESS_NICE}, everything it starts nice 0 (the clients and vendors it plays are not on the server)`
      : 'harness: could not raise its priority (not root): its own delays count against the services',
  );
  const lowering = prioritized ? setInterval(lowerChildren, 1_000) : undefined;
  lowering?.unref();

  let kafka: KafkaCluster | undefined;
  let postgres: OwnPostgres | undefined;
  let vendors: Vendors | undefined;
  const services: ServiceProcess[] = [];
  const cleanup = async () => {
    await Promise.allSettled(services.map((s) => s.stop()));
    await Promise.allSettled([kafka?.stop(), postgres?.stop('fast'), vendors?.stop()]);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  // Whatever goes wrong in the harness itself, the brokers, the database and the replicas are stopped.
  process.once('uncaughtException', (error) => {
    console.error(`chaos: harness error: ${error.stack ?? error}`);
    void cleanup().finally(() => process.exit(2));
  });

  try {
    // ---- infrastructure
    await fetchKafka();
    const kafkaPort = await findFreeBasePort(3, 29092);
    // The JVM as Kafka ships it (tiered compilation up to C2). scripts/kafka.sh stops at C1
    // (-XX:TieredStopAtLevel=1) to start fast in tests, which costs steady-state CPU that this
    // 2-core machine has none of under the chaos load; a later flag overrides an earlier one.
    kafka = await startKafka({ nodes: 3, dir: join(opts.dir, 'kafka'), port: kafkaPort, jvmOpts: '-XX:TieredStopAtLevel=4' });
    console.log(`kafka: 3 brokers ${kafka.brokers.join(',')}`);
    const harness = harnessKafka(kafka.brokers);
    const admin = harness.admin();
    await admin.connect();
    const topics = await createTopics(admin);
    console.log(`kafka: ${topics.length} topics, replication factor 3, min.insync.replicas 2`);
    postgres = new OwnPostgres(join(opts.dir, 'postgres'), await freePort());
    await postgres.init();
    await postgres.query('CREATE DATABASE lapor');
    console.log(`postgres: own cluster on 127.0.0.1:${postgres.port}`);
    vendors = await startVendors();

    // ---- the apps, each its own process
    const base: Record<string, string> = {
      ...vendors.env,
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_REPLICATION_FACTOR: '3',
      DATABASE_URL: postgres.url('lapor'),
      PUBLIC_BASE_URL,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      NOTIFY_POLL_MS: '500',
      NOTIFY_RETRY_BASE_MS: '2000',
      DATA_DIR: join(opts.dir, 'data'),
    };
    const replica = async (app: AppName, i: number, extra: Record<string, string> = {}) => {
      // web-intake reads complaints from a router (GET /api/v1/complaints/:id)
      if (app === 'web-intake') extra = { ...extra, ROUTER_URL: routers[(i - 1) % routers.length].url };
      const name = `chaos-${app.replace('-intake', '')}-${i}`;
      const s = new ServiceProcess(name, app, await freePort(), { ...base, KAFKA_CLIENT_ID: name, ...extra }, join(opts.dir, 'logs'), opts.dist);
      services.push(s);
      return s;
    };
    const routers: ServiceProcess[] = [];
    routers.push(await replica('router', 1), await replica('router', 2));
    const notifiers = [await replica('notifier', 1), await replica('notifier', 2)];
    const webs = [await replica('web-intake', 1, { ROUTER_URL: '' }), await replica('web-intake', 2, { ROUTER_URL: '' })];
    const sms = await replica('sms-intake', 1);
    const social = await replica('social-intake', 1);
    const tStart = Date.now();
    // One of each first: the first router and notifier run the migrations, the rest find them done.
    await Promise.all([routers[0].start(), notifiers[0].start()]);
    await Promise.all([routers[1], notifiers[1], ...webs, sms, social].map((s) => s.start()));
    console.log(`services: ${services.map((s) => `${s.name}:${s.port}`).join(' ')} ready in ${((Date.now() - tStart) / 1000).toFixed(0)} s`);

    // ---- monitors
    const consumed = [...Object.values(Topics)];
    const lagSamples: { at: number; total: number; byGroup: Record<string, number> }[] = [];
    // The machine is shared: its load during the run is part of the evidence for the figures.
    const loadSamples: number[] = [];
    let sampling = true;
    // Its own admin client, so a slow fault look-up never delays a sample.
    const lagReader = new LagReader(harness, consumed);
    const sampler = (async () => {
      while (sampling) {
        const lag = await lagReader.read();
        if (lag) lagSamples.push({ at: Date.now(), total: lag.total, byGroup: lag.byGroup });
        loadSamples.push(loadavg()[0]);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    })();

    // ---- traffic and faults
    const generator = new TrafficGenerator(
      { webIntake: webs.map((w) => w.url), smsIntake: sms.url, socialIntake: social.url, routers: routers.map((r) => r.url), publicBaseUrl: PUBLIC_BASE_URL, adminToken: ADMIN_TOKEN },
      {
        dirtyShare: opts.dirtyShare,
        maxInFlight: opts.maxInFlight,
        triageCandidates: async () =>
          (await postgres!.query<{ tracking_id: string }>(`SELECT tracking_id FROM complaints WHERE status = 'triage' ORDER BY registered_at DESC LIMIT 20`, [], 'lapor')).map((r) => r.tracking_id),
      },
    );
    const faults = new FaultInjector({ kafka, harness, admin, postgres, routers, notifiers, topics });
    // The harness shares the machine: how late its own event loop ran is part of the evidence
    // (a late harness offers late and reads lag late, which no service is to blame for).
    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
    const trafficStart = Date.now();
    let lastReport = 0;
    const progress = (elapsed: number) => {
      if (elapsed - lastReport < 15_000) return;
      lastReport = elapsed;
      const acked = generator.ledger.filter((e) => e.ackedAt !== undefined).length;
      const last = lagSamples[lagSamples.length - 1];
      const lag = last && Date.now() - last.at < 5_000 ? last.total : `? (${lastLagError})`;
      console.log(`  t+${(elapsed / 1000).toFixed(0)} s: offered ${generator.ledger.length + generator.skipped}, acknowledged ${acked}, in flight ${generator.inFlight}, consumer lag ${lag}, load ${loadavg()[0].toFixed(1)}`);
    };
    console.log(`traffic: ${opts.rate}/s for ${opts.durationMs / 1000} s${opts.faults ? ', faults at 12%, 30%, 45%, 60%, 72% of it' : ''}`);
    const [traffic] = await Promise.all([generator.run(opts.rate, opts.durationMs, progress), opts.faults ? faults.run(opts.durationMs, trafficStart) : Promise.resolve()]);
    const trafficEnd = trafficStart + opts.durationMs;
    console.log(`traffic done: offered ${traffic.offered}, answers settled ${((Date.now() - trafficEnd) / 1000).toFixed(0)} s after the last offer`);

    // ---- drain: lag to 0, the notifier's outbox empty (bounded)
    const lastFault = faults.lastFaultEnd || trafficStart;
    const drainDeadline = Date.now() + Math.max(120_000, opts.lagDeadlineMs * 2);
    let zeroAt: number | undefined;
    while (Date.now() < drainDeadline) {
      const lag = await lagReader.read();
      if (lag?.total === 0) {
        zeroAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    let drainedAt: number | undefined;
    while (Date.now() < drainDeadline) {
      const [{ n }] = await postgres.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE state IN ('pending', 'sending')`, [], 'lapor').catch(() => [{ n: -1 }]);
      if (n === 0) {
        drainedAt = Date.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    sampling = false;
    await sampler;
    await lagReader.close();
    const caughtUp = lagSamples.find((s) => s.at >= lastFault && s.total <= opts.rate);
    const lagFigures = {
      caughtUpAfterLastFaultMs: caughtUp ? caughtUp.at - lastFault : zeroAt ? zeroAt - lastFault : undefined,
      zeroAfterTrafficMs: zeroAt ? zeroAt - trafficEnd : undefined,
      maxLag: Math.max(0, ...lagSamples.map((s) => s.total)),
      // Which consumer held the backlog: the largest lag each group had at any sample.
      maxLagByGroup: Object.fromEntries(
        [...new Set(lagSamples.flatMap((s) => Object.keys(s.byGroup)))].map((g) => [g, Math.max(0, ...lagSamples.map((s) => s.byGroup[g] ?? 0))]),
      ),
      deadlineMs: opts.lagDeadlineMs,
    };

    // ---- audit
    console.log('audit: reading PostgreSQL, the stand-ins and the dead-letter topics ...');
    // In this order, so that a system still at work (not drained by the deadline) shows as
    // work not done yet, never as a send without its notification: status changes, then what
    // the vendors got, then the notifier's rows (a row is written before its send).
    const router = await readRouter(postgres);
    const sends = vendors.sends();
    const notifications = await postgres.query<NotificationRow>(`SELECT id, dedupe_key, kind, channel, address, body, state, possible_duplicate FROM notifications`, [], 'lapor');
    const deadLetters = await readDeadLetters(harness, admin, topics);
    const consumedSet = await consumedTopics(admin, consumed);
    const registeredCounts = await countPublished(harness, admin, Topics.complaintRegistered, (value) => {
      try {
        return JSON.parse(value)?.payload?.trackingId;
      } catch {
        return undefined;
      }
    });
    const result = audit({
      ledger: generator.ledger,
      skipped: generator.skipped,
      offered: traffic.offered,
      trafficSeconds: traffic.seconds,
      rate: opts.rate,
      router,
      notifications,
      sends,
      deadLetters,
      poisons: faults.poisons,
      consumedTopics: consumedSet,
      registeredCounts,
      windows: faults.windows,
      crashWindows: faults.windows.filter((w) => !w.name.startsWith('poison')),
      lag: lagFigures,
      drained: zeroAt !== undefined && drainedAt !== undefined,
      notifierDrainMs: drainedAt ? drainedAt - trafficEnd : undefined,
      unexpectedExits: services.flatMap((s) => s.unexpectedExits.map((x) => ({ name: s.name, ...x }))),
      faultErrors: faults.errors,
    });
    await admin.disconnect();

    const sortedLoad = [...loadSamples].sort((a, b) => a - b);
    const load = sortedLoad.length ? `${sortedLoad[0].toFixed(1)} / ${sortedLoad[Math.floor(sortedLoad.length / 2)].toFixed(1)} / ${sortedLoad[sortedLoad.length - 1].toFixed(1)}` : '?';
    loopDelay.disable();
    const harnessDelay = `${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms p99, ${(loopDelay.max / 1e6).toFixed(0)} ms max`;
    const report = render(opts, result, faults, traffic, generator.maxInFlight, t0, trafficStart, load, harnessDelay);
    console.log(`\n${report}`);
    writeFileSync(join(opts.dir, 'report.md'), report);
    writeFileSync(join(opts.dir, 'ledger.jsonl'), generator.ledger.map((e) => JSON.stringify(e)).join('\n'));
    writeFileSync(join(opts.dir, 'faults.log'), faults.log.join('\n'));
    const ok = result.failures.length === 0;
    console.log(ok ? '\nchaos: PASS: nothing lost, nothing doubled, nothing blocked' : `\nchaos: FAIL\n${result.failures.map((f) => `  - ${f}`).join('\n')}`);
    await cleanup();
    if (ok && !opts.keep) rmSync(opts.dir, { recursive: true, force: true });
    else console.log(`logs, report and ledger kept in ${relative(REPO_ROOT, opts.dir)}`);
    return ok ? 0 : 1;
  } catch (error) {
    console.error(`chaos: aborted: ${(error as Error).stack ?? error}`);
    await cleanup();
    console.error(`logs kept in ${relative(REPO_ROOT, opts.dir)}`);
    return 2;
  }
}

/**
 * Reads the consumer groups' lag with an admin client of its own, and starts a new client
 * after a failed read: after a broker's kill -9, kafkajs' admin kept asking the dead broker
 * ("ListOffsets timed out") for the rest of the run, so no lag was sampled at all.
 */
class LagReader {
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {}

  async read(): Promise<Awaited<ReturnType<typeof consumerLag>>> {
    try {
      if (!this.admin) {
        const admin = this.kafka.admin();
        await admin.connect();
        this.admin = admin;
      }
    } catch {
      return undefined;
    }
    // Bounded: a sample that takes longer is no sample (the client's own retries could hold
    // the sampler for minutes); the next read starts a new client.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), LAG_READ_TIMEOUT_MS)));
    const lag = await Promise.race([consumerLag(this.admin, this.topics), timedOut]);
    clearTimeout(timer);
    if (!lag) await this.close();
    return lag;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

const LAG_READ_TIMEOUT_MS = 20_000;

async function readRouter(pg: OwnPostgres): Promise<RouterData> {
  const q = <T>(sql: string) => pg.query<T>(sql, [], 'lapor');
  const [messages, complaints, statusChanges, [{ n }]] = await Promise.all([
    q<RouterData['messages'][number]>(`SELECT channel, channel_message_id, tracking_id, text ~ '[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]' AS text_has_controls FROM complaint_messages`),
    q<RouterData['complaints'][number]>(`SELECT tracking_id, channel, sender_id, reply_to FROM complaints`),
    q<RouterData['statusChanges'][number]>(`SELECT tracking_id, sequence, status, at FROM complaint_status_changes`),
    q<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM complaint_messages GROUP BY channel, channel_message_id HAVING count(*) > 1) d`),
  ]);
  return { messages, complaints, statusChanges, duplicateMessages: n };
}

function render(opts: Options, result: AuditResult, faults: FaultInjector, traffic: { offered: number; seconds: number }, maxInFlight: number, t0: number, trafficStart: number, load: string, harnessDelay: string): string {
  const lines: string[] = [];
  lines.push(`chaos run ${new Date(t0).toISOString()} on ${hostname()} (${cpus().length} cores, ${cpus()[0]?.model ?? '?'}): ${opts.rate}/s for ${opts.durationMs / 1000} s, total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  lines.push('');
  lines.push('| check | result | pass | note |');
  lines.push('|---|---|---|---|');
  for (const r of result.rows) lines.push(`| ${r.check} | ${r.value} | ${r.ok === undefined ? '' : r.ok ? 'ok' : '**FAIL**'} | ${(r.note ?? '').replace(/\|/g, '/')} |`);
  lines.push('');
  lines.push('| window | messages | accept p50 | accept p99 | accepted→assigned p50 | accepted→assigned p99 |');
  lines.push('|---|---|---|---|---|---|');
  for (const l of result.latency) lines.push(`| ${l.window} | ${l.n} | ${fmtMs(l.acceptP50)} | ${fmtMs(l.acceptP99)} | ${fmtMs(l.assignP50)} | ${fmtMs(l.assignP99)} |`);
  lines.push('');
  lines.push('| killed consumer | partitions reassigned after | restarted replica got work after its start | kill → work |');
  lines.push('|---|---|---|---|');
  for (const r of faults.recoveries) lines.push(`| ${r.replica} (${r.group}) | ${fmtMs(r.reassignedAfterMs)} | ${fmtMs(r.restartedGotWorkAfterMs)} | ${fmtMs(r.killToWorkMs)} |`);
  lines.push('');
  lines.push(`faults: ${faults.windows.map((w) => `${w.name} at t+${((w.start - trafficStart) / 1000).toFixed(0)} s (${w.notes.join('; ')})`).join('; ') || 'none'}`);
  lines.push(`harness: at most ${maxInFlight} messages unanswered at once; ${traffic.offered} offered in ${traffic.seconds.toFixed(0)} s; its event loop's delay ${harnessDelay}`);
  lines.push(`machine load (1-minute average, ${cpus().length} cores) during the run, min / median / max: ${load}`);
  return lines.join('\n');
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
