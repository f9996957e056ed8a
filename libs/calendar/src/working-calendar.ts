import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Holidays from 'date-holidays';
import { parse } from 'yaml';
import { CutiBersamaYear, IndonesianTimeZone, TIME_ZONES } from '@lapor/contracts';

/** Environment variable pointing at libs/calendar/data (the folder holding cuti-bersama/). */
export const CALENDAR_DATA_DIR_ENV = 'LAPOR_CALENDAR_DATA_DIR';

const DAY_MS = 86_400_000;

export interface WorkingWeek {
  /** The body's local zone (WIB/WITA/WIT, from its province: `timeZoneOfRegion`). */
  zone: IndonesianTimeZone;
  /** Monday–Saturday instead of Monday–Friday (a body may declare a six-day week). */
  sixDayWeek?: boolean;
}

export type NonWorkingReason = { kind: 'weekend' } | { kind: 'national-holiday'; name: string } | { kind: 'cuti-bersama'; name: string };

/**
 * Indonesian working days: Monday–Friday (or Monday–Saturday for a body with a six-day week),
 * minus national holidays (`date-holidays`, country ID, type "public", corrected per year where
 * the SKB differs) and cuti bersama (the SKB 3 Menteri's list, one data file per year).
 * Days are calendar days in the body's own zone: the zones have no daylight saving, so a local
 * date is `instant + offset` read as UTC.
 */
export class WorkingCalendar {
  private readonly holidays = new Holidays('ID');
  private readonly byYear = new Map<number, Map<string, NonWorkingReason>>();
  private readonly years: Map<number, CutiBersamaYear>;

  constructor(years: CutiBersamaYear[] = loadCutiBersama()) {
    this.years = new Map(years.map((y) => [y.year, y]));
  }

  /** Whether the year's cuti bersama come from a verified SKB (false: national holidays only). */
  isVerifiedYear(year: number): boolean {
    return this.years.get(year)?.verified ?? false;
  }

  /** Why a local date (YYYY-MM-DD) is no working day, or null when it is one. */
  nonWorking(localDate: string, week: Pick<WorkingWeek, 'sixDayWeek'> = {}): NonWorkingReason | null {
    const weekday = new Date(`${localDate}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || (weekday === 6 && !week.sixDayWeek)) return { kind: 'weekend' };
    return this.daysOff(Number(localDate.slice(0, 4))).get(localDate) ?? null;
  }

  isWorkingDay(localDate: string, week: Pick<WorkingWeek, 'sixDayWeek'> = {}): boolean {
    return this.nonWorking(localDate, week) === null;
  }

  /**
   * The deadline N working days after `from`: the END of the Nth working day after the day of
   * receipt (23:59:59.999 local time), whatever the hour of receipt and whether the day of
   * receipt is itself a working day. So a complaint received on Friday 16:00 WITA before a
   * Monday holiday, with 3 working days, is due Thursday 23:59:59.999 WITA (Tuesday, Wednesday,
   * Thursday), as an official would count it. n = 0 is the end of the day of receipt.
   */
  addWorkingDays(from: Date, n: number, week: WorkingWeek): Date {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer, got ${n}`);
    let day = localDateOf(from, week.zone);
    for (let counted = 0; counted < n; ) {
      day = nextDate(day);
      if (this.isWorkingDay(day, week)) counted++;
    }
    return endOfLocalDay(day, week.zone);
  }

  /** Working days strictly after the day of `from` up to and including the day of `to` (0 when `to` is not later). */
  workingDaysBetween(from: Date, to: Date, week: WorkingWeek): number {
    const last = localDateOf(to, week.zone);
    let day = localDateOf(from, week.zone);
    let n = 0;
    while (day < last) {
      day = nextDate(day);
      if (this.isWorkingDay(day, week)) n++;
    }
    return n;
  }

  private daysOff(year: number): Map<string, NonWorkingReason> {
    let days = this.byYear.get(year);
    if (days) return days;
    days = new Map();
    // date-holidays gives e.g. "2025-03-31 00:00:00 -0600" for Islamic days (they begin at the previous
    // sunset); the civil day is the date part.
    for (const h of this.holidays.getHolidays(year)) {
      if (h.type === 'public') days.set(h.date.slice(0, 10), { kind: 'national-holiday', name: h.name });
    }
    const data = this.years.get(year);
    for (const r of data?.nationalHolidayCorrections.remove ?? []) days.delete(r.date);
    for (const a of data?.nationalHolidayCorrections.add ?? []) days.set(a.date, { kind: 'national-holiday', name: a.name });
    for (const c of data?.cutiBersama ?? []) if (!days.has(c.date)) days.set(c.date, { kind: 'cuti-bersama', name: c.name });
    this.byYear.set(year, days);
    return days;
  }
}

/** The local calendar date (YYYY-MM-DD) of an instant in one of Indonesia's zones. */
export function localDateOf(at: Date, zone: IndonesianTimeZone): string {
  return new Date(at.getTime() + zone.offsetHours * 3_600_000).toISOString().slice(0, 10);
}

/** 23:59:59.999 local time on a local date, as an instant. */
export function endOfLocalDay(localDate: string, zone: IndonesianTimeZone): Date {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + DAY_MS - 1 - zone.offsetHours * 3_600_000);
}

function nextDate(localDate: string): string {
  return new Date(Date.parse(`${localDate}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** Reads every `cuti-bersama/<year>.yaml` of the calendar data folder (validated: a bad file fails at start). */
export function loadCutiBersama(dir = calendarDataDir()): CutiBersamaYear[] {
  const folder = join(dir, 'cuti-bersama');
  return readdirSync(folder)
    .filter((f) => /^\d{4}\.ya?ml$/.test(f))
    .map((f) => {
      const parsed = CutiBersamaYear.safeParse(parse(readFileSync(join(folder, f), 'utf8')));
      if (!parsed.success) throw new Error(`${join(folder, f)}: ${parsed.error.message}`);
      if (`${parsed.data.year}` !== f.slice(0, 4)) throw new Error(`${join(folder, f)}: year ${parsed.data.year} does not match the file name`);
      return parsed.data;
    });
}

/** LAPOR_CALENDAR_DATA_DIR, next to this source file (ts under Jest / swc-node), or ./libs/calendar/data (bundle run from the repo root or /app). */
export function calendarDataDir(): string {
  const candidates = [process.env[CALENDAR_DATA_DIR_ENV], join(__dirname, '../data'), join(process.cwd(), 'libs/calendar/data')].filter((p): p is string => !!p);
  const found = candidates.find((c) => existsSync(join(c, 'cuti-bersama')));
  if (!found) throw new Error(`calendar data not found; looked in ${candidates.join(', ')}. Set ${CALENDAR_DATA_DIR_ENV} to the folder holding cuti-bersama/.`);
  return found;
}

export { TIME_ZONES };
