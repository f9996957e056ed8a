import { ComplaintStatusChangedPayload, StatsCounts, StatsReport } from '@lapor/contracts';
import { DeskHarness } from '../../../../test/support/desk';
import { publishCase, StatsCase, statsCases } from '../../../../test/support/stats-seed';
import { bucketOf } from './stats-rules';

/**
 * The dashboard's and the API's numbers against a direct SQL count over the desk's read model
 * (desk_complaints), after seeding complaints through the real event path (the desk's consumer,
 * with reordered and redelivered events). The SQL here maps statuses to shares on its own, so a
 * wrong mapping in the aggregates cannot agree with it by construction.
 */
const SHARE_SQL = `CASE WHEN status IN ('closed', 'archived', 'merged') THEN 'selesai'
  WHEN status IN ('received', 'triage') THEN 'belum_terverifikasi'
  WHEN status IN ('assigned', 'returned', 'accepted') THEN 'belum_ditindaklanjuti'
  ELSE 'dalam_proses' END`;
const WEEK_SQL = `(date_trunc('week', registered_at AT TIME ZONE 'Asia/Jakarta'))::date::text`;
const PROVINCE_SQL = `COALESCE(substring(body_code from '^([0-9]{2})(\\.|$)'), '')`;

type Counts = Record<string, { complaints: number; selesai: number; dalam_proses: number; belum_terverifikasi: number; belum_ditindaklanjuti: number; confidential: number }>;

describe('monitoring statistics against SQL over the read model', () => {
  const desk = new DeskHarness();
  let cases: StatsCase[];
  const escalations: { trackingId: string; stage: string }[] = [];

  beforeAll(async () => {
    await desk.start({}, { fakeRouter: true });
    cases = statsCases(45);
    const ids: string[] = [];
    for (const [i, c] of cases.entries()) ids.push(await publishCase(desk, c, i));
    // Missed deadlines and an Ombudsman forward as the router publishes them (timeline entries
    // that keep the status: `escalation`, `event`), each delivered twice through the consumer.
    const step = async (id: string, extra: Partial<ComplaintStatusChangedPayload>) => {
      const [row] = await desk.db.query('SELECT status, last_sequence, channel, version FROM desk_complaints WHERE tracking_id = $1', [id]);
      const event: ComplaintStatusChangedPayload = { trackingId: id, status: row.status, previousStatus: row.status, sequence: row.last_sequence + 1, changedAt: new Date().toISOString(), channel: row.channel, senderId: '+6281200000000', replyTo: [], locale: 'id', assignment: null, version: row.version + 1, ...extra };
      await desk.publish({ changes: [event] });
      await desk.publish({ changes: [event] });
    };
    for (const [k, stage] of (['acceptance', 'follow-up', 'acceptance'] as const).entries()) {
      const id = ids[2 + k * 9];
      await step(id, { event: 'escalated', escalation: { stage, dueAt: new Date().toISOString(), escalatedTo: 'Pejabat penghubung' } });
      escalations.push({ trackingId: id, stage });
    }
    await step(ids[4], { event: 'forwarded-ombudsman' });
    // A last complaint: once it is in, every redelivery before it has been handled (one ordered log per topic).
    await publishCase(desk, { ...cases[1], registeredAt: new Date('2026-11-20T03:00:00Z') }, 1);
  }, 300_000);

  afterAll(async () => {
    await desk.stop();
  });

  async function sqlCounts(groupBy: string, where = 'TRUE', params: unknown[] = []): Promise<Counts> {
    const rows = (await desk.db.query(
      `SELECT ${groupBy} AS k, count(*)::int AS complaints, count(*) FILTER (WHERE confidential)::int AS confidential,
              ${['selesai', 'dalam_proses', 'belum_terverifikasi', 'belum_ditindaklanjuti'].map((s) => `count(*) FILTER (WHERE ${SHARE_SQL} = '${s}')::int AS ${s}`).join(', ')}
         FROM desk_complaints WHERE registered_at IS NOT NULL AND ${where} GROUP BY 1`,
      params,
    )) as ({ k: string } & Counts[string])[];
    return Object.fromEntries(rows.map(({ k, ...c }) => [k ?? '', c]));
  }

  const countsOf = (f: StatsCounts) => ({
    complaints: f.complaints,
    confidential: f.confidential,
    selesai: f.shares.selesai.count,
    dalam_proses: f.shares.dalam_proses.count,
    belum_terverifikasi: f.shares.belum_terverifikasi.count,
    belum_ditindaklanjuti: f.shares.belum_ditindaklanjuti.count,
  });
  const groups = (list: StatsReport['weekly']) => Object.fromEntries(list.map((g) => [g.key, countsOf(g)]));

  async function api(query: string): Promise<StatsReport> {
    const res = await desk.http().get(`/api/v1/stats${query}`);
    expect(res.status).toBe(200);
    return res.body as StatsReport;
  }

  it('should seed a mix that reaches every share (else the comparison proves little)', async () => {
    const all = (await sqlCounts("''"))[''];
    expect(all.complaints).toBe(46);
    for (const s of ['selesai', 'dalam_proses', 'belum_terverifikasi', 'belum_ditindaklanjuti'] as const) expect(all[s]).toBeGreaterThan(0);
    expect(all.confidential).toBeGreaterThan(0);
  });

  it.each([
    ['national', '', "''", 'TRUE', []],
    ['province 32', '?scope=province&code=32', "''", `${PROVINCE_SQL} = $1`, ['32']],
    ['body 32.73', '?scope=body&code=32.73', "''", 'body_code = $1', ['32.73']],
    ['national, sms only', '?channel=sms', "''", 'channel = $1', ['sms']],
    ['national, aspirations in two weeks', '?submissionType=aspiration&from=2026-11-09&to=2026-11-22', "''", `submission_type = $1 AND ${WEEK_SQL} BETWEEN '2026-11-09' AND '2026-11-16'`, ['aspiration']],
  ])('should give the same summary as SQL: %s', async (_name, query, group, where, params) => {
    const report = await api(query);
    expect(countsOf(report.summary)).toEqual((await sqlCounts(group, where, params))['']);
  });

  it.each([
    ['weekly', (r: StatsReport) => r.weekly, WEEK_SQL],
    ['per channel', (r: StatsReport) => r.byChannel, 'channel'],
    ['per submission type', (r: StatsReport) => r.bySubmissionType, 'submission_type'],
    ['per province', (r: StatsReport) => r.breakdown, PROVINCE_SQL],
  ])('should give the same national %s counts as SQL', async (_name, pick, groupBy) => {
    expect(groups(pick(await api('')))).toEqual(await sqlCounts(groupBy));
  });

  it('should give the same per-body counts of a province as SQL', async () => {
    expect(groups((await api('?scope=province&code=32')).breakdown)).toEqual(await sqlCounts("COALESCE(body_code, '')", `${PROVINCE_SQL} = '32'`));
  });

  it('should place the medians and p90 of the durations in the buckets SQL finds over the same complaints', async () => {
    const report = await api('');
    // percentile_disc is the nearest-rank percentile the histogram reads back.
    const [sql] = (await desk.db.query(
      `SELECT ${['assigned_at', 'responded_at', 'closed_at']
        .flatMap((c) => [0.5, 0.9].map((p) => `percentile_disc(${p}) WITHIN GROUP (ORDER BY extract(epoch FROM ${c} - registered_at) / 60) FILTER (WHERE ${c} IS NOT NULL) AS ${c}_${p * 100}`))
        .join(', ')}, count(assigned_at)::int AS n_assigned, count(responded_at)::int AS n_responded, count(closed_at)::int AS n_closed
         FROM desk_stats_complaints s WHERE EXISTS (SELECT 1 FROM desk_complaints c WHERE c.tracking_id = s.tracking_id AND c.registered_at IS NOT NULL)`,
    )) as Record<string, number>[];
    const d = report.summary.durations;
    expect([d.distribution.count, d.firstResponse.count, d.close.count]).toEqual([sql.n_assigned, sql.n_responded, sql.n_closed]);
    expect([d.distribution.median?.bucket, d.distribution.p90?.bucket, d.firstResponse.median?.bucket, d.firstResponse.p90?.bucket, d.close.median?.bucket, d.close.p90?.bucket]).toEqual(
      ['assigned_at_50', 'assigned_at_90', 'responded_at_50', 'responded_at_90', 'closed_at_50', 'closed_at_90'].map((k) => bucketOf(Number(sql[k]))),
    );
    // And the facts behind them are the seeded steps, not something the aggregator made up.
    const expectedClosed = cases.filter((c) => c.steps.some(([s]) => ['closed', 'archived'].includes(s))).length + (cases[1].steps.some(([s]) => s === 'closed') ? 1 : 0);
    expect(d.close.count).toBe(expectedClosed);
  });

  it('should count escalations per stage and the Ombudsman forward once, however often delivered', async () => {
    const report = await api('');
    expect(report.summary.escalations).toBe(escalations.length);
    expect(report.summary.ombudsmanForwards).toBe(1);
    expect(report.summary.deadlineCompliance.acceptance.escalated).toBe(2);
    expect(report.summary.deadlineCompliance['follow-up'].escalated).toBe(1);
    expect(report.summary.deadlineCompliance.verification.escalated).toBe(0);
    const [{ n }] = await desk.db.query(`SELECT count(*)::int AS n FROM desk_complaints WHERE registered_at IS NOT NULL AND tracking_id IN (SELECT tracking_id FROM desk_stats_complaints WHERE assigned_at IS NOT NULL)`);
    expect(report.summary.deadlineCompliance.acceptance.reached).toBe(n);
  });

  it('should show the same numbers on the public dashboard, and answer CSV', async () => {
    const all = (await sqlCounts("''"))[''];
    const page = await desk.http().get('/statistik');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<strong id="total">${all.complaints}</strong>`);
    expect(page.text).toContain(`Selesai: ${all.selesai} laporan`);
    expect(page.text).toContain(`Belum ditindaklanjuti: ${all.belum_ditindaklanjuti} laporan`);
    const csv = await desk.http().get('/api/v1/stats?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, summary] = csv.text.replace(/^\ufeff/, '').split('\r\n');
    const cells = Object.fromEntries(header.split(',').map((h, i) => [h, summary.split(',')[i]]));
    expect(cells).toMatchObject({ dimensi: 'ringkasan', laporan: String(all.complaints), selesai: String(all.selesai), belum_terverifikasi: String(all.belum_terverifikasi) });
    const accept = await desk.http().get('/api/v1/stats').set('Accept', 'text/csv');
    expect(accept.headers['content-type']).toContain('text/csv');
  });

  it.each([
    ['/api/v1/stats?scope=body', 400],
    ['/api/v1/stats?scope=province&code=99', 404],
    ['/api/v1/stats?from=2026-12-01&to=2026-11-01', 400],
    ['/api/v1/stats?channel=fax', 400],
  ])('should refuse %s with %d', async (url, status) => {
    expect((await desk.http().get(url)).status).toBe(status);
  });

  it('should never show a complaint, an excerpt or an identity on the public surfaces', async () => {
    const [{ ids, excerpts }] = await desk.db.query(`SELECT array_agg(tracking_id) AS ids, array_agg(DISTINCT excerpt) AS excerpts FROM desk_complaints`);
    for (const url of ['/statistik', '/api/v1/stats', '/api/v1/stats?format=csv', '/statistik?scope=body&code=32.73']) {
      const res = await desk.http().get(url);
      expect(res.status).toBe(200);
      const text = res.text;
      for (const id of ids as string[]) expect(text).not.toContain(id);
      for (const e of (excerpts as string[]).filter(Boolean)) expect(text).not.toContain(e.slice(0, 40));
      expect(text).not.toContain('+6281200000000');
    }
  });
});
