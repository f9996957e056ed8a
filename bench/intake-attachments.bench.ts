/**
 * Does taking attachments slow down the POST that has none? web-intake alone (Fastify, the
 * in-process bus, files in a temporary DATA_DIR), three paths in one process, interleaved:
 * - baseline: main's handler before attachments (RequireJson guard + ZodBody pipe → accept), kept here as a bare copy;
 * - json: today's POST /api/v1/complaints with a JSON body (no attachments);
 * - photo: the same with one 64 KB phone photo as multipart (stored, EXIF removed) — for scale.
 * Prints p50/p95 latency and throughput per path and the ratio json/baseline (1.00 = unchanged).
 *
 *   npm run bench:intake-attachments [-- --requests 1000 --concurrency 16]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Body, Controller, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { CreateComplaintRequest } from '@lapor/contracts';
import { createService, loadConfig, RequireJson, RuntimeModule, ZodBody } from '@lapor/runtime';
import { WebIntakeService } from '../apps/web-intake/src/services/web-intake.service';
import { WebIntakeModule } from '../apps/web-intake/src/web-intake.module';
import { phonePhoto } from '../test/support/attachments';

/** main's POST /api/v1/complaints before this change, verbatim in what it does. */
@Controller('bench/baseline')
class BaselineController {
  constructor(private readonly intake: WebIntakeService) {}

  @Post()
  @HttpCode(202)
  @UseGuards(RequireJson)
  create(@Body(new ZodBody(CreateComplaintRequest)) body: CreateComplaintRequest) {
    return this.intake.accept(body, { channel: 'web', idempotencyKey: randomUUID() });
  }
}

const TEXT = 'Lampu penerangan jalan mati di depan SMPN 2 Kota Bogor sejak minggu lalu';

async function main() {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '16' } } });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const dataDir = mkdtempSync(join(tmpdir(), 'lapor-bench-attachments-'));
  const bus = new InProcessBus();
  await bus.start();
  const config = loadConfig({ LOG_LEVEL: 'error', DATA_DIR: dataDir } as NodeJS.ProcessEnv);
  @Module({ imports: [RuntimeModule.forRoot(config, { clientId: 'web-intake', bus }), WebIntakeModule], controllers: [BaselineController] })
  class BenchModule {}
  const app = await createService(BenchModule, { consumesEvents: false, http: 'fastify' });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const photo = await phonePhoto({ width: 320, height: 240 });

  const paths = {
    baseline: () => fetch(`${url}/bench/baseline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: TEXT }) }),
    json: () => fetch(`${url}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify({ text: TEXT }) }),
    photo: () => {
      const form = new FormData();
      form.append('complaint', JSON.stringify({ text: TEXT }));
      form.append('files', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'foto.jpg');
      return fetch(`${url}/api/v1/complaints`, { method: 'POST', headers: { 'idempotency-key': randomUUID() }, body: form });
    },
  };
  const latencies: Record<string, number[]> = { baseline: [], json: [], photo: [] };
  const seconds: Record<string, number> = { baseline: 0, json: 0, photo: 0 };
  const round = async (name: keyof typeof paths, n: number) => {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < n) {
          const t = performance.now();
          const res = await paths[name]();
          await res.arrayBuffer();
          if (res.status !== 202) throw new Error(`${name}: ${res.status}`);
          latencies[name].push(performance.now() - t);
        }
      }),
    );
    seconds[name] += (performance.now() - t0) / 1000;
  };
  for (const name of Object.keys(paths) as (keyof typeof paths)[]) await round(name, 50); // warm-up
  for (const k of Object.keys(latencies)) (latencies[k] = []), (seconds[k] = 0);
  // Interleaved rounds, so drift of a shared machine hits every path alike.
  const rounds = 5;
  for (let r = 0; r < rounds; r++) {
    for (const name of ['baseline', 'json'] as const) await round(name, requests / rounds);
    await round('photo', Math.max(10, requests / rounds / 10));
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  console.log(`requests per path: ${requests} (photo: ${latencies.photo.length}), concurrency: ${concurrency}, cores: ${require('node:os').cpus().length}`);
  const figures: Record<string, { p50: number; p95: number; perSecond: number }> = {};
  for (const name of Object.keys(paths)) {
    figures[name] = { p50: pct(latencies[name], 50), p95: pct(latencies[name], 95), perSecond: latencies[name].length / seconds[name] };
    console.log(`${name.padEnd(8)} p50 ${figures[name].p50.toFixed(2)} ms  p95 ${figures[name].p95.toFixed(2)} ms  ${figures[name].perSecond.toFixed(0)} req/s`);
  }
  console.log(`ratio json/baseline: p50 ${(figures.json.p50 / figures.baseline.p50).toFixed(2)}, p95 ${(figures.json.p95 / figures.baseline.p95).toFixed(2)}, throughput ${(figures.json.perSecond / figures.baseline.perSecond).toFixed(2)}`);
  console.log(`ratio photo/baseline: p50 ${(figures.photo.p50 / figures.baseline.p50).toFixed(2)}`);
  await app.close();
  await bus.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
