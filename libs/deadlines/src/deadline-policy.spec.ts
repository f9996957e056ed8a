import { DeadlinePolicy, DeadlinePolicyInput, TIME_ZONES } from '@lapor/contracts';
import { WorkingCalendar } from '@lapor/calendar';
import { computeDeadline, loadDeadlinePolicy, ruleFor } from './deadline-policy';

const calendar = new WorkingCalendar();
const policy = loadDeadlinePolicy();

describe('the default deadline policy file', () => {
  it('gives every rule a legal basis or marks it local policy', () => {
    const rules = [
      ...Object.values(policy.stages).flatMap((s) => [s.default, ...Object.values(s.bySubmissionType)]),
      ...Object.values(policy.lanes).flatMap((l) => Object.values(l.stages)),
    ];
    expect(rules.length).toBeGreaterThan(6);
    for (const r of rules) expect('regulation' in r.basis ? r.basis.regulation.length : r.basis.localPolicy).toBeTruthy();
  });

  it('refuses a rule without a basis', () => {
    const bad = structuredClone(policy) as DeadlinePolicyInput;
    delete (bad.stages.verification.default as { basis?: unknown }).basis;
    expect(DeadlinePolicy.safeParse(bad).success).toBe(false);
  });
});

describe('ruleFor: per stage, per submission type, per fast lane', () => {
  it.each([
    [{ stage: 'verification' as const }, 'default', { workingDays: 3 }],
    [{ stage: 'first-response' as const, submissionType: 'information_request' as const }, 'type:information_request', { workingDays: 10 }],
    [{ stage: 'first-response' as const, submissionType: 'complaint' as const }, 'default', { workingDays: 5 }],
    [{ stage: 'first-response' as const, submissionType: 'information_request' as const, laneId: 'darurat' }, 'lane:darurat', { workingDays: 1 }],
    [{ stage: 'verification' as const, laneId: 'darurat' }, 'lane:darurat', { hours: 24 }],
    [{ stage: 'verification' as const, laneId: 'no-such-lane' }, 'default', { workingDays: 3 }],
  ])('%o → %s', (q, source, duration) => {
    const r = ruleFor(policy, q);
    expect(r.source).toBe(source);
    expect(r.rule).toMatchObject(duration);
  });
});

describe('computeDeadline', () => {
  it('3 working days from Friday 16:00 WITA before a Monday holiday, with reminders at half time and 08:00 on the last day', () => {
    const d = computeDeadline(calendar, policy, { stage: 'verification', startedAt: new Date('2026-05-29T16:00:00+08:00'), zone: TIME_ZONES.WITA });
    expect(d.dueAt.toISOString()).toBe(new Date('2026-06-04T23:59:59.999+08:00').toISOString());
    const half = new Date('2026-05-29T16:00:00+08:00').getTime() + Math.floor((d.dueAt.getTime() - new Date('2026-05-29T16:00:00+08:00').getTime()) / 2);
    expect(d.remindAt.map((t) => t.toISOString())).toEqual([new Date(half).toISOString(), new Date('2026-06-04T08:00:00+08:00').toISOString()]);
  });

  it('a lane in hours runs through the weekend', () => {
    const d = computeDeadline(calendar, policy, { stage: 'verification', laneId: 'darurat', startedAt: new Date('2026-12-04T20:00:00+09:00'), zone: TIME_ZONES.WIT });
    expect(d.dueAt.toISOString()).toBe(new Date('2026-12-05T20:00:00+09:00').toISOString());
    expect(d.remindAt.map((t) => t.toISOString())).toEqual([new Date('2026-12-05T08:00:00+09:00').toISOString()]);
  });

  it('a policy change does not move an already computed deadline (the caller stores it)', () => {
    const startedAt = new Date('2026-12-02T10:00:00+07:00');
    const before = computeDeadline(calendar, policy, { stage: 'acceptance', startedAt, zone: TIME_ZONES.WIB });
    const changed = structuredClone(policy);
    changed.stages.acceptance.default = { workingDays: 1, basis: { localPolicy: true, note: 'lebih cepat' } };
    const after = computeDeadline(calendar, changed, { stage: 'acceptance', startedAt, zone: TIME_ZONES.WIB });
    expect(before.dueAt.toISOString()).toBe(new Date('2026-12-07T23:59:59.999+07:00').toISOString());
    expect(after.dueAt.toISOString()).toBe(new Date('2026-12-03T23:59:59.999+07:00').toISOString());
  });
});
