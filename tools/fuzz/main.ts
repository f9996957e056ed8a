/**
 * npm run fuzz [-- --requests 100000 --concurrency 24 --seed N]
 *
 * Generated requests to every public route of the gateway (fast-check arbitraries derived
 * from the zod contracts, plus mutations: wrong types, deep nesting, huge strings, invalid
 * UTF-8, prototype keys, NUL bytes, wrong content types, truncated JSON), validly signed
 * where the route checks a signature, against one `npm start`-style process (every app's
 * routes, in-process bus, PGlite) with the vendors' stand-ins behind it. Reports counts per
 * route and status; exits 1 on any 5xx or process crash, printing the failing inputs
 * shrunk by fast-check. Loopback only, bounded by --requests.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { REPO_ROOT } from '../../test/support/kafka-broker';
import { FakeTwilio } from '../../test/support/fake-twilio';
import { startFakeTelegram } from '../../test/support/fake-telegram';
import { startFakeX } from '../../test/support/fake-x';
import { startSmtpServer } from '../../test/support/smtp';
import { freePort } from '../chaos/services';
import type { FuzzRequest } from './mutations';
import { describeRequest, FuzzRoute, FuzzSecrets, publicRoutes, send } from './routes';

const SECRETS: FuzzSecrets = {
  publicBaseUrl: 'https://lapor.fuzz.test',
  twilioAuthToken: 'fuzz-auth-token-0000000000000000',
  telegramSecret: 'fuzz_webhook-secret',
  xConsumerSecret: 'fuzz-consumer-secret',
  xAccountId: '1580661436132757506',
  whatsappAppSecret: 'fuzz-whatsapp-app-secret',
  open311ApiKey: 'fuzz-open311-key',
};

/** The system under test: `npm start`'s composition root as a child process, restarted if it dies. */
class Target {
  private child?: ChildProcess;
  readonly crashes: { at: number; code: number | null; signal: string | null }[] = [];
  private ready?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/embedded/src/main.ts'], { cwd: REPO_ROOT, env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.crashes.push({ at: Date.now(), code, signal });
      console.error(`fuzz: the target process died (code ${code}, signal ${signal}); restarting (see ${this.logFile})`);
      this.ready = this.start();
    });
    this.ready = this.waitReady();
    return this.ready;
  }

  /** Resolves once the target answers again (after a restart, if it died). */
  async whenReady(): Promise<void> {
    await this.ready;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (res.ok) return;
      } catch {
        /* starting */
      }
      if (Date.now() > deadline) throw new Error('the target did not become ready in 180 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

interface RouteTally {
  statuses: Map<number, number>;
  connectionErrors: number;
  shrinkSteps: number;
  failures: { status: number | string; original: FuzzRequest; shrunk: FuzzRequest; seed: number }[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '24' }, seed: { type: 'string' }, keep: { type: 'boolean', default: false } } });
  const total = Number(values.requests);
  const concurrency = Math.max(1, Number(values.concurrency));
  const seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
  if (!(total > 0 && total <= 10_000_000)) throw new Error('--requests must be 1..10,000,000');

  const [twilio, telegram, x, smtp] = await Promise.all([new FakeTwilio().start(), startFakeTelegram(), startFakeX(), startSmtpServer()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'lapor-fuzz-'));
  const target = new Target(
    await freePort(),
    {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL: SECRETS.publicBaseUrl,
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
      TWILIO_AUTH_TOKEN: SECRETS.twilioAuthToken,
      TWILIO_FROM_NUMBER: '1708',
      TWILIO_API_BASE_URL: twilio.url,
      TELEGRAM_BOT_TOKEN: '7000000002:AAH-fuzz-token',
      TELEGRAM_WEBHOOK_SECRET: SECRETS.telegramSecret,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      X_CONSUMER_KEY: 'fuzz-ck',
      X_CONSUMER_SECRET: SECRETS.xConsumerSecret,
      X_ACCESS_TOKEN: `${SECRETS.xAccountId}-fuzz`,
      X_ACCESS_SECRET: 'fuzz-as',
      X_ACCOUNT_ID: SECRETS.xAccountId,
      WHATSAPP_APP_SECRET: SECRETS.whatsappAppSecret!,
      WHATSAPP_VERIFY_TOKEN: 'fuzz-verify',
      OPEN311_API_KEYS: `fuzz:${SECRETS.open311ApiKey}`,
      X_API_ROOT: x.apiRoot,
      X_API_CA_FILE: x.caFile,
      SMTP_URL: smtp.url,
      ADMIN_API_TOKEN: 'fuzz-admin',
    },
    join(dataDir, 'target.log'),
  );
  console.log(`fuzz: ${total} requests, concurrency ${concurrency}, seed ${seed}; target: npm start (embedded) with its data in ${dataDir}`);
  await target.start();

  const routes = publicRoutes(SECRETS);
  const weights = routes.reduce((n, r) => n + r.weight, 0);
  const tallies = new Map<string, RouteTally>(routes.map((r) => [r.name, { statuses: new Map(), connectionErrors: 0, shrinkSteps: 0, failures: [] }]));
  // Each route's share of the requests, split over workers that run fast-check concurrently.
  const jobs: { route: FuzzRoute; runs: number; seed: number }[] = [];
  let k = 0;
  for (const route of routes) {
    const runs = Math.max(1, Math.round((total * route.weight) / weights));
    const workers = Math.max(1, Math.round((concurrency * route.weight) / weights));
    for (let w = 0; w < workers; w++) jobs.push({ route, runs: Math.ceil(runs / workers), seed: seed + 7919 * k++ });
  }
  const started = Date.now();
  let done = 0;
  const progress = setInterval(() => console.log(`  ${done} requests in ${((Date.now() - started) / 1000).toFixed(0)} s, crashes ${target.crashes.length}`), 15_000);
  await Promise.all(jobs.map((job) => runJob(job, target, tallies.get(job.route.name)!, () => done++)));
  clearInterval(progress);
  const seconds = (Date.now() - started) / 1000;

  // ---- report
  const statuses = [...new Set([...tallies.values()].flatMap((t) => [...t.statuses.keys()]))].sort((a, b) => a - b);
  const lines = [`| route | requests | ${statuses.join(' | ')} | 5xx | no answer |`, `|---|---|${statuses.map(() => '---|').join('')}---|---|`];
  let fivexx = 0;
  let sent = 0;
  let noAnswer = 0;
  for (const [name, t] of tallies) {
    const n = [...t.statuses.values()].reduce((a, b) => a + b, 0) + t.connectionErrors;
    const five = [...t.statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
    fivexx += five;
    sent += n;
    noAnswer += t.connectionErrors;
    lines.push(`| ${name} | ${n} | ${statuses.map((s) => t.statuses.get(s) ?? 0).join(' | ')} | ${five} | ${t.connectionErrors} |`);
  }
  console.log(`\nfuzz: ${sent} requests in ${seconds.toFixed(0)} s (${(sent / seconds).toFixed(0)}/s), seed ${seed}\n`);
  console.log(lines.join('\n'));
  console.log(`\n5xx: ${fivexx}, no answer: ${noAnswer}, process crashes: ${target.crashes.length}`);
  const failures = [...tallies].flatMap(([name, t]) => t.failures.map((f) => ({ name, ...f })));
  for (const f of failures) {
    console.log(`\nFAILED ${f.name}: ${f.status} (seed ${f.seed})\n  shrunk:   ${describeRequest(f.shrunk)}\n  original: ${describeRequest(f.original)}`);
  }
  await target.stop();
  await Promise.allSettled([twilio.stop(), telegram.stop(), x.stop(), smtp.stop()]);
  const ok = fivexx === 0 && noAnswer === 0 && target.crashes.length === 0;
  if (ok && !values.keep) rmSync(dataDir, { recursive: true, force: true });
  else console.log(`\ntarget's data and log kept in ${dataDir}`);
  console.log(ok ? 'fuzz: PASS: no 5xx, no crash' : 'fuzz: FAIL');
  return ok ? 0 : 1;
}

/**
 * fast-check drives the requests, so a failure is shrunk to a small input; after one the
 * job goes on with a new seed until its share is sent (at most 5 failures kept per job).
 */
async function runJob(job: { route: FuzzRoute; runs: number; seed: number }, target: Target, tally: RouteTally, count: () => void): Promise<void> {
  let remaining = job.runs;
  let seed = job.seed;
  while (remaining > 0 && tally.failures.length < 5) {
    let shrinking = false;
    let first: { req: FuzzRequest; status: number | string } | undefined;
    let lastStatus: number | string = 0;
    const property = fc.asyncProperty(job.route.requests, async (req) => {
      await target.whenReady();
      let status: number | string;
      try {
        status = await send(target.url, req);
      } catch (error) {
        status = `no answer (${((error as Error).cause as Error)?.message ?? (error as Error).message})`;
      }
      if (shrinking) tally.shrinkSteps++;
      else {
        count();
        if (typeof status === 'number') tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
        else tally.connectionErrors++;
      }
      const ok = typeof status === 'number' && status < 500;
      if (!ok && !shrinking) {
        first = { req, status };
        shrinking = true;
      }
      if (!ok) lastStatus = status;
      return ok;
    });
    const result = await fc.check(property, { numRuns: remaining, seed, endOnFailure: false, maxSkipsPerRun: 0 });
    remaining -= result.numRuns;
    if (!result.failed) break;
    tally.failures.push({ status: lastStatus, original: first!.req, shrunk: result.counterexample![0] as FuzzRequest, seed });
    seed += 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
