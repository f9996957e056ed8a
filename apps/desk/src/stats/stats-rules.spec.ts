import { COMPLAINT_STATUSES, ComplaintStatus } from '@lapor/contracts';
import {
  bucketOf,
  ComplaintFacts,
  contributionOf,
  deltaRows,
  DURATION_BUCKETS,
  emptyFacts,
  figuresOf,
  mergeFacts,
  METRIC_COLUMNS,
  percentileFromHistogram,
  rollUp,
  provinceOf,
  SHARE_OF_STATUS,
  weekOf,
} from './stats-rules';

const at = (iso: string) => new Date(iso);
const REG = at('2026-11-30T02:00:00Z'); // Monday 09:00 WIB

function facts(over: Partial<ComplaintFacts> = {}): ComplaintFacts {
  return { ...emptyFacts('ABC'), registeredAt: REG, status: 'assigned', bodyCode: '32.73', channel: 'sms', submissionType: 'complaint', ...over };
}

describe('statistics rules', () => {
  it.each<[ComplaintStatus, string]>([
    ['received', 'belum_terverifikasi'],
    ['triage', 'belum_terverifikasi'],
    ['assigned', 'belum_ditindaklanjuti'],
    ['returned', 'belum_ditindaklanjuti'],
    ['accepted', 'belum_ditindaklanjuti'],
    ['disposed', 'dalam_proses'],
    ['in_progress', 'dalam_proses'],
    ['waiting_info', 'dalam_proses'],
    ['responded', 'dalam_proses'],
    ['reopened', 'dalam_proses'],
    ['closed', 'selesai'],
    ['archived', 'selesai'],
    ['merged', 'selesai'],
  ])('should count status %s as %s', (status, share) => {
    expect(SHARE_OF_STATUS[status]).toBe(share);
  });

  it('should map every lifecycle status (the table above is complete)', () => {
    expect(Object.keys(SHARE_OF_STATUS).sort()).toEqual(Object.keys(COMPLAINT_STATUSES).sort());
  });

  it.each([
    [0, 0],
    [-5, 0],
    [14.9, 0],
    [15, 1],
    [59, 2],
    [60, 3],
    [1439, 6],
    [1440, 7],
    [3 * 1440, 9],
    [86399, 15],
    [86400, 16],
    [1e9, 16],
  ])('should put %d minutes in bucket %d', (minutes, bucket) => {
    expect(bucketOf(minutes)).toBe(bucket);
  });

  it.each([
    // histogram, p, bucket (nearest rank: ceil(p*n)), estimate
    [[4, 0, 0], 0.5, 0, 8], // rank 2 of 4 in [0,15): 0 + 15*2/4 = 7.5 → 8
    [[1, 1, 2], 0.5, 1, 30], // rank 2: the one in [15,30)
    [[1, 1, 2], 0.9, 2, 60], // rank 4: last of [30,60)
    [[0, 0, 0], 0.5, null, null],
  ])('should read percentiles from a histogram %j at %d', (hist, p, bucket, estimate) => {
    const full = [...hist, ...new Array(DURATION_BUCKETS - hist.length).fill(0)];
    const r = percentileFromHistogram(full, p);
    expect(r?.bucket ?? null).toBe(bucket);
    expect(r?.estimateMinutes ?? null).toBe(estimate);
  });

  it('should give the open last bucket its lower bound as the estimate', () => {
    const hist = new Array(DURATION_BUCKETS).fill(0);
    hist[DURATION_BUCKETS - 1] = 3;
    expect(percentileFromHistogram(hist, 0.9)).toEqual({ bucket: DURATION_BUCKETS - 1, lowerMinutes: 86400, upperMinutes: null, estimateMinutes: 86400 });
  });

  it.each([
    ['2026-11-30T02:00:00Z', '2026-11-30'], // Monday 09:00 WIB
    ['2026-11-29T17:30:00Z', '2026-11-30'], // Monday 00:30 WIB (still Sunday in UTC)
    ['2026-11-29T16:59:59Z', '2026-11-23'], // Sunday 23:59 WIB
    ['2026-12-06T10:00:00Z', '2026-11-30'], // Sunday
    ['2027-01-01T00:00:00Z', '2026-12-28'], // ISO week across the new year
  ])('should count %s in the week of %s', (iso, week) => {
    expect(weekOf(at(iso))).toBe(week);
  });

  it.each([
    ['32.73', '32'],
    ['32', '32'],
    ['94.71', '94'],
    ['kemenkes', ''],
    [null, ''],
    ['', ''],
  ])('should place body %s in province "%s"', (body, province) => {
    expect(provinceOf(body)).toBe(province);
  });

  it('should keep the earliest milestone whatever order the events come in', () => {
    const now = { status: 'closed' as const, bodyCode: '32.73', channel: 'sms', submissionType: 'complaint', confidential: false, registeredAt: REG };
    const late = { kind: 'status' as const, status: 'assigned' as const, at: at('2026-12-02T00:00:00Z') };
    const early = { kind: 'status' as const, status: 'assigned' as const, at: at('2026-12-01T00:00:00Z') };
    const a = mergeFacts(mergeFacts(emptyFacts('X'), now, [late]), now, [early]);
    const b = mergeFacts(mergeFacts(emptyFacts('X'), now, [early]), now, [late, early]);
    expect(a.assignedAt).toEqual(early.at);
    expect(b).toEqual(a);
  });

  it('should count escalations by action name and stage, and an Ombudsman forward once per complaint', () => {
    const now = { status: 'in_progress' as const, bodyCode: '32.73', channel: 'web', submissionType: 'complaint', confidential: false, registeredAt: REG };
    const f = mergeFacts(emptyFacts('X'), now, [
      { kind: 'action', action: 'escalate', stage: 'acceptance', at: REG },
      { kind: 'action', action: 'escalate', stage: 'follow-up', at: REG },
      { kind: 'action', action: 'escalate', stage: 'follow-up', at: REG },
      { kind: 'action', action: 'forward-ombudsman', at: REG },
      { kind: 'action', action: 'classify', at: REG },
    ]);
    expect(f.escalations).toBe(3);
    expect(f.escalatedStages).toEqual(['acceptance', 'follow-up']);
    const c = contributionOf(f)!;
    expect(c.metrics).toMatchObject({ escalations: 3, ombudsman_forwards: 1, escalated_acceptance: 1, escalated_follow_up: 1, reached_acceptance: 1, reached_follow_up: 1 });
    expect(c.metrics.escalated_verification).toBeUndefined();
  });

  it('should contribute one complaint in its share, its week, and its durations in their buckets', () => {
    const c = contributionOf(facts({ status: 'closed', triagedAt: REG, assignedAt: at('2026-11-30T03:00:00Z'), acceptedAt: at('2026-11-30T04:00:00Z'), respondedAt: at('2026-12-01T02:00:00Z'), closedAt: at('2026-12-04T02:00:00Z'), confidential: true }))!;
    expect(c.key).toEqual({ week: '2026-11-30', bodyCode: '32.73', provinceCode: '32', channel: 'sms', submissionType: 'complaint' });
    expect(c.metrics).toEqual({
      complaints: 1,
      confidential: 1,
      selesai: 1,
      reached_verification: 1,
      reached_acceptance: 1,
      reached_first_response: 1,
      reached_follow_up: 1,
      distribution_b3: 1, // 60 minutes: [60, 120)
      first_response_b7: 1, // 1 day: [1440, 2880)
      close_b9: 1, // 4 days: [4320, 7200), 3 to 5 days
    });
    for (const col of Object.keys(c.metrics)) expect(METRIC_COLUMNS).toContain(col);
  });

  it('should contribute nothing before the registration is known', () => {
    expect(contributionOf(facts({ registeredAt: null }))).toBeNull();
    expect(contributionOf(null)).toBeNull();
  });

  it('should move a forwarded complaint from one body row to the other, and a status change within a row', () => {
    const before = contributionOf(facts({ status: 'accepted', assignedAt: REG, acceptedAt: REG }));
    const after = contributionOf(facts({ status: 'assigned', bodyCode: '33.74', assignedAt: REG, acceptedAt: REG }));
    const rows = deltaRows(before, after);
    expect(rows.map((r) => [r.key.bodyCode, r.metrics.complaints])).toEqual([
      ['32.73', -1],
      ['33.74', 1],
    ]);
    // Both bodies' rows are in different provinces: two province rows change.
    expect(rollUp(rows, 'province').map((r) => [r.key.provinceCode, r.metrics.complaints])).toEqual([
      ['32', -1],
      ['33', 1],
    ]);
    const inRow = deltaRows(contributionOf(facts({ status: 'assigned' })), contributionOf(facts({ status: 'disposed' })));
    expect(inRow).toEqual([{ key: expect.objectContaining({ bodyCode: '32.73' }), metrics: { belum_ditindaklanjuti: -1, dalam_proses: 1 } }]);
    expect(deltaRows(before, before)).toEqual([]);
  });

  it('should add two bodies of one province into one province row', () => {
    const rows = deltaRows(null, contributionOf(facts({ bodyCode: '32.73' }))).concat(deltaRows(null, contributionOf(facts({ bodyCode: '32.71' }))));
    expect(rollUp(rows, 'province')).toEqual([{ key: expect.objectContaining({ provinceCode: '32', bodyCode: '' }), metrics: { complaints: 2, belum_ditindaklanjuti: 2 } }]);
    const moved = deltaRows(contributionOf(facts({ status: 'accepted' })), contributionOf(facts({ status: 'assigned', bodyCode: '33.74' })));
    // Across provinces the nation's row only changes where the share changed; a pure move cancels out.
    expect(rollUp(moved, 'national')).toEqual([]);
  });

  it('should turn summed counters into shares, percentiles and compliance', () => {
    const f = figuresOf({ complaints: 100, selesai: 83, dalam_proses: 3, belum_terverifikasi: 1, belum_ditindaklanjuti: 13, reached_acceptance: 50, escalated_acceptance: 5, close_b7: 10 });
    expect(f.shares).toEqual({ selesai: { count: 83, percent: 83 }, dalam_proses: { count: 3, percent: 3 }, belum_terverifikasi: { count: 1, percent: 1 }, belum_ditindaklanjuti: { count: 13, percent: 13 } });
    expect(f.deadlineCompliance.acceptance).toEqual({ reached: 50, escalated: 5, percent: 90 });
    expect(f.deadlineCompliance.verification).toEqual({ reached: 0, escalated: 0, percent: null });
    expect(f.durations.close.count).toBe(10);
    expect(f.durations.close.median?.bucket).toBe(7);
    expect(f.durations.distribution).toEqual({ count: 0, median: null, p90: null });
  });
});
