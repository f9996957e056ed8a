import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DeadlinePolicy, DeadlineRule, DeadlineStage, IndonesianTimeZone, SubmissionType } from '@lapor/contracts';
import { WorkingCalendar } from '@lapor/calendar';

/** Environment variable naming another default policy file (the desk's stored versions still win). */
export const DEADLINE_POLICY_FILE_ENV = 'DEADLINE_POLICY_FILE';

/** Which stage's deadline, for which complaint: the lookup "per stage, per submission type, per fast lane". */
export interface DeadlineQuery {
  stage: DeadlineStage;
  submissionType?: SubmissionType | null;
  /** A fast lane's id: its rule for the stage wins over the submission type's and the default. */
  laneId?: string | null;
}

export interface ResolvedRule {
  rule: DeadlineRule;
  /** Where it came from, for the timeline and the audit: `lane:<id>`, `type:<submissionType>` or `default`. */
  source: string;
}

/** Lane first, then submission type, then the stage's default. */
export function ruleFor(policy: DeadlinePolicy, q: DeadlineQuery): ResolvedRule {
  const lane = q.laneId ? policy.lanes[q.laneId]?.stages[q.stage] : undefined;
  if (lane) return { rule: lane, source: `lane:${q.laneId}` };
  const stage = policy.stages[q.stage];
  const byType = q.submissionType ? stage.bySubmissionType[q.submissionType] : undefined;
  if (byType) return { rule: byType, source: `type:${q.submissionType}` };
  return { rule: stage.default, source: 'default' };
}

export interface StageDeadline extends ResolvedRule {
  dueAt: Date;
  /** When the responsible officials are reminded (strictly between start and due, ascending). */
  remindAt: Date[];
}

const HOUR_MS = 3_600_000;
/** Reminders "N working days before" go out at 08:00 local time on that working day. */
const REMINDER_LOCAL_HOUR = 8;

/**
 * Computes a stage's deadline when the stage starts (the desk stores it; a later policy change
 * does not move it). Working-day rules use the body's calendar (zone, six-day week); hour rules
 * run on the clock.
 */
export function computeDeadline(
  calendar: WorkingCalendar,
  policy: DeadlinePolicy,
  q: DeadlineQuery & { startedAt: Date; zone: IndonesianTimeZone; sixDayWeek?: boolean },
): StageDeadline {
  const resolved = ruleFor(policy, q);
  const week = { zone: q.zone, sixDayWeek: q.sixDayWeek };
  const rule = resolved.rule;
  const dueAt = 'workingDays' in rule ? calendar.addWorkingDays(q.startedAt, rule.workingDays, week) : new Date(q.startedAt.getTime() + rule.hours * HOUR_MS);
  const start = q.startedAt.getTime();
  const reminders = policy.reminders.map((r) => {
    if ('fraction' in r) return start + Math.floor((dueAt.getTime() - start) * r.fraction);
    if ('hours' in rule) return dueAt.getTime() - r.workingDaysBefore * 24 * HOUR_MS;
    const day = rule.workingDays - r.workingDaysBefore + 1;
    if (day < 1) return Number.NaN;
    // End of that working day minus (24 − 8) h + 1 ms = 08:00:00.000 local on it.
    return calendar.addWorkingDays(q.startedAt, day, week).getTime() - (24 - REMINDER_LOCAL_HOUR) * HOUR_MS + 1;
  });
  const remindAt = [...new Set(reminders.filter((t) => t > start && t < dueAt.getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
  return { ...resolved, dueAt, remindAt };
}

/** Reads and validates a policy file (YAML or JSON); a bad file fails at start with the reason. */
export function loadDeadlinePolicy(file = defaultPolicyFile()): DeadlinePolicy {
  const parsed = DeadlinePolicy.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: invalid deadline policy: ${parsed.error.message}`);
  return parsed.data;
}

/** DEADLINE_POLICY_FILE, next to this source (Jest / swc-node), or ./libs/deadlines/policy (bundle run from the repo root or /app). */
export function defaultPolicyFile(): string {
  const candidates = [process.env[DEADLINE_POLICY_FILE_ENV], join(__dirname, '../policy/deadline-policy.yaml'), join(process.cwd(), 'libs/deadlines/policy/deadline-policy.yaml')].filter((p): p is string => !!p);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`deadline policy not found; looked in ${candidates.join(', ')}. Set ${DEADLINE_POLICY_FILE_ENV}.`);
  return found;
}
