/**
 * `npm run bench:load`: every app as its own OS process, as deployed, on a real Kafka broker
 * and PostgreSQL, measured side by side with bare baselines in the same run.
 *
 *   npm run bench:load [-- --duration 10 --rate 1000 --backlog 20000 --e2e-rate 500 --e2e-duration 30]
 *   npm run bench:load -- --profile sustained      # accepted → assigned at 500/s for 5 minutes
 *   npm run bench:load -- --only intake --kinds web --cpu-prof .bench/profiles
 *
 * The apps run as deployed: `npm run build` first, then `node dist/apps/<app>/main.js` with
 * the default log level (JSON, a line per request, to a file); `--source` runs them from the
 * TypeScript sources instead (about 70 MB more RSS each: the TypeScript loader); `--prebuilt`
 * uses dist/ as it is. `--app-node-options` gives the apps NODE_OPTIONS (e.g. heap limits).
 *
 * 1. Intake, each server alone (nobody consumes what it publishes): the bare baselines
 *    (bare-server.ts: node:http + kafkajs, acks=all, one send per request; and the same with
 *    1 ms micro-batching; for SMS and X, micro-batched plus the same signature check) and
 *    web-intake, sms-intake, social-intake; each at its maximum (closed loop, `--connections`)
 *    and at a fixed `--rate` (open loop, latency from when each request was due).
 * 2. Router and notifier: `--backlog` inbound complaints are put on the topic, then one router
 *    process starts: complaints registered and routed per second (from the status-changed
 *    events); once it is done, one notifier process starts on all of that: SMS sent per second
 *    to the local Twilio stand-in, and whether each recipient got their messages in queue order.
 * 3. End to end: web-intake at `--e2e-rate` for `--e2e-duration` s with router and notifier
 *    running: accepted (202) → assigned (the status-changed event) p50/p99.
 *
 * Starts its own Kafka broker (scripts/kafka.sh, free ports, own dir) and a throwaway database
 * on the PostgreSQL at DATABASE_URL. Loopback only; every phase is bounded in time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaBus } from '@lapor/bus';
import { ALL_TOPICS, Topics } from '@lapor/contracts';
import { createTestDatabase } from '../../test/support/database';
import { FakeTwilio } from '../../test/support/fake-twilio';
import { findFreeBasePort, REPO_ROOT, startKafka } from '../../test/support/kafka-broker';
import { inboundBacklog } from './backlog';
import type { GeneratorConfig, GeneratorResult } from './generator';
import { AppName, appCommand, generate, Proc } from './processes';
import { BENCH_SECRETS, RequestKind } from './requests';
import { summariseProfiles } from './cpu-profile';
import { orderViolations, StatusWatcher } from './pipeline';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '3' },
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '32' },
    'rate-connections': { type: 'string', default: '64' },
    backlog: { type: 'string', default: '10000' },
    'e2e-rate': { type: 'string', default: '500' },
    'e2e-duration': { type: 'string', default: '30' },
    profile: { type: 'string', default: 'default' },
    only: { type: 'string', default: 'intake,router,e2e' },
    kinds: { type: 'string', default: 'web,sms,x' },
    'cpu-prof': { type: 'string' },
    source: { type: 'boolean', default: false },
    prebuilt: { type: 'boolean', default: false },
    'app-node-options': { type: 'string', default: '' },
    'log-level': { type: 'string', default: 'log' },
  },
});
const SIGNED_BASE = 'https://bench.lapor.invalid';
const partitions = 6;
const num = (k: keyof typeof flags) => Number(flags[k]);
const duration = num('duration');
const warmup = num('warmup');
const rate = num('rate');
const e2eDuration = flags.profile === 'sustained' ? 300 : num('e2e-duration');
const phases = new Set(flags.only!.split(','));
const kinds = flags.kinds!.split(',') as RequestKind[];
const cpuProfDir = flags['cpu-prof'];
const logDir = mkdtempSync(join(tmpdir(), 'lapor-load-logs-'));

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

interface Row {
  server: string;
  kind: RequestKind;
  mode: string;
  result: GeneratorResult;
  rssMb: number;
}
const rows: Row[] = [];
const notes: string[] = [];

/** Starts one app as its own process and waits until it answers /health/live. */
async function startApp(app: AppName, env: Record<string, string>): Promise<{ proc: Proc; port: number }> {
  const port = await freePort();
  const portVar = { 'web-intake': 'WEB_INTAKE_PORT', 'sms-intake': 'SMS_INTAKE_PORT', 'social-intake': 'SOCIAL_INTAKE_PORT', router: 'ROUTER_PORT', notifier: 'NOTIFIER_PORT' }[app];
  const nodeFlags = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, app)}`] : [];
  const proc = new Proc(app, appCommand(app, flags.source!), { ...env, [portVar]: String(port), HOST: '127.0.0.1', NODE_OPTIONS: flags['app-node-options']! }, nodeFlags, join(logDir, `${app}.log`));
  await proc.waitHealthy(`http://127.0.0.1:${port}/health/live`);
  return { proc, port };
}

async function startBare(brokers: string, topic: string, lingerMs: number, check: 'none' | 'twilio' | 'x'): Promise<{ proc: Proc; port: number }> {
  const port = await freePort();
  const nodeFlags = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfDir, `bare-${lingerMs}ms-${check}`)}`] : [];
  const args = ['-r', '@swc-node/register', 'bench/load/bare-server.ts', '--port', String(port), '--brokers', brokers, '--topic', topic, '--linger-ms', String(lingerMs), '--check', check, '--signed-base', SIGNED_BASE];
  const proc = new Proc(`bare ${lingerMs}ms ${check}`, args, {}, nodeFlags);
  await proc.waitForLine(/^ready$/);
  return { proc, port };
}

async function load(server: string, kind: RequestKind, target: { proc: Proc; port: number }, mode: 'max' | 'rate', overrides: Partial<GeneratorConfig> = {}): Promise<GeneratorResult> {
  target.proc.watchPeak();
  const config: GeneratorConfig = {
    port: target.port,
    kind,
    mode,
    rate,
    connections: mode === 'max' ? num('connections') : num('rate-connections'),
    warmupS: warmup,
    durationS: duration,
    signedBase: SIGNED_BASE,
    ...overrides,
  };
  const result = await generate(config);
  const rssMb = target.proc.peakMb();
  const label = mode === 'max' ? `max (${config.connections} conn)` : `${config.rate}/s open loop`;
  rows.push({ server, kind, mode: label, result, rssMb });
  console.error(`  ${server.padEnd(34)} ${label.padEnd(18)} ${result.acceptedPerS.toFixed(0).padStart(6)}/s p50 ${result.p50.toFixed(1)} p99 ${result.p99.toFixed(1)} ms, RSS ${rssMb.toFixed(0)} MB; worst second ${result.worstSecond.at}: max ${result.worstSecond.maxMs.toFixed(0)} ms`);
  return result;
}

const APP_OF: Record<RequestKind, AppName> = { web: 'web-intake', sms: 'sms-intake', x: 'social-intake' };
const CHECK_OF: Record<RequestKind, 'none' | 'twilio' | 'x'> = { web: 'none', sms: 'twilio', x: 'x' };

async function intakePhase(brokers: string, env: Record<string, string>): Promise<void> {
  const ns = `bench-intake-${randomUUID().slice(0, 8)}`;
  const bareTopic = `${ns}.bare`;
  const kafka = new Kafka({ clientId: 'bench-admin', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: bareTopic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  for (const kind of kinds) {
    console.error(`\n# intake: ${kind}`);
    const bares: { proc: Proc; port: number }[] = [];
    const bare = async (linger: number, check: 'none' | 'twilio' | 'x') => {
      const b = await startBare(brokers, bareTopic, linger, check);
      bares.push(b);
      return b;
    };
    const app = await startApp(APP_OF[kind], { ...env, BUS_NAMESPACE: ns });
    try {
      const check = CHECK_OF[kind];
      const suffix = check === 'none' ? '' : ` + ${check === 'twilio' ? 'Twilio' : 'X'} signature`;
      const plain = kind === 'web' ? await bare(0, 'none') : undefined;
      const micro = await bare(1, check);
      // Rounds alternate baseline and app, so a burst of load from elsewhere hits both alike.
      for (let round = 0; round < num('rounds'); round++) {
        if (plain) await load(`bare, one send per request`, kind, plain, 'max');
        await load(`bare, 1 ms micro-batch${suffix}`, kind, micro, 'max');
        await load(APP_OF[kind], kind, app, 'max');
        await load(`bare, 1 ms micro-batch${suffix}`, kind, micro, 'rate');
        await load(APP_OF[kind], kind, app, 'rate');
      }
    } finally {
      await Promise.all([app, ...bares].map((p) => p.proc.stop()));
    }
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

interface PipelineFigures {
  routerPerS?: number;
  routed?: number;
  notifierPerS?: number;
  sent?: number;
  orderViolations?: number;
  e2e?: { p50: number; p99: number; max: number; count: number; missing: number; accepted: GeneratorResult };
  rss: Record<string, number>;
}

async function pipelinePhase(brokers: string, env: Record<string, string>, databaseUrl: string): Promise<PipelineFigures> {
  const ns = `bench-e2e-${randomUUID().slice(0, 8)}`;
  const topicOf = (t: string) => `${ns}.${t}`;
  const figures: PipelineFigures = { rss: {} };
  const twilio = await new FakeTwilio().start();
  const watcher = new StatusWatcher();
  const pipelineEnv = {
    ...env,
    BUS_NAMESPACE: ns,
    DATABASE_URL: databaseUrl,
    TWILIO_ACCOUNT_SID: BENCH_SECRETS.twilioAccountSid,
    TWILIO_FROM_NUMBER: '1708',
    TWILIO_API_BASE_URL: twilio.url,
  };
  const procs: Proc[] = [];
  try {
    const bus = new KafkaBus({ brokers: brokers.split(','), clientId: 'bench-backlog', logLevel: logLevel.NOTHING, topics: ALL_TOPICS.map((t) => ({ name: topicOf(t), partitions })) });
    await bus.start();
    const backlogSize = phases.has('router') ? num('backlog') : 0;
    const backlog = inboundBacklog(backlogSize, topicOf(Topics.complaintInbound));
    for (let i = 0; i < backlog.records.length; i += 1000) await bus.publish(backlog.records.slice(i, i + 1000));
    await bus.stop();
    await watcher.start(brokers, topicOf(Topics.complaintStatusChanged));

    console.error(`\n# router and notifier${backlogSize ? `: draining ${backlogSize} complaints` : ''}`);
    // The router alone first, then the notifier on the router's whole output: each one's own pace.
    const router = await startApp('router', pipelineEnv);
    procs.push(router.proc);
    router.proc.watchPeak();
    let notifier: Awaited<ReturnType<typeof startApp>> | undefined;
    if (backlogSize) {
      const drained = await until(() => watcher.routedAt.size >= backlogSize, Math.max(120_000, backlogSize * 5));
      const times = [...watcher.routedAt.values()].sort((a, b) => a - b);
      figures.routed = times.length;
      figures.routerPerS = times.length / ((times[times.length - 1] - times[0]) / 1000);
      if (!drained) notes.push(`router: only ${times.length} of ${backlogSize} complaints routed within the time limit`);
      figures.rss['router (drain)'] = router.proc.peakMb();
      notifier = await startApp('notifier', pipelineEnv);
      procs.push(notifier.proc);
      notifier.proc.watchPeak();
      const sent = await until(() => twilio.messages.length >= backlog.smsExpected, Math.max(60_000, backlog.smsExpected * 5));
      const at = twilio.messages.map((m) => m.at.getTime()).sort((a, b) => a - b);
      figures.sent = at.length;
      figures.notifierPerS = at.length / ((at[at.length - 1] - at[0]) / 1000);
      if (!sent) notes.push(`notifier: only ${at.length} of ${backlog.smsExpected} SMS sent within the time limit`);
      figures.orderViolations = await orderViolations(databaseUrl, twilio);
      figures.rss['notifier (drain)'] = notifier.proc.peakMb();
      console.error(`  router ${figures.routerPerS.toFixed(0)}/s, notifier ${figures.notifierPerS.toFixed(0)} SMS/s, order violations ${figures.orderViolations}`);
    }

    if (!notifier) {
      notifier = await startApp('notifier', pipelineEnv);
      procs.push(notifier.proc);
    }
    if (phases.has('e2e')) {
      console.error(`\n# end to end: web-intake at ${flags['e2e-rate']}/s for ${e2eDuration} s with router and notifier`);
      const web = await startApp('web-intake', pipelineEnv);
      procs.push(web.proc);
      router.proc.watchPeak();
      notifier.proc.watchPeak();
      const idsFile = join(mkdtempSync(join(tmpdir(), 'lapor-load-')), 'ids.txt');
      const accepted = await load('web-intake (router + notifier running)', 'web', web, 'rate', { rate: num('e2e-rate'), durationS: e2eDuration, warmupS: 0, idsFile });
      const ids = readFileSync(idsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '))
        .map(([id, at]) => ({ id, at: Number(at) }));
      rmSync(idsFile, { force: true });
      await until(() => ids.every((x) => watcher.routedAt.has(x.id)), 60_000);
      const delays = ids.filter((x) => watcher.routedAt.has(x.id)).map((x) => watcher.routedAt.get(x.id)! - x.at).sort((a, b) => a - b);
      const pct = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN;
      figures.e2e = { p50: pct(0.5), p99: pct(0.99), max: delays[delays.length - 1] ?? NaN, count: delays.length, missing: ids.length - delays.length, accepted };
      figures.rss['web-intake (e2e)'] = rows[rows.length - 1].rssMb;
      figures.rss['router (e2e)'] = router.proc.peakMb();
      figures.rss['notifier (e2e)'] = notifier.proc.peakMb();
    }
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await watcher.stop();
    await twilio.stop();
  }
  return figures;
}


const fmt = (x: number | undefined, digits = 0) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits));

/** One row per server, kind and load: the median of each figure over the rounds, the highest RSS. */
function medians(all: Row[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of all) groups.set(`${r.server}|${r.kind}|${r.mode}`, [...(groups.get(`${r.server}|${r.kind}|${r.mode}`) ?? []), r]);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  return [...groups.values()].map((rs) => ({
    ...rs[0],
    rssMb: Math.max(...rs.map((r) => r.rssMb)),
    result: {
      ...rs[0].result,
      sent: rs.reduce((n, r) => n + r.result.sent, 0),
      accepted: rs.reduce((n, r) => n + r.result.accepted, 0),
      acceptedPerS: median(rs.map((r) => r.result.acceptedPerS)),
      p50: median(rs.map((r) => r.result.p50)),
      p99: median(rs.map((r) => r.result.p99)),
      p999: median(rs.map((r) => r.result.p999)),
    },
  }));
}

function report(pipeline: PipelineFigures | undefined): void {
  const intakeRows = medians(rows.filter((r) => !r.server.includes('router + notifier')));
  const lines: string[] = [];
  const out = (s = '') => lines.push(s);
  out(`\n## bench:load — ${new Date().toISOString()}`);
  out(`machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, node ${process.version}, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  out(`apps ${flags.source ? 'from source (swc-node)' : 'built (npm run build)'}, LOG_LEVEL=${flags['log-level']}${flags['app-node-options'] ? `, NODE_OPTIONS=${flags['app-node-options']}` : ''}; intake figures are medians of ${flags.rounds} round(s), ${duration} s each after ${warmup} s warm-up; max = closed loop with ${flags.connections} connections; rate = open loop at ${rate}/s (up to ${flags['rate-connections']} connections), latency from when each request was due`);
  if (intakeRows.length) {
    out('\n| server | kind | load | accepted/s | p50 ms | p99 ms | p99.9 ms | not 2xx | peak RSS MB |');
    out('|---|---|---|---:|---:|---:|---:|---:|---:|');
    for (const r of intakeRows) {
      const bad = r.result.sent - r.result.accepted;
      out(`| ${r.server} | ${r.kind} | ${r.mode} | ${fmt(r.result.acceptedPerS)} | ${fmt(r.result.p50, 1)} | ${fmt(r.result.p99, 1)} | ${fmt(r.result.p999, 1)} | ${bad} | ${fmt(r.rssMb)} |`);
    }
    out('\n| kind | throughput / micro-batched bare (target ≥ 0.5) | p99 at the fixed rate / bare p99 (target ≤ 1.5) | peak RSS MB (target ≤ 150) |');
    out('|---|---:|---:|---:|');
    for (const kind of kinds) {
      const of = (server: (s: string) => boolean, mode: string) => intakeRows.find((r) => r.kind === kind && server(r.server) && r.mode.startsWith(mode));
      const isApp = (s: string) => s === APP_OF[kind];
      const isMicro = (s: string) => s.startsWith('bare, 1 ms');
      const appMax = of(isApp, 'max');
      const microMax = of(isMicro, 'max');
      const appRate = of(isApp, String(rate));
      const microRate = of(isMicro, String(rate));
      if (!appMax || !microMax || !appRate || !microRate) continue;
      const rss = Math.max(appMax.rssMb, appRate.rssMb);
      out(`| ${APP_OF[kind]} | ${fmt(appMax.result.acceptedPerS / microMax.result.acceptedPerS, 2)} | ${fmt(appRate.result.p99 / microRate.result.p99, 2)} | ${fmt(rss)} |`);
    }
  }
  if (pipeline) {
    out('\n| pipeline | measured | target |');
    out('|---|---:|---|');
    if (pipeline.routerPerS !== undefined) out(`| router: complaints registered and routed per second (one process, ${pipeline.routed} complaints) | ${fmt(pipeline.routerPerS)} | ≥ 2,000 |`);
    if (pipeline.notifierPerS !== undefined) out(`| notifier: SMS sent per second to the Twilio stand-in (${pipeline.sent} SMS) | ${fmt(pipeline.notifierPerS)} | ≥ 1,000 |`);
    if (pipeline.orderViolations !== undefined) out(`| recipients whose SMS arrived out of queue order | ${pipeline.orderViolations} | 0 |`);
    if (pipeline.e2e) {
      const e = pipeline.e2e;
      out(`| accepted → assigned p50 / p99 / max ms (${e.count} complaints at ${flags['e2e-rate']}/s for ${e2eDuration} s; ${e.missing} not routed) | ${fmt(e.p50)} / ${fmt(e.p99)} / ${fmt(e.max)} | p99 ≤ 1,000 |`);
      out(`| web-intake at ${flags['e2e-rate']}/s meanwhile: accepted/s, p99 ms | ${fmt(e.accepted.acceptedPerS)}, ${fmt(e.accepted.p99, 1)} | |`);
    }
    for (const [name, mb] of Object.entries(pipeline.rss)) out(`| peak RSS ${name} MB | ${fmt(mb)} | |`);
  }
  for (const n of notes) out(`\nnote: ${n}`);
  console.log(lines.join('\n'));
}

async function main() {
  if (!flags.source && !flags.prebuilt) {
    console.error('npm run build (the apps run as deployed, from dist/apps/<app>/main.js) …');
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const load1 = loadavg()[0];
  console.error(`bench:load on ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}${load1 > cpus().length ? ' (high: figures will be noisy; re-run when the machine is quieter)' : ''}`);
  const kafka = await startKafka({ nodes: 1, dir: `.kafka/bench-load-${process.pid}`, port: await findFreeBasePort(1, 49092) });
  const brokers = kafka.brokers.join(',');
  const db = await createTestDatabase('lapor_bench_load');
  const dataDir = mkdtempSync(join(tmpdir(), 'lapor-load-'));
  const env = {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PARTITIONS: String(partitions),
    // As deployed: JSON logs, a line per request at the default level (--log-level warn leaves them out).
    LOG_LEVEL: flags['log-level']!,
    DATA_DIR: dataDir,
    PUBLIC_BASE_URL: SIGNED_BASE,
    TWILIO_AUTH_TOKEN: BENCH_SECRETS.twilioAuthToken,
    X_CONSUMER_SECRET: BENCH_SECRETS.xConsumerSecret,
    X_ACCOUNT_ID: BENCH_SECRETS.xAccountId,
  };
  let pipeline: PipelineFigures | undefined;
  try {
    if (phases.has('intake')) await intakePhase(brokers, env);
    if (phases.has('router') || phases.has('e2e')) pipeline = await pipelinePhase(brokers, env, db.url);
  } finally {
    await db.drop().catch(() => undefined);
    await kafka.stop();
    rmSync(join(kafka.dir), { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(logDir, { recursive: true, force: true });
  }
  report(pipeline);
  if (cpuProfDir) console.log(summariseProfiles(cpuProfDir));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
