import { IndonesianTimeZone, TIME_ZONES } from '@lapor/contracts';
import { loadCutiBersama, WorkingCalendar } from './working-calendar';

const { WIB, WITA, WIT } = TIME_ZONES;
const calendar = new WorkingCalendar();

describe('WorkingCalendar.addWorkingDays (end of the Nth working day after the day of receipt, local time)', () => {
  const cases: { why: string; from: string; n: number; zone: IndonesianTimeZone; sixDayWeek?: boolean; due: string }[] = [
    { why: 'Friday 16:00 WITA before a Monday holiday (Hari Lahir Pancasila 2026): Tue, Wed, Thu', from: '2026-05-29T16:00:00+08:00', n: 3, zone: WITA, due: '2026-06-04T23:59:59.999+08:00' },
    { why: 'a weekend in between (five-day week)', from: '2026-12-02T10:00:00+07:00', n: 3, zone: WIB, due: '2026-12-07T23:59:59.999+07:00' },
    { why: 'the same with a six-day week: Saturday counts', from: '2026-12-02T10:00:00+07:00', n: 3, zone: WIB, sixDayWeek: true, due: '2026-12-05T23:59:59.999+07:00' },
    { why: 'cuti bersama 18, 20, 23, 24 March 2026 around Nyepi and Idulfitri', from: '2026-03-17T09:00:00+07:00', n: 3, zone: WIB, due: '2026-03-27T23:59:59.999+07:00' },
    { why: 'six-day week over Idulfitri 2026: Saturday 21 March is Idulfitri', from: '2026-03-17T09:00:00+07:00', n: 3, zone: WIB, sixDayWeek: true, due: '2026-03-27T23:59:59.999+07:00' },
    { why: 'Idulfitri 2025 (holidays corrected to the SKB: 31 Mar–1 Apr, cuti bersama 2–4 and 7 Apr)', from: '2025-03-27T10:00:00+08:00', n: 1, zone: WITA, due: '2025-04-08T23:59:59.999+08:00' },
    { why: '26 June 2025 is a working day (date-holidays says Tahun Baru Islam; the SKB says 27 June)', from: '2025-06-25T10:00:00+07:00', n: 1, zone: WIB, due: '2025-06-26T23:59:59.999+07:00' },
    { why: '27 June 2025 is Tahun Baru Islam per the SKB', from: '2025-06-25T10:00:00+07:00', n: 2, zone: WIB, due: '2025-06-30T23:59:59.999+07:00' },
    { why: 'Christmas 2026 with cuti bersama on 24 December', from: '2026-12-23T08:00:00+07:00', n: 1, zone: WIB, due: '2026-12-28T23:59:59.999+07:00' },
    { why: 'across the new year (1 January 2027 a holiday, the 2027 file unverified)', from: '2026-12-31T08:00:00+07:00', n: 1, zone: WIB, due: '2027-01-04T23:59:59.999+07:00' },
    { why: 'WIT: 16:30 UTC Thursday is already Friday 01:30 WIT, so the next working day is Monday', from: '2026-12-03T16:30:00Z', n: 1, zone: WIT, due: '2026-12-07T23:59:59.999+09:00' },
    { why: 'WIB: the same instant is Thursday 23:30 WIB, so the next working day is Friday', from: '2026-12-03T16:30:00Z', n: 1, zone: WIB, due: '2026-12-04T23:59:59.999+07:00' },
    { why: 'received on a Sunday: the count starts after that day', from: '2026-12-06T09:00:00+08:00', n: 1, zone: WITA, due: '2026-12-07T23:59:59.999+08:00' },
    { why: 'n = 0: the end of the day of receipt', from: '2026-12-02T10:00:00+09:00', n: 0, zone: WIT, due: '2026-12-02T23:59:59.999+09:00' },
  ];

  it.each(cases)('$why', ({ from, n, zone, sixDayWeek, due }) => {
    expect(calendar.addWorkingDays(new Date(from), n, { zone, sixDayWeek }).toISOString()).toBe(new Date(due).toISOString());
  });

  it('refuses a negative or fractional count', () => {
    expect(() => calendar.addWorkingDays(new Date(), -1, { zone: WIB })).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(new Date(), 1.5, { zone: WIB })).toThrow(RangeError);
  });
});

describe('WorkingCalendar.nonWorking', () => {
  it.each([
    ['2026-12-05', false, 'weekend'],
    ['2026-12-05', true, null],
    ['2026-12-06', true, 'weekend'],
    ['2026-08-17', false, 'national-holiday'],
    ['2026-03-24', false, 'cuti-bersama'],
    ['2025-06-26', false, null],
    ['2025-04-01', false, 'national-holiday'],
    ['2026-12-03', false, null],
  ] as const)('%s (six-day week %s) → %s', (date, sixDayWeek, kind) => {
    expect(calendar.nonWorking(date, { sixDayWeek })?.kind ?? null).toBe(kind);
  });

  it('workingDaysBetween counts the days addWorkingDays steps over', () => {
    const from = new Date('2026-03-17T09:00:00+07:00');
    const due = calendar.addWorkingDays(from, 3, { zone: WIB });
    expect(calendar.workingDaysBetween(from, due, { zone: WIB })).toBe(3);
  });
});

describe('cuti bersama data files', () => {
  const years = loadCutiBersama();
  it('has 2025, 2026 (verified SKB) and 2027 (marked unverified)', () => {
    expect(years.map((y) => [y.year, y.verified]).sort()).toEqual([[2025, true], [2026, true], [2027, false]]);
  });
  it.each(years.filter((y) => y.verified))('$year: names its decree and every date lies in the year and on a weekday', (y) => {
    expect(y.decree).toMatch(/SKB/);
    for (const c of y.cutiBersama) {
      expect(c.date.startsWith(`${y.year}-`)).toBe(true);
      expect([0, 6]).not.toContain(new Date(`${c.date}T00:00:00Z`).getUTCDay());
    }
  });
});
