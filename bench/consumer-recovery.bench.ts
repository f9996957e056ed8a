/**
 * How long the partitions of a consumer that stops stay without a consumer, on real Kafka:
 * a replica killed with SIGKILL (its partitions wait for its session to time out), the only
 * replica killed and restarted, and a replica stopped gracefully (it leaves its group).
 * Baseline, in the same run: the settings before issue 8 (session 30 s, heartbeat 3 s).
 *
 *   npm run bench:consumer-recovery [-- --rounds 2]
 *
 * Each replica is its own OS process (bench/support/recovery-consumer.ts). A record is
 * published every 20 ms across 6 partitions; the stall is the time from the kill until a
 * live replica handles a record of the stopped one's partitions again (first / all of them).
 * Starts its own Kafka broker unless KAFKA_BROKERS is set. Loopback only, bounded.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { KafkaBus } from '@lapor/bus';
import { logLevel } from 'kafkajs';
import { findFreeBasePort, REPO_ROOT, startKafka } from '../test/support/kafka-broker';

const PARTITIONS = 6;

interface Settings {
  name: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
}
const NOW: Settings = { name: 'now: session 10 s, heartbeat 1 s', sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 };
const BEFORE: Settings = { name: 'before: session 30 s, heartbeat 3 s', sessionTimeoutMs: 30_000, heartbeatIntervalMs: 3000 };

/** One replica in a child process, with what it reported. */
class Replica {
  readonly child: ChildProcess;
  assignment: number[] | undefined;
  readonly handled: { partition: number; at: number }[] = [];

  constructor(brokers: string, topic: string, group: string, s: Settings) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', 'bench/support/recovery-consumer.ts', brokers, topic, group, String(s.sessionTimeoutMs), String(s.heartbeatIntervalMs)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const e = JSON.parse(line) as { joined?: number[]; partition?: number };
      if (e.joined) this.assignment = e.joined;
      else this.handled.push({ partition: e.partition!, at: performance.now() });
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  exited(): Promise<void> {
    return this.child.exitCode !== null || this.child.signalCode !== null ? Promise.resolve() : new Promise((r) => this.child.once('exit', () => r()));
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Time from `t0` until `replicas` handled a record of each of `partitions` (first one, and all). */
async function stall(replicas: Replica[], partitions: number[], t0: number): Promise<{ first: number; all: number }> {
  const firstAt = (p: number) => Math.min(...replicas.flatMap((r) => r.handled.filter((h) => h.partition === p && h.at > t0).map((h) => h.at)));
  await until(() => partitions.every((p) => Number.isFinite(firstAt(p))), 'the partitions to be consumed again');
  const times = partitions.map((p) => firstAt(p) - t0);
  return { first: Math.min(...times) / 1000, all: Math.max(...times) / 1000 };
}

async function round(brokers: string, scenario: 'takeover' | 'restart', signal: NodeJS.Signals, s: Settings) {
  const topic = `bench.recovery.${randomUUID().slice(0, 8)}`;
  const group = `bench-recovery-${randomUUID().slice(0, 8)}`;
  const producer = new KafkaBus({ brokers: brokers.split(','), clientId: 'recovery-producer', logLevel: logLevel.NOTHING, topics: [{ name: topic, partitions: PARTITIONS }] });
  await producer.start();
  let publishing = true;
  let n = 0;
  const publisher = (async () => {
    while (publishing) {
      await producer.publish({ topic, key: `k${n % 60}`, value: String(n++) });
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const replicas: Replica[] = [];
  try {
    const victim = new Replica(brokers, topic, group, s);
    replicas.push(victim);
    await until(() => victim.handled.length > 0, 'the first replica to consume');
    let survivors: Replica[] = [];
    if (scenario === 'takeover') {
      const other = new Replica(brokers, topic, group, s);
      replicas.push(other);
      // A stable split: both have partitions, together all of them, and both consume.
      await until(
        () =>
          !!victim.assignment?.length &&
          !!other.assignment?.length &&
          victim.assignment.length + other.assignment.length === PARTITIONS &&
          other.handled.length > 0,
        'the two replicas to share the partitions',
      );
      const settled = performance.now();
      await until(() => victim.handled.some((h) => h.at > settled) && other.handled.some((h) => h.at > settled), 'both replicas to consume');
      survivors = [other];
    }
    const orphaned = [...victim.assignment!];
    const t0 = performance.now();
    victim.kill(signal);
    if (scenario === 'restart') {
      await victim.exited();
      const restarted = new Replica(brokers, topic, group, s);
      replicas.push(restarted);
      survivors = [restarted];
    }
    return await stall(survivors, orphaned, t0);
  } finally {
    publishing = false;
    await publisher;
    for (const r of replicas) r.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited()));
    await producer.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

async function main() {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' } } });
  const rounds = Number(values.rounds);
  let kafka: Awaited<ReturnType<typeof startKafka>> | undefined;
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    kafka = await startKafka({ nodes: 1, dir: `.kafka/bench-${process.pid}`, port: await findFreeBasePort(1, 39192) });
    brokers = kafka.brokers.join(',');
  }
  const cases: { label: string; scenario: 'takeover' | 'restart'; signal: NodeJS.Signals; settings: Settings }[] = [
    { label: 'kill -9, the other replica takes over', scenario: 'takeover', signal: 'SIGKILL', settings: NOW },
    { label: 'kill -9, the other replica takes over', scenario: 'takeover', signal: 'SIGKILL', settings: BEFORE },
    { label: 'kill -9, the only replica restarted', scenario: 'restart', signal: 'SIGKILL', settings: NOW },
    { label: 'kill -9, the only replica restarted', scenario: 'restart', signal: 'SIGKILL', settings: BEFORE },
    { label: 'SIGTERM (graceful stop), the other takes over', scenario: 'takeover', signal: 'SIGTERM', settings: NOW },
  ];
  const results: { label: string; settings: string; first: number; all: number }[] = [];
  try {
    for (const c of cases) {
      const runs = [];
      for (let i = 0; i < rounds; i++) runs.push(await round(brokers, c.scenario, c.signal, c.settings));
      const r = { label: c.label, settings: c.settings.name, first: median(runs.map((x) => x.first)), all: median(runs.map((x) => x.all)) };
      results.push(r);
      console.error(`${r.label} (${r.settings}): ${runs.map((x) => `${x.first.toFixed(1)}/${x.all.toFixed(1)} s`).join(', ')}`);
    }
  } finally {
    await kafka?.stop();
  }
  console.log(`\nConsumer recovery on Kafka (${PARTITIONS} partitions, a record every 20 ms, median of ${rounds} round(s)): seconds from the stop until the stopped replica's partitions are consumed again`);
  console.log('| scenario | settings | first partition | all partitions |');
  console.log('|---|---|---|---|');
  for (const r of results) console.log(`| ${r.label} | ${r.settings} | ${r.first.toFixed(1)} s | ${r.all.toFixed(1)} s |`);
  const ratio = (label: string) => {
    const [now, before] = [NOW, BEFORE].map((s) => results.find((r) => r.label === label && r.settings === s.name)!);
    return `${label}: ×${(before.all / now.all).toFixed(1)} faster than before`;
  };
  console.log(`\n${ratio('kill -9, the other replica takes over')}; ${ratio('kill -9, the only replica restarted')}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
