// Real Apache Kafka for Jest: thin wrapper over scripts/kafka.sh (KRaft JVMs from Maven jars).
// Used by test/global-setup.ts (one shared broker) and by tests that need their own cluster
// (e.g. to kill a node while the shared broker keeps running).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Admin, ITopicConfig, Kafka, logLevel, PartitionMetadata } from 'kafkajs';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const KAFKA_SCRIPT = path.join(REPO_ROOT, 'scripts', 'kafka.sh');

export interface KafkaCluster {
  /** host:port of every node, node 1 first (same order as the script's bootstrap list). */
  brokers: string[];
  /** Absolute data/state directory of this cluster. */
  dir: string;
  nodes: 1 | 3;
  /** Stops every node (SIGTERM, then SIGKILL after the script's timeout). */
  stop(): Promise<void>;
  /** kill -9 one node (1-based; equals the Kafka node.id / broker id). */
  kill(node: number): Promise<void>;
  /** Starts a killed node again on its existing storage and waits until it serves. */
  restart(node: number): Promise<void>;
}

export interface StartKafkaOptions {
  nodes?: 1 | 3;
  /** Relative paths are resolved against the repository root. */
  dir: string;
  /** Base port: node i uses port + 100*(i-1) (clients) and that + 1 (controller). */
  port: number;
  /** Keep existing storage instead of starting from a clean data dir. */
  keep?: boolean;
  /** Extra JVM flags for every node (KAFKA_JVM_OPTS of scripts/kafka.sh), also on restarts. */
  jvmOpts?: string;
}

/** Runs scripts/kafka.sh; rejects with the script's stderr in the message. */
export function runKafkaScript(args: string[], timeoutMs = 180_000, env: NodeJS.ProcessEnv = process.env): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [KAFKA_SCRIPT, ...args],
      { cwd: REPO_ROOT, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          const why = err.killed ? `timed out after ${timeoutMs} ms` : `exit code ${String(err.code)}`;
          reject(new Error(`scripts/kafka.sh ${args.join(' ')} failed (${why}):\n${stderr}`.trimEnd()));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** Copies the Kafka jars from Maven Central once (no-op when infra/kafka/target/libs is complete). */
export async function fetchKafka(): Promise<void> {
  await runKafkaScript(['fetch'], 600_000);
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1].trim();
}

export async function startKafka(opts: StartKafkaOptions): Promise<KafkaCluster> {
  const nodes = opts.nodes ?? 1;
  const dir = path.resolve(REPO_ROOT, opts.dir);
  const base = ['--dir', dir];
  const args = ['start', '--nodes', String(nodes), ...base, '--port', String(opts.port)];
  if (opts.keep) args.push('--keep');
  const env = opts.jvmOpts ? { ...process.env, KAFKA_JVM_OPTS: `${process.env.KAFKA_JVM_OPTS ?? ''} ${opts.jvmOpts}`.trim() } : process.env;
  const { stdout } = await runKafkaScript(args, 600_000, env);
  const brokers = lastLine(stdout).split(',');
  if (brokers.length !== nodes || !brokers.every((b) => /^127\.0\.0\.1:\d+$/.test(b))) {
    throw new Error(`scripts/kafka.sh start printed an unexpected bootstrap list: ${JSON.stringify(stdout)}`);
  }
  // The script already waited for "Kafka Server started" and an open port; also make sure a
  // kafkajs client sees every node in the cluster metadata.
  try {
    await waitForKafka(brokers, 60_000, nodes);
  } catch (err) {
    await runKafkaScript(['stop', ...base]).catch(() => undefined);
    throw err;
  }

  const checkNode = (node: number) => {
    if (!Number.isInteger(node) || node < 1 || node > nodes) throw new Error(`node must be 1..${nodes}, got ${node}`);
  };
  return {
    brokers,
    dir,
    nodes,
    async stop() {
      await runKafkaScript(['stop', ...base]);
      releasePorts(kafkaPorts(nodes, opts.port));
    },
    async kill(node: number) {
      checkNode(node);
      await runKafkaScript(['kill', '--node', String(node), ...base]);
    },
    async restart(node: number) {
      checkNode(node);
      await runKafkaScript(['restart-node', '--node', String(node), ...base], 180_000, env);
      await waitForKafka(brokers, 60_000, nodes);
    },
  };
}

/**
 * Polls describeCluster until it answers (and, if given, lists at least `expectBrokers` brokers).
 * Rejects with the last error after `timeoutMs`.
 */
export async function waitForKafka(brokers: string[], timeoutMs = 60_000, expectBrokers = 1): Promise<void> {
  const kafka = new Kafka({
    clientId: 'readiness',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const { brokers: seen } = await admin.describeCluster();
      if (seen.length >= expectBrokers) return;
      lastError = new Error(`describeCluster lists ${seen.length} of ${expectBrokers} brokers`);
    } catch (err) {
      lastError = err;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      throw new Error(`Kafka at ${brokers.join(',')} not ready after ${timeoutMs} ms: ${String(lastError)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ports scripts/kafka.sh uses for `nodes` nodes at base port `base`. */
export function kafkaPorts(nodes: number, base: number): number[] {
  const ports: number[] = [];
  for (let i = 0; i < nodes; i++) ports.push(base + 100 * i, base + 100 * i + 1);
  return ports;
}

// Port reservations shared by every Jest worker and every concurrent test run in this checkout:
// one file per port in .kafka/.ports holding the owner's pid, created with O_EXCL. A reservation
// whose owner process is gone is stale and taken over. Released by KafkaCluster.stop() and at exit.
const PORTS_DIR = path.join(REPO_ROOT, '.kafka', '.ports');
const reservedHere = new Set<number>();
let exitHookInstalled = false;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function reservePort(port: number): boolean {
  fs.mkdirSync(PORTS_DIR, { recursive: true });
  const file = path.join(PORTS_DIR, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      reservedHere.add(port);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once('exit', () => releasePorts([...reservedHere]));
      }
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && pidAlive(owner)) return false;
      fs.rmSync(file, { force: true }); // stale: its owner died without releasing it
    }
  }
  return false;
}

/** Drops this process's reservations of `ports` (others' reservations are left alone). */
export function releasePorts(ports: number[]): void {
  for (const port of ports) {
    if (!reservedHere.delete(port)) continue;
    const file = path.join(PORTS_DIR, String(port));
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  }
}

/** True if nothing listens on 127.0.0.1:port and we can bind it. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * A base port whose scripts/kafka.sh ports (base+100*i and +1, for `nodes` nodes) are all free,
 * trying from `from` upwards in steps of 10, and reserves those ports for this process (see above),
 * so concurrent Jest workers and test runs never pick the same ports. Always use it for private
 * clusters; startKafka(...).stop() releases the reservation.
 */
export async function findFreeBasePort(nodes: number, from: number, attempts = 50): Promise<number> {
  for (let k = 0; k < attempts; k++) {
    const base = from + 10 * k;
    const ports = kafkaPorts(nodes, base);
    const got: number[] = [];
    let ok = true;
    for (const port of ports) {
      if (reservePort(port)) got.push(port);
      else {
        ok = false;
        break;
      }
    }
    if (ok && (await Promise.all(ports.map(portFree))).every(Boolean)) return base;
    releasePorts(got);
  }
  throw new Error(`no free Kafka base port found from ${from} (${attempts} tries)`);
}

/** Removes a cluster directory created by startKafka (after stop()). */
export function removeKafkaDir(dir: string): void {
  fs.rmSync(path.resolve(REPO_ROOT, dir), { recursive: true, force: true });
}

/**
 * createTopics, then wait until every partition has a leader in 3 metadata answers in a row
 * (kafkajs asks a random broker each time, and each broker answers from its own cache).
 * Use instead of `createTopics({ waitForLeaders: true })`: kafkajs 2.2.4 retries that wait only on
 * LEADER_NOT_AVAILABLE and fails on UNKNOWN_TOPIC_OR_PARTITION, which a multi-broker KRaft cluster
 * returns while the new topic is still reaching the other brokers' metadata caches.
 * Returns the partitions' metadata of the last answer.
 */
export async function createTopicAndWait(admin: Admin, topic: ITopicConfig, timeoutMs = 30_000): Promise<PartitionMetadata[]> {
  await admin.createTopics({ topics: [topic], waitForLeaders: false });
  const deadline = Date.now() + timeoutMs;
  const expected = topic.numPartitions ?? 1;
  let last: unknown;
  let inARow = 0;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic.topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (partitions.length >= expected && partitions.every((p) => p.leader >= 0)) {
        if (++inARow >= 3) return partitions;
        continue;
      }
      last = new Error(`${partitions.filter((p) => p.leader >= 0).length}/${expected} partitions have a leader`);
    } catch (err) {
      last = err;
    }
    inARow = 0;
    if (Date.now() > deadline) throw new Error(`topic ${topic.topic} has no leaders after ${timeoutMs} ms: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
