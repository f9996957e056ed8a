/**
 * The monitoring statistics at scale (docs/monitoring.md): query times of the dashboard's reads
 * from the aggregate tables, against a bare baseline in the same run (the same figures as
 * COUNT(*)/percentile_disc over a raw complaints table), and the cost of keeping the aggregates
 * up to date (events/s through the desk's real ReadModelService with and without the statistics).
 *
 *   npm run bench:stats [-- --complaints 1000000 --runs 15 --events 4000 --dense 10000000]
 *
 * 1. A throwaway database with the desk's migrations; `--complaints` synthetic complaints over two
 *    years (uniform over every body, weighted channels and types, statuses as the seed's 2019
 *    ministries 83/3/1/13%, log-spread durations, 5% Rahasia, 8% escalated once, 0.5% forwarded to
 *    the Ombudsman) in a raw table, plus the read model and the statistics' facts for each.
 * 2. The aggregate rows the event path would have written for them, in bulk (INSERT … GROUP BY
 *    with the same week, share and bucket rules as the StatsWriterService), at its three grains.
 * 3. p50/p95 of StatsQueryService.report (the API's code) for national, one province, one body,
 *    a weekly trend over a year and all time; the raw baseline for the same scope and filter.
 * 4. Events/s applied by ReadModelService with the real StatsWriterService, and with a no-op one.
 * 5. `--dense`: aggregate tables as `--dense` complaints fill them (every key present; the row
 *    count no longer grows with complaints) and the same queries on them.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ComplaintRegisteredPayload, ComplaintStatus, ComplaintStatusChangedPayload, StatsQuery } from '@lapor/contracts';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { BodyDirectory } from '../apps/desk/src/bodies/body-directory';
import { DESK_ENTITIES, DESK_MIGRATIONS } from '../apps/desk/src/desk.module';
import { ReadModelService } from '../apps/desk/src/read-model/read-model.service';
import { DURATION_BUCKET_UPPER_MINUTES, METRIC_COLUMNS } from '../apps/desk/src/stats/stats-rules';
import { StatsQueryService } from '../apps/desk/src/stats/stats-query.service';
import { StatsWriterService } from '../apps/desk/src/stats/stats-writer.service';
import { createTestDatabase } from '../test/support/database';

const BOUNDS = `ARRAY[${DURATION_BUCKET_UPPER_MINUTES.filter(Number.isFinite).join(',')}]::float8[]`;
const SHARE = `CASE WHEN status IN ('closed','archived','merged') THEN 'selesai' WHEN status IN ('received','triage') THEN 'belum_terverifikasi' WHEN status IN ('assigned','returned','accepted') THEN 'belum_ditindaklanjuti' ELSE 'dalam_proses' END`;
const WEEK = `(date_trunc('week', registered_at AT TIME ZONE 'Asia/Jakarta'))::date`;

function bodyCodes(): string[] {
  const dir = join(__dirname, '..', 'libs', 'routing', 'data', 'regions');
  const rows = (f: string) => parse(readFileSync(join(dir, f)), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return [...rows('provinces.csv').map((r) => r.code), ...rows('regencies.csv').map((r) => r.code), ...rows('agencies.csv').filter((a) => a.status === 'active').map((a) => a.slug)];
}

const ms = (t0: number) => performance.now() - t0;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await fn(); // warm-up: plans and buffers
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(ms(t0));
  }
  return { p50: pct(xs, 0.5), p95: pct(xs, 0.95) };
}

/** The aggregate metric expressions over raw complaint rows (what the StatsWriterService adds up, one complaint at a time). */
function metricExpressions(): string {
  const stage = { verification: 'verification', acceptance: 'acceptance', first_response: 'first-response', follow_up: 'follow-up' } as Record<string, string>;
  return METRIC_COLUMNS.map((c) => {
    if (c === 'complaints') return 'count(*)';
    if (c === 'confidential') return 'count(*) FILTER (WHERE confidential)';
    if (['selesai', 'dalam_proses', 'belum_terverifikasi', 'belum_ditindaklanjuti'].includes(c)) return `count(*) FILTER (WHERE ${SHARE} = '${c}')`;
    if (c === 'escalations') return 'count(escalated_stage)';
    if (c === 'ombudsman_forwards') return 'count(*) FILTER (WHERE ombudsman)';
    let m = /^reached_(.+)$/.exec(c);
    if (m) {
      const s = stage[m[1]];
      const reached = s === 'verification' ? 'triaged' : s === 'acceptance' ? 'assigned_min IS NOT NULL' : "status NOT IN ('received','triage','assigned','returned')";
      return `count(*) FILTER (WHERE ${reached} OR escalated_stage = '${s}')`;
    }
    m = /^escalated_(.+)$/.exec(c);
    if (m) return `count(*) FILTER (WHERE escalated_stage = '${stage[m[1]]}')`;
    m = /^(distribution|first_response|close)_b(\d+)$/.exec(c);
    if (m) {
      const col = { distribution: 'assigned_min', first_response: 'responded_min', close: 'closed_min' }[m[1]]!;
      return `count(*) FILTER (WHERE width_bucket(${col}, ${BOUNDS}) = ${m[2]})`;
    }
    throw new Error(`no expression for ${c}`);
  }).join(',\n  ');
}

async function loadComplaints(db: DataSource, n: number, bodies: string[]): Promise<void> {
  await db.query('SELECT setseed(0.42)');
  // Statuses as the seed's 2019 ministries: 83% selesai, 3% dalam proses, 1% belum terverifikasi, 13% belum ditindaklanjuti.
  await db.query(
    `CREATE UNLOGGED TABLE bench_complaints AS
     WITH g AS (SELECT i, random() rb, random() rc, random() rt, random() rs, random() rw, random() rf, random() r1, random() r2, random() r3, random() re FROM generate_series(1, $1::int) i),
     s AS (
       SELECT i, rf, r1, r2, r3, re, rw,
         $2::text[] AS bodies, rb, rc, rt,
         (ARRAY['closed','archived','merged','in_progress','responded','triage','assigned','accepted'])[width_bucket(rs, ARRAY[0.75,0.82,0.83,0.845,0.86,0.87,0.97]::float8[]) + 1] AS status
       FROM g)
     SELECT 'B' || lpad(i::text, 9, '0') AS tracking_id,
       timestamptz '2024-12-02 00:00+07' + rw * interval '728 days' AS registered_at,
       bodies[1 + floor(rb * array_length(bodies, 1))::int] AS body_code,
       (ARRAY['web','sms','mobile','telegram','x'])[width_bucket(rc, ARRAY[0.45,0.7,0.9,0.97]::float8[]) + 1] AS channel,
       (ARRAY['complaint','information_request','aspiration'])[width_bucket(rt, ARRAY[0.75,0.9]::float8[]) + 1] AS submission_type,
       status,
       rf < 0.05 AS confidential,
       r1 < 0.1 AS triaged,
       CASE WHEN status IN ('received','triage') THEN NULL ELSE exp(r1 * ln(20000)) END AS assigned_min,
       CASE WHEN status IN ('responded','closed') THEN exp(r1 * ln(20000)) + exp(r2 * ln(40000)) END AS responded_min,
       CASE WHEN status IN ('closed','archived','merged') THEN exp(r1 * ln(20000)) + exp(r2 * ln(40000)) + exp(r3 * ln(30000)) END AS closed_min,
       CASE WHEN re < 0.02 THEN 'verification' WHEN re < 0.04 THEN 'acceptance' WHEN re < 0.06 THEN 'first-response' WHEN re < 0.08 THEN 'follow-up' END AS escalated_stage,
       re > 0.995 AS ombudsman
     FROM s`,
    [n, bodies],
  );
  await db.query(`ALTER TABLE bench_complaints ADD COLUMN province_code text`);
  await db.query(`UPDATE bench_complaints SET province_code = COALESCE(substring(body_code from '^([0-9]{2})(\\.|$)'), '')`);
  // Indexes a COUNT(*) dashboard would have (the baseline is given its best chance).
  await db.query('CREATE INDEX ON bench_complaints (body_code, registered_at)');
  await db.query('CREATE INDEX ON bench_complaints (province_code, registered_at)');
  await db.query('CREATE INDEX ON bench_complaints (registered_at)');
  await db.query('VACUUM ANALYZE bench_complaints');
}

/** The rows the event path would have written, in bulk. */
async function loadAggregates(db: DataSource): Promise<void> {
  const cols = METRIC_COLUMNS.join(', ');
  await db.query(
    `INSERT INTO desk_stats_body_week (week, body_code, province_code, channel, submission_type, ${cols})
     SELECT ${WEEK}, body_code, province_code, channel, submission_type,
       ${metricExpressions()}
     FROM bench_complaints GROUP BY 1, 2, 3, 4, 5`,
  );
  await db.query(
    `INSERT INTO desk_stats_province_week (week, province_code, channel, submission_type, ${cols})
     SELECT week, province_code, channel, submission_type, ${METRIC_COLUMNS.map((c) => `sum(${c})`).join(', ')}
     FROM desk_stats_body_week GROUP BY 1, 2, 3, 4`,
  );
  await db.query(
    `INSERT INTO desk_stats_national_week (week, channel, submission_type, ${METRIC_COLUMNS.join(', ')})
     SELECT week, channel, submission_type, ${METRIC_COLUMNS.map((c) => `sum(${c})`).join(', ')}
     FROM desk_stats_province_week GROUP BY 1, 2, 3`,
  );
  // The read model and the facts as the consumer would have left them (so the write benchmark runs on full tables).
  await db.query(
    `INSERT INTO desk_complaints (tracking_id, status, body_kind, body_code, channel, submission_type, confidential, registered_at, registered_seen, last_sequence, version)
     SELECT tracking_id, status, 'kota', body_code, channel, submission_type, confidential, registered_at, true, 5, 5 FROM bench_complaints`,
  );
  await db.query(
    `INSERT INTO desk_stats_complaints (tracking_id, registered_at, status, body_code, channel, submission_type, confidential, assigned_at, responded_at, closed_at, escalations, escalated_stages)
     SELECT tracking_id, registered_at, status, body_code, channel, submission_type, confidential,
       registered_at + assigned_min * interval '1 minute', registered_at + responded_min * interval '1 minute', registered_at + closed_min * interval '1 minute',
       CASE WHEN escalated_stage IS NULL THEN 0 ELSE 1 END, CASE WHEN escalated_stage IS NULL THEN '{}'::text[] ELSE ARRAY[escalated_stage] END
     FROM bench_complaints`,
  );
  for (const t of ['desk_stats_body_week', 'desk_stats_province_week', 'desk_stats_national_week', 'desk_complaints', 'desk_stats_complaints']) await db.query(`VACUUM ANALYZE ${t}`);
}

/** Aggregate tables as `total` complaints over two years fill them: every (week, body, channel, type) present. */
async function loadDenseAggregates(db: DataSource, total: number, bodies: string[]): Promise<void> {
  await db.query('SELECT setseed(0.43)');
  const keys = 104 * bodies.length * 15;
  const mean = total / keys;
  const n = `greatest(0, round(${mean} * (0.5 + random())))::int`;
  // Per key: a count around the mean, split over the shares as the seed's 83/3/1/13, durations in a few middle buckets.
  await db.query(
    `INSERT INTO desk_stats_body_week (week, body_code, province_code, channel, submission_type, complaints, selesai, dalam_proses, belum_terverifikasi, belum_ditindaklanjuti, confidential, reached_acceptance, escalated_acceptance, distribution_b6, distribution_b7, first_response_b8, close_b10, close_b11)
     SELECT week, body_code, province_code, channel, submission_type, c, c - d - v - b, d, v, b, c / 20, c - v, c / 25, (c - v) / 2, (c - v) - (c - v) / 2, c - v - b, (c - d - v - b) / 2, (c - d - v - b) - (c - d - v - b) / 2
     FROM (
       SELECT w::date AS week, body AS body_code, COALESCE(substring(body from '^([0-9]{2})(\\.|$)'), '') AS province_code, ch AS channel, ty AS submission_type, ${n} AS c
       FROM generate_series(timestamp '2024-12-02', timestamp '2026-11-23', interval '7 days') w, unnest($1::text[]) body,
            unnest(ARRAY['web','sms','mobile','telegram','x']) ch, unnest(ARRAY['complaint','information_request','aspiration']) ty
     ) k, LATERAL (SELECT c * 3 / 100 AS d, c / 100 AS v, c * 13 / 100 AS b) s`,
    [bodies],
  );
  await db.query(
    `INSERT INTO desk_stats_province_week (week, province_code, channel, submission_type, ${METRIC_COLUMNS.join(', ')})
     SELECT week, province_code, channel, submission_type, ${METRIC_COLUMNS.map((c) => `sum(${c})`).join(', ')}
     FROM desk_stats_body_week GROUP BY 1, 2, 3, 4`,
  );
  await db.query(
    `INSERT INTO desk_stats_national_week (week, channel, submission_type, ${METRIC_COLUMNS.join(', ')})
     SELECT week, channel, submission_type, ${METRIC_COLUMNS.map((c) => `sum(${c})`).join(', ')}
     FROM desk_stats_province_week GROUP BY 1, 2, 3`,
  );
  for (const t of ['desk_stats_body_week', 'desk_stats_province_week', 'desk_stats_national_week']) await db.query(`VACUUM ANALYZE ${t}`);
}

/** The same figures as the API's summary and groupings, as COUNT(*) and percentile_disc over the raw rows. */
function rawQuery(where: string, part: string | null): string {
  const shares = ['selesai', 'dalam_proses', 'belum_terverifikasi', 'belum_ditindaklanjuti'].map((s) => `count(*) FILTER (WHERE share = '${s}')`).join(', ');
  const pcts = ['assigned_min', 'responded_min', 'closed_min'].flatMap((c) => [0.5, 0.9].map((p) => `percentile_disc(${p}) WITHIN GROUP (ORDER BY ${c})`)).join(', ');
  return `SELECT count(*), count(*) FILTER (WHERE confidential), ${shares}, ${pcts}, count(escalated_stage), count(*) FILTER (WHERE ombudsman)
    FROM (SELECT *, ${SHARE} AS share, ${WEEK} AS week FROM bench_complaints WHERE ${where}) c
    GROUP BY GROUPING SETS ((), (week), (channel), (submission_type)${part ? `, (${part})` : ''})`;
}

interface Scenario {
  name: string;
  query: Partial<StatsQuery>;
  rawWhere: string;
  rawPart: string | null;
}

function scenarios(): Scenario[] {
  const yearFrom = '2025-11-24';
  const yearTo = '2026-11-29';
  const lastFour = '2026-11-02';
  return [
    { name: 'national, last 4 weeks', query: { from: lastFour, to: yearTo }, rawWhere: `registered_at >= timestamptz '${lastFour} 00:00+07'`, rawPart: 'province_code' },
    { name: 'one province (32), a year', query: { scope: 'province', code: '32', from: yearFrom, to: yearTo }, rawWhere: `province_code = '32' AND registered_at >= timestamptz '${yearFrom} 00:00+07'`, rawPart: 'body_code' },
    { name: 'one body (32.73), a year', query: { scope: 'body', code: '32.73', from: yearFrom, to: yearTo }, rawWhere: `body_code = '32.73' AND registered_at >= timestamptz '${yearFrom} 00:00+07'`, rawPart: null },
    { name: 'national weekly trend, a year', query: { from: yearFrom, to: yearTo }, rawWhere: `registered_at >= timestamptz '${yearFrom} 00:00+07'`, rawPart: 'province_code' },
    { name: 'national, all time', query: {}, rawWhere: 'TRUE', rawPart: 'province_code' },
  ];
}

/** Events/s through the desk's read model: `complaints` × (registered + 4 status changes), one at a time as the consumer handles them. */
async function applyEvents(readModel: ReadModelService, prefix: string, complaints: number, bodies: string[]): Promise<number> {
  const path: ComplaintStatus[] = ['received', 'assigned', 'accepted', 'in_progress', 'responded'];
  const t0 = performance.now();
  let events = 0;
  for (let i = 0; i < complaints; i++) {
    const trackingId = `${prefix}${String(i).padStart(8, '0')}`;
    const body = bodies[(i * 7919) % bodies.length];
    const at = new Date(Date.parse('2026-11-02T01:00:00Z') + i * 60_000);
    const registered: ComplaintRegisteredPayload = {
      trackingId,
      channel: 'sms',
      senderId: '+6281200000000',
      registeredAt: at.toISOString(),
      decision: { kind: 'kota', code: body, name: body, confidence: 0.9, evidence: [], alternatives: [] },
      anonymous: false,
      confidential: false,
      submissionType: 'complaint',
    };
    await readModel.onRegistered(registered);
    events++;
    for (const [k, status] of path.entries()) {
      const change: ComplaintStatusChangedPayload = {
        trackingId,
        status,
        previousStatus: k === 0 ? null : path[k - 1],
        sequence: k + 1,
        changedAt: new Date(at.getTime() + k * 3600_000).toISOString(),
        channel: 'sms',
        senderId: '+6281200000000',
        replyTo: [],
        locale: 'id',
        assignment: k === 0 ? null : { kind: 'kota', code: body, name: body, unit: null },
        version: k + 1,
      };
      await readModel.onStatusChanged(change);
      events++;
    }
  }
  return events / (ms(t0) / 1000);
}

async function main() {
  const { values } = parseArgs({ options: { complaints: { type: 'string' }, runs: { type: 'string' }, events: { type: 'string' }, dense: { type: 'string' } } });
  const n = Number(values.complaints ?? 1_000_000);
  const runs = Number(values.runs ?? 15);
  const eventComplaints = Math.ceil(Number(values.events ?? 4000) / 6);
  const dense = Number(values.dense ?? 10_000_000);
  const bodies = bodyCodes();
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`bodies: ${bodies.length}; complaints: ${n}; runs per query: ${runs}`);

  const testDb = await createTestDatabase('lapor_bench_stats');
  const db = new DataSource({ type: 'postgres', url: testDb.url, entities: DESK_ENTITIES, migrations: DESK_MIGRATIONS, migrationsTableName: 'desk_migrations', migrationsRun: true, extra: { max: 4 } });
  try {
    await db.initialize();
    let t0 = performance.now();
    await loadComplaints(db, n, bodies);
    console.log(`load_raw_s: ${(ms(t0) / 1000).toFixed(1)}`);
    t0 = performance.now();
    await loadAggregates(db);
    console.log(`load_aggregates_s: ${(ms(t0) / 1000).toFixed(1)}`);
    const count = async (t: string) => Number((await db.query(`SELECT count(*)::int AS n FROM ${t}`))[0].n);
    console.log(`rows: bench_complaints ${await count('bench_complaints')}, desk_stats_body_week ${await count('desk_stats_body_week')}, desk_stats_province_week ${await count('desk_stats_province_week')}, desk_stats_national_week ${await count('desk_stats_national_week')}`);

    const stats = new StatsQueryService(db, new BodyDirectory());
    // The aggregates must say what the raw rows say, or the timing compares different answers.
    const check = await stats.report(StatsQuery.parse({}));
    const [raw] = await db.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE ${SHARE} = 'selesai')::int AS s FROM bench_complaints`);
    if (check.summary.complaints !== raw.n || check.summary.shares.selesai.count !== raw.s) throw new Error(`aggregates disagree with the raw table: ${check.summary.complaints}/${raw.n}`);
    console.log(`check: aggregates = raw (${raw.n} complaints, selesai ${check.summary.shares.selesai.percent}%)`);

    console.log('\nquery                               aggregates p50/p95 ms    raw COUNT(*) p50/p95 ms    raw/aggregates (p50)');
    for (const s of scenarios()) {
      const q = StatsQuery.parse(s.query);
      const agg = await timed(runs, () => stats.report(q));
      const bare = await timed(Math.max(3, Math.round(runs / 3)), () => db.query(rawQuery(s.rawWhere, s.rawPart)));
      console.log(`${s.name.padEnd(36)}${`${agg.p50.toFixed(1)} / ${agg.p95.toFixed(1)}`.padEnd(25)}${`${bare.p50.toFixed(0)} / ${bare.p95.toFixed(0)}`.padEnd(27)}${(bare.p50 / agg.p50).toFixed(0)}x`);
    }

    console.log(`\nkeeping the aggregates up to date (${eventComplaints} complaints × 6 events per round, one at a time as the consumer does, on the full tables):`);
    const withStats = new ReadModelService(db, new StatsWriterService());
    const without = new ReadModelService(db, { apply: async () => undefined } as unknown as StatsWriterService);
    const rates: { with: number[]; without: number[] } = { with: [], without: [] };
    for (let round = 0; round < 2; round++) {
      rates.without.push(await applyEvents(without, `N${round}`, eventComplaints, bodies));
      rates.with.push(await applyEvents(withStats, `W${round}`, eventComplaints, bodies));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(`events_per_s_without_stats: ${mean(rates.without).toFixed(0)} (rounds ${rates.without.map((r) => r.toFixed(0)).join(', ')})`);
    console.log(`events_per_s_with_stats: ${mean(rates.with).toFixed(0)} (rounds ${rates.with.map((r) => r.toFixed(0)).join(', ')})`);
    console.log(`cost_of_stats: ${((1 - mean(rates.with) / mean(rates.without)) * 100).toFixed(0)}% fewer events/s (${(1000 / mean(rates.with) - 1000 / mean(rates.without)).toFixed(2)} ms more per event)`);

    if (dense > 0) {
      await db.query('TRUNCATE desk_stats_body_week, desk_stats_province_week, desk_stats_national_week');
      t0 = performance.now();
      await loadDenseAggregates(db, dense, bodies);
      const [{ total }] = await db.query('SELECT sum(complaints)::bigint AS total FROM desk_stats_province_week');
      console.log(`\ndense aggregates (${Number(total).toLocaleString('en')} complaints over two years, every key present; built in ${(ms(t0) / 1000).toFixed(1)} s):`);
      console.log(`rows: desk_stats_body_week ${await count('desk_stats_body_week')}, desk_stats_province_week ${await count('desk_stats_province_week')}, desk_stats_national_week ${await count('desk_stats_national_week')}`);
      console.log('query                               aggregates p50/p95 ms');
      for (const s of scenarios()) {
        const agg = await timed(runs, () => stats.report(StatsQuery.parse(s.query)));
        console.log(`${s.name.padEnd(36)}${agg.p50.toFixed(1)} / ${agg.p95.toFixed(1)}`);
      }
    }
  } finally {
    await db.destroy().catch(() => undefined);
    await testDb.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
