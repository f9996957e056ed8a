// Jest globalSetup: real peers for the whole run.
//  - Kafka: KAFKA_BROKERS if given, else one real broker (scripts/kafka.sh) in .kafka/test on 19092.
//  - PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) must answer;
//    a local cluster that is down is started with pg_ctlcluster.
// Environment set here is inherited by the test workers, which Jest forks afterwards.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { fetchKafka, findFreeBasePort, KafkaCluster, portFree, REPO_ROOT, startKafka } from './support/kafka-broker';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const SHARED_DIR = path.join(REPO_ROOT, '.kafka', 'test');
const SHARED_PORT = 19092;

/** State handed to test/global-teardown.ts (globalSetup and globalTeardown share one process). */
export interface LaporGlobalState {
  kafka?: KafkaCluster;
}
export const GLOBAL_STATE_KEY = '__LAPOR_TEST_GLOBAL__';

function state(): LaporGlobalState {
  const g = globalThis as unknown as Record<string, LaporGlobalState>;
  return (g[GLOBAL_STATE_KEY] ??= {});
}

export default async function globalSetup(): Promise<void> {
  process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;
  const results = await Promise.allSettled([ensurePostgres(process.env.DATABASE_URL), ensureKafka()]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    // Jest skips globalTeardown when globalSetup throws: do not leave a broker behind.
    await state().kafka?.stop().catch(() => undefined);
    state().kafka = undefined;
    throw failed[0].reason;
  }
}

async function ensureKafka(): Promise<void> {
  if (process.env.KAFKA_BROKERS) {
    console.log(`\nkafka: using KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
    return;
  }
  const t0 = Date.now();
  await fetchKafka();
  const { dir, port } = await sharedBrokerLocation();
  const cluster = await startKafka({ nodes: 1, dir, port });
  state().kafka = cluster;
  process.env.KAFKA_BROKERS = cluster.brokers.join(',');
  const rel = path.relative(REPO_ROOT, dir);
  console.log(`\nkafka: broker ${process.env.KAFKA_BROKERS} started in ${((Date.now() - t0) / 1000).toFixed(1)} s (${rel})`);
}

/**
 * .kafka/test on 19092 normally. If another Jest run in this tree is using it right now (its owner
 * process is alive), take a per-process dir and the next free ports instead of stopping its broker.
 * A broker left behind by a crashed run is stopped and replaced by scripts/kafka.sh start.
 */
async function sharedBrokerLocation(): Promise<{ dir: string; port: number }> {
  const ownerFile = path.join(SHARED_DIR, 'owner.pid');
  fs.mkdirSync(SHARED_DIR, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(ownerFile, `${process.pid}\n`, { flag: 'wx' }); // atomic: one run wins
      // The port may be held by something outside this tree (another checkout's broker): then
      // this run takes its own dir and free ports. A broker of our own left by a crashed run
      // holds it too, but kafka.sh stops and replaces that one, so only a foreign holder counts.
      if ((await Promise.all([SHARED_PORT, SHARED_PORT + 1].map(portFree))).every(Boolean) || ownBrokerAlive(SHARED_DIR)) {
        return { dir: SHARED_DIR, port: SHARED_PORT };
      }
      fs.rmSync(ownerFile, { force: true });
      const dir = path.join(REPO_ROOT, '.kafka', `test-${process.pid}`);
      const port = await findFreeBasePort(1, SHARED_PORT + 10);
      console.log(`\nkafka: port ${SHARED_PORT} is held outside this tree; using ${path.relative(REPO_ROOT, dir)} on ${port}`);
      return { dir, port };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(fs.readFileSync(ownerFile, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
      const dir = path.join(REPO_ROOT, '.kafka', `test-${process.pid}`);
      const port = await findFreeBasePort(1, SHARED_PORT + 10);
      console.log(`\nkafka: .kafka/test is in use by Jest process ${owner}; using ${path.relative(REPO_ROOT, dir)} on ${port}`);
      return { dir, port };
    }
    fs.rmSync(ownerFile, { force: true }); // left by a run that died; its broker is replaced by `start`
  }
  throw new Error(`could not take ${ownerFile}`);
}

/** Whether a broker started from `dir` by scripts/kafka.sh still runs (its pid file names a live JVM of that dir). */
function ownBrokerAlive(dir: string): boolean {
  const pidFile = path.join(dir, 'node-1', 'pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function pgAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`.trimEnd())) : resolve(stdout),
    );
  });
}

async function ensurePostgres(url: string): Promise<void> {
  if (await pgAnswers(url)) return;
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
    throw new Error(`PostgreSQL at ${url} does not answer (not local, so not starting it)`);
  }
  let versions: string[] = [];
  try {
    versions = fs.readdirSync('/etc/postgresql').sort();
  } catch {
    throw new Error(`PostgreSQL at ${url} does not answer and /etc/postgresql does not exist`);
  }
  console.log(`\npostgres: not answering at ${url}; starting cluster(s) ${versions.join(', ')}/main`);
  for (const v of versions) {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start']).catch((err: Error) => {
      // "Cluster is already running" is fine; anything else is reported if it still does not answer.
      console.log(`postgres: ${err.message.split('\n')[0]}`);
    });
  }
  const deadline = Date.now() + 30_000;
  while (!(await pgAnswers(url))) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL at ${url} still does not answer 30 s after pg_ctlcluster start`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
