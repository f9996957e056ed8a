/**
 * Level-1 routing on real complaints: start-up cost, speed, and where 8,690 complaints
 * written to Kota Surabaya's own channel end up when routed from their text alone
 * (no form code, no GPS). Every one of them concerns Surabaya or a body above it, so
 * "Kota Surabaya, Provinsi Jawa Timur or a national agency" is plausible and anything
 * else is a mistake; triage is the honest "not sure".
 *
 *   npm run bench:body-routing [-- --data <csv>] [--show-wrong N]
 *
 * --show-wrong N prints N "another region" decisions (evenly spread over the file) with the place
 * evidence and a short window of text around each place name: enough to see the mechanism at
 * fault without printing whole complaints (the data is personal; keep the output local).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RoutingDecision } from '@lapor/contracts';
import { BodyRouter } from '@lapor/routing';
import { readCsv } from '../tools/routing/data';

async function main() {
  const { values } = parseArgs({ options: { data: { type: 'string' }, 'show-wrong': { type: 'string' } } });
  const showWrong = Math.max(0, Number(values['show-wrong'] ?? 0) || 0);
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
  const wrong: Array<{ i: number; d: RoutingDecision }> = [];
  const t1 = performance.now();
  for (const [i, text] of texts.entries()) {
    const d = router.route({ text });
    const key = d.kind === 'triage' ? 'triage' : d.code === '35.78' ? 'Kota Surabaya' : d.code === '35' ? 'Provinsi Jawa Timur' : d.kind === 'agency' ? 'national agency' : 'another region';
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (key === 'another region' && showWrong) wrong.push({ i, d });
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

  if (showWrong && wrong.length) {
    const culprits = new Map<string, number>();
    for (const { d } of wrong) for (const e of d.evidence) if (e.type === 'place_name' && e.ref) culprits.set(e.ref, (culprits.get(e.ref) ?? 0) + 1);
    console.log(`\nanother region, place names involved (top 15): ${[...culprits].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    const step = wrong.length / Math.min(showWrong, wrong.length);
    for (let k = 0; k < Math.min(showWrong, wrong.length); k++) {
      const { i, d } = wrong[Math.floor(k * step)];
      const id = records[i].id ?? String(i);
      console.log(`\n#${id} -> ${d.name} (${d.code}, confidence ${d.confidence})`);
      for (const e of d.evidence) {
        if (e.type !== 'place_name' && !(e.type === 'note' && /ambiguous|ignored|resolved/.test(e.detail))) continue;
        console.log(`  ${e.type}: ${e.detail.length > 240 ? e.detail.slice(0, 240) + '…' : e.detail}`);
        if (e.type === 'place_name' && e.ref) console.log(`    context: …${around(texts[i], e.ref)}…`);
      }
    }
  }
}

/** ~50 characters either side of the first occurrence of a place name (spaces and case ignored). */
function around(text: string, ref: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const re = new RegExp(ref.split(' ').map((w) => w.replace(/[^a-z0-9]/g, '')).join('[^a-z0-9]*'), 'i');
  const m = re.exec(flat);
  if (!m) return '(not found verbatim)';
  return flat.slice(Math.max(0, m.index - 50), m.index + m[0].length + 50);
}

void main();
