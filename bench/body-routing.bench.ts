/**
 * Level-1 routing, two parts.
 *
 * 1. The public case set (bench/cases/body-routing-cases.csv, hand-written from public knowledge of how
 *    Indonesian government is organised; see docs/body-routing-cases.md): precision of the auto-assigned,
 *    coverage of the answerable, triage recall of the no-answer cases and errors per expected kind, on the
 *    TUNING part and on the HELD-ASIDE part separately. The held-aside part is fixed by a hash of the text
 *    (FNV-1a 32-bit of the UTF-8 text, mod 4 = 0 → held aside, about a quarter) and was never looked at while
 *    tuning; `--show-errors` lists errors of the tuning part only. Each figure is printed next to the bare
 *    baseline (the same router with the rules file alone, without the national-services and province-facility
 *    catalogues) run in the same invocation.
 * 2. Real complaints: start-up cost, speed, and where 8,690 complaints
 * written to Kota Surabaya's own channel end up when routed from their text alone
 * (no form code, no GPS). Every one of them concerns Surabaya or a body above it, so
 * "Kota Surabaya, Provinsi Jawa Timur or a national agency" is plausible and anything
 * else is a mistake; triage is the honest "not sure".
 *
 *   npm run bench:body-routing [-- --cases <csv>] [--show-errors] [--data <csv>] [--show-wrong N] [--no-real]
 *
 * --show-wrong N prints N "another region" decisions (evenly spread over the file) with the place
 * evidence and a short window of text around each place name: enough to see the mechanism at
 * fault without printing whole complaints (the data is personal; keep the output local).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { RoutingDecision } from '@lapor/contracts';
import { BodyRouter, defaultRulesFile } from '@lapor/routing';
import { readCsv, requireColumns } from '../tools/routing/data';

const CASE_COLUMNS = ['text', 'channel', 'given_region_code', 'lat', 'lon', 'expected_kind', 'expected_code', 'acceptable_alternatives', 'rationale'];

/** FNV-1a 32-bit over the UTF-8 bytes: the fixed held-aside split (hash mod 4 = 0). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}
export const isHeldAside = (text: string) => fnv1a(text) % 4 === 0;

interface Case { text: string; regionCode?: string; point?: { lat: number; lon: number }; kind: string; code: string; accept: string[]; rationale: string }
interface CaseScore { precision: number; coverage: number; correctCoverage: number; triageRecall: number; n: number; answerable: number; auto: number; noAnswer: number; errorsByKind: Map<string, number>; errors: Array<{ c: Case; d: RoutingDecision }> }

function score(router: BodyRouter, cases: Case[]): CaseScore {
  let auto = 0, autoRight = 0, answerable = 0, answerableAuto = 0, noAnswer = 0, noAnswerTriaged = 0;
  const errorsByKind = new Map<string, number>();
  const errors: CaseScore['errors'] = [];
  for (const c of cases) {
    const d = router.route({ text: c.text, regionCode: c.regionCode, point: c.point });
    const routed = d.kind !== 'triage';
    const right = c.kind === 'triage' ? !routed : routed && (d.code === c.code || c.accept.includes(d.code));
    if (routed) { auto++; if (right) autoRight++; }
    if (c.kind === 'triage') { noAnswer++; if (!routed) noAnswerTriaged++; }
    else { answerable++; if (routed) answerableAuto++; }
    if (!right) { errorsByKind.set(c.kind, (errorsByKind.get(c.kind) ?? 0) + 1); errors.push({ c, d }); }
  }
  return {
    precision: autoRight / Math.max(1, auto),
    coverage: answerableAuto / Math.max(1, answerable),
    correctCoverage: (autoRight - 0) / Math.max(1, answerable),
    triageRecall: noAnswerTriaged / Math.max(1, noAnswer),
    n: cases.length, answerable, auto, noAnswer, errorsByKind, errors,
  };
}

/** The bare baseline: the same rules file without its `include`d catalogues. */
function bareRulesFile(): string {
  const main = defaultRulesFile();
  const data = parseYaml(readFileSync(main, 'utf8')) as Record<string, unknown>;
  delete data.include;
  const file = join(mkdtempSync(join(tmpdir(), 'body-routing-bare-')), 'responsibility-rules.yaml');
  writeFileSync(file, stringifyYaml(data));
  return file;
}

function readCases(file: string): Case[] {
  const { columns, records } = readCsv(file);
  requireColumns(file, columns, CASE_COLUMNS);
  return records.map((r) => ({
    text: r.text ?? '',
    ...(r.given_region_code ? { regionCode: r.given_region_code } : {}),
    ...(r.lat && r.lon ? { point: { lat: Number(r.lat), lon: Number(r.lon) } } : {}),
    kind: r.expected_kind ?? '',
    code: r.expected_code ?? '',
    accept: (r.acceptable_alternatives ?? '').split(';').map((s) => s.trim()).filter(Boolean),
    rationale: r.rationale ?? '',
  }));
}

async function caseSet(file: string, showErrors: boolean): Promise<void> {
  const cases = readCases(file);
  const held = cases.filter((c) => isHeldAside(c.text));
  const tuning = cases.filter((c) => !isHeldAside(c.text));
  const router = await BodyRouter.load();
  const bare = await BodyRouter.load({ rulesFile: bareRulesFile() });
  const f = (x: number) => x.toFixed(4);
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : 'n/a');
  console.log(`# case set: ${file}`);
  console.log(`cases: ${cases.length} (tuning ${tuning.length}, held-aside ${held.length}: FNV-1a(text) mod 4 = 0, never tuned on)`);
  for (const [name, part] of [['tuning', tuning], ['held_aside', held]] as const) {
    const s = score(router, part);
    const b = score(bare, part);
    console.log(`\n## ${name}: ${s.n} cases, ${s.answerable} answerable, ${s.noAnswer} no-answer`);
    console.log(`${name}_precision_of_auto_assigned: ${f(s.precision)} (${s.auto} auto-assigned)  bare ${f(b.precision)}  ratio ${ratio(s.precision, b.precision)}  target 0.95 ${s.precision >= 0.95 ? 'MET' : 'not met'}`);
    console.log(`${name}_coverage_of_answerable: ${f(s.coverage)}  bare ${f(b.coverage)}  ratio ${ratio(s.coverage, b.coverage)}  target 0.80 ${s.coverage >= 0.8 ? 'MET' : 'not met'}`);
    console.log(`${name}_correct_of_answerable: ${f(s.correctCoverage)}  bare ${f(b.correctCoverage)}`);
    console.log(`${name}_triage_recall: ${f(s.triageRecall)}  bare ${f(b.triageRecall)}  ratio ${ratio(s.triageRecall, b.triageRecall)}  target 0.80 ${s.triageRecall >= 0.8 ? 'MET' : 'not met'}`);
    console.log(`${name}_errors_by_expected_kind: ${['kota', 'kabupaten', 'province', 'agency', 'triage'].map((k) => `${k} ${s.errorsByKind.get(k) ?? 0}`).join(', ')}  (bare: ${['kota', 'kabupaten', 'province', 'agency', 'triage'].map((k) => `${k} ${b.errorsByKind.get(k) ?? 0}`).join(', ')})`);
    if (showErrors && name === 'tuning') {
      for (const { c, d } of s.errors) console.log(`  ✗ [${c.kind} ${c.code}] → ${d.kind} ${d.code} (${d.confidence}) ${c.text.slice(0, 110)}  | ${d.evidence.filter((e) => e.type === 'rule' || e.type === 'place_name').map((e) => e.ref).join(',')}`);
    }
  }
}

async function main() {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, 'show-wrong': { type: 'string' }, cases: { type: 'string' }, 'show-errors': { type: 'boolean' }, 'no-real': { type: 'boolean' } },
  });
  await caseSet(values.cases ?? join(__dirname, 'cases', 'body-routing-cases.csv'), !!values['show-errors']);
  if (values['no-real']) return;
  console.log('\n# real complaints (Surabaya 2022, text only)');
  const showWrong = Math.max(0, Number(values['show-wrong'] ?? 0) || 0);
  const file = values.data ?? process.env.COMPLAINTS_CSV ?? [join(__dirname, '..', '..', 'shared', 'data', 'complaints', 'surabaya-2022.csv'), '/work/shared/data/complaints/surabaya-2022.csv'].find((f) => existsSync(f))!;
  if (!file) { console.log('real complaints not found (pass --data <csv>): skipped'); return; }
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
