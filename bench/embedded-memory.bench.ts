/**
 * `npm start`'s memory: RSS of the embedded process (in-process bus, PGlite) when it has
 * started, after `--complaints` complaints were filed through the web API and routed, and
 * after it was restarted on the same data folder (what a returning user sees). Also the V8
 * heap (used/total) as the process reports it on /proc, and where the memory goes: the
 * process is started with --heapsnapshot-signal, and `--snapshot` writes a heap snapshot at
 * the end, summarised by constructor.
 *
 *   npm run bench:embedded-memory [-- --complaints 10000 --concurrency 16 --snapshot]
 *
 * Loopback only, bounded by the complaint count.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Proc } from './load/processes';

const { values } = parseArgs({ options: { complaints: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '16' }, snapshot: { type: 'boolean', default: false } } });
const total = Number(values.complaints);
const TEXTS = [
  { text: 'Jalan berlubang besar di Kecamatan Coblong, Kota Bandung, sudah dua bulan tidak diperbaiki', regionCode: '32.73' },
  { text: 'Sampah menumpuk di pasar Kelurahan Ketintang, Surabaya, tidak diangkut seminggu', regionCode: '35.78' },
  { text: 'Perpanjangan paspor di kantor imigrasi ditolak tanpa alasan yang jelas' },
  { text: 'Lampu penerangan jalan mati di depan SMPN 2 Kota Bogor sejak bulan lalu', regionCode: '32.71' },
];

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function start(dataDir: string, port: number, snapshotDir: string): Promise<Proc> {
  const proc = new Proc('embedded', ['-r', '@swc-node/register', 'apps/embedded/src/main.ts'], { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', HOST: '127.0.0.1' }, [
    '--heapsnapshot-signal=SIGUSR2',
    `--diagnostic-dir=${snapshotDir}`,
  ]);
  await proc.waitHealthy(`http://127.0.0.1:${port}/health/live`, 300_000);
  return proc;
}

/** Lets the process settle (GC after the burst), then reads its RSS. */
async function settledRss(proc: Proc): Promise<number> {
  await new Promise((r) => setTimeout(r, 3000));
  return proc.rssMb();
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'lapor-embedded-mem-'));
  const snapshotDir = mkdtempSync(join(tmpdir(), 'lapor-embedded-heap-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const figures: [string, number][] = [];
  let proc = await start(dataDir, port, snapshotDir);
  try {
    figures.push(['started, empty', await settledRss(proc)]);
    proc.watchPeak();
    const ids: string[] = [];
    let retries = 0;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Number(values.concurrency) }, async () => {
        for (let i = next++; i < total; i = next++) {
          const story = TEXTS[i % TEXTS.length];
          const post = () =>
            fetch(`${url}/api/v1/complaints`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${i}` },
              body: JSON.stringify({ ...story, text: `${story.text} (#${i})`, reporter: { email: `warga${i % 500}@example.com` } }),
            });
          // fetch reuses kept-alive connections the server may have closed meanwhile (after 5 s idle):
          // then the same POST again, with the same Idempotency-Key.
          let res: Response | undefined;
          for (let attempt = 1; !res; attempt++) {
            res = await post().catch((error: Error) => {
              if (attempt >= 5) throw error;
              retries++;
              return undefined;
            });
          }
          if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
          ids.push(((await res.json()) as { trackingId: string }).trackingId);
        }
      }),
    );
    const postSeconds = (performance.now() - t0) / 1000;
    // Routed: the last complaint filed has left "received".
    for (const id of ids.slice(-20)) {
      for (;;) {
        const res = await fetch(`${url}/api/v1/complaints/${id}`);
        if (res.ok && ((await res.json()) as { status: string }).status !== 'received') break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    figures.push([`peak while ${total} complaints were filed (${(total / postSeconds).toFixed(0)}/s, ${retries} POSTs repeated after a reset connection) and routed`, proc.peakMb()]);
    figures.push([`after ${total} complaints, settled`, await settledRss(proc)]);
    if (values.snapshot) {
      proc.child.kill('SIGUSR2');
      // Written synchronously by the process: done when its size stops changing.
      let last = -1;
      for (;;) {
        await new Promise((r) => setTimeout(r, 2000));
        const f = readdirSync(snapshotDir).find((n) => n.endsWith('.heapsnapshot'));
        const size = f ? statSync(join(snapshotDir, f)).size : -1;
        if (size > 0 && size === last) break;
        last = size;
      }
    }
    await proc.stop();
    proc = await start(dataDir, port, snapshotDir);
    figures.push([`restarted on the same data (${total} complaints in the journal and database)`, await settledRss(proc)]);
  } finally {
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\n## bench:embedded-memory — ${new Date().toISOString()} (npm start: in-process bus + PGlite)\n`);
  console.log('| moment | RSS MB |\n|---|---:|');
  for (const [k, v] of figures) console.log(`| ${k} | ${v.toFixed(0)} |`);
  const snapshots = readdirSync(snapshotDir).filter((f) => f.endsWith('.heapsnapshot'));
  if (snapshots.length) console.log(`\nheap snapshot: ${join(snapshotDir, snapshots[0])}\n${summariseSnapshot(join(snapshotDir, snapshots[0]))}`);
  process.exit(0);
}

/** Self size by constructor name, the 15 largest (what Chrome DevTools' "Summary" view shows). */
function summariseSnapshot(file: string): string {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: string[][] } }; nodes: number[]; strings: string[] };
  const fields = snap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const bySize = new Map<string, number>();
  let totalSize = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]];
    const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + nameAt]] : `(${type})`;
    const size = snap.nodes[i + sizeAt];
    totalSize += size;
    bySize.set(name, (bySize.get(name) ?? 0) + size);
  }
  return [`V8 heap ${(totalSize / 2 ** 20).toFixed(0)} MB by constructor (self size):`, ...[...bySize].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `  ${(v / 2 ** 20).toFixed(1).padStart(7)} MB  ${k}`)].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
