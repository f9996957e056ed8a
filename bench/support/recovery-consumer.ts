/**
 * One consumer replica for bench/consumer-recovery.bench.ts, as its own OS process so it can
 * be killed with SIGKILL. Prints one JSON line per event: {"joined":[partitions]} and
 * {"handled":value,"partition":p}. SIGTERM stops the bus gracefully (leaves the group).
 */
import { KafkaBus } from '@lapor/bus';
import { logLevel } from 'kafkajs';

const [brokers, topic, group, sessionTimeoutMs, heartbeatIntervalMs] = process.argv.slice(2);
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main() {
  const bus = new KafkaBus({
    brokers: brokers.split(','),
    clientId: `recovery-${process.pid}`,
    sessionTimeoutMs: Number(sessionTimeoutMs),
    heartbeatIntervalMs: Number(heartbeatIntervalMs),
    partitionsConsumedConcurrently: 6,
    logLevel: logLevel.NOTHING,
    observer: { groupJoined: (e) => print({ joined: e.assignment[topic] ?? [] }) },
  });
  bus.subscribe(group, topic, async (r) => void print({ handled: r.value, partition: r.partition }));
  await bus.start();
  process.once('SIGTERM', () => void bus.stop().then(() => process.exit(0)));
}

void main();
