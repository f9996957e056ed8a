/**
 * Level-1 routing on real complaints: start-up cost, speed, and where 8,690 complaints
 * written to Kota Surabaya's own channel end up when routed from their text alone
 * (no form code, no GPS). Every one of them concerns Surabaya or a body above it, so
 * "Kota Surabaya, Provinsi Jawa Timur or a national agency" is plausible and anything
 * else is a mistake; triage is the honest "not sure".
 *
 *   npm run bench:body-routing [-- --data <csv>]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BodyRouter } from '@lapor/routing';
import { readCsv } from '../tools/routing/data';

async function main() {
  const { values } = parseArgs({ options: { data: { type: 'string' } } });
  const file = values.data ?? process.env.COMPLAINTS_CSV ?? join(__dirname, '..', '..', 'shared', 'data', 'complaints', 'surabaya-2022.csv');
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const router = await BodyRouter.load();
  const loadMs = performance.now() - t0;
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1048576;

  const { records } = readCsv(file);
  const texts = records.map((r) => `${(r.text ?? '').replace(/\\n/g, ' ')} ${(r.alamat ?? '').replace(/\\n/g, ' ')}`);
  for (const t of texts.slice(0, 200)) router.route({ text: t }); // warm-up
  const counts = new Map<string, number>();
  const t1 = performance.now();
  for (const text of texts) {
    const d = router.route({ text });
    const key = d.kind === 'triage' ? 'triage' : d.code === '35.78' ? 'Kota Surabaya' : d.code === '35' ? 'Provinsi Jawa Timur' : d.kind === 'agency' ? 'national agency' : 'another region';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const perComplaint = (performance.now() - t1) / texts.length;

  console.log(`complaints: ${texts.length} (text + alamat, no form code, no GPS)`);
  console.log(`load_ms: ${loadMs.toFixed(0)}`);
  console.log(`load_heap_mb: ${heapMb.toFixed(0)}`);
  console.log(`ms_per_complaint: ${perComplaint.toFixed(3)}`);
  for (const k of ['Kota Surabaya', 'Provinsi Jawa Timur', 'national agency', 'triage', 'another region']) {
    const n = counts.get(k) ?? 0;
    console.log(`share_${k.toLowerCase().replace(/ /g, '_')}: ${(n / texts.length).toFixed(4)} (${n})`);
  }
  const plausible = ['Kota Surabaya', 'Provinsi Jawa Timur', 'national agency'].reduce((a, k) => a + (counts.get(k) ?? 0), 0);
  const decided = texts.length - (counts.get('triage') ?? 0);
  console.log(`plausible_of_decided: ${(plausible / Math.max(1, decided)).toFixed(4)} (${plausible} of ${decided} auto-routed)`);
}

void main();
