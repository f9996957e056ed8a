// Jest globalTeardown: stops the Kafka broker that test/global-setup.ts started (never one given
// through KAFKA_BROKERS). PostgreSQL is left running.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLOBAL_STATE_KEY, LaporGlobalState } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as unknown as Record<string, LaporGlobalState | undefined>;
  const cluster = g[GLOBAL_STATE_KEY]?.kafka;
  if (!cluster) return;
  g[GLOBAL_STATE_KEY] = {};
  await cluster.stop();
  const ownerFile = path.join(cluster.dir, 'owner.pid');
  if (fs.existsSync(ownerFile) && fs.readFileSync(ownerFile, 'utf8').trim() === String(process.pid)) {
    fs.rmSync(ownerFile, { force: true });
  } else if (path.basename(cluster.dir) === `test-${process.pid}`) {
    // per-process fallback dir (another run owned .kafka/test): nothing to keep
    fs.rmSync(cluster.dir, { recursive: true, force: true });
  }
}
