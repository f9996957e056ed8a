import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AgencyNoticePayload,
  ComplaintStatus,
  DEADLINE_STAGE_LABELS,
  DEADLINE_STAGE_RUNS,
  DeadlineStage,
  deadlineStageActiveIn,
  deadlineStagesStartedBy,
  IndonesianTimeZone,
  TIME_ZONES,
  timeZoneOfRegion,
  toZonedIso,
} from '@lapor/contracts';
import { WorkingCalendar } from '@lapor/calendar';
import { computeDeadline, StageDeadline } from '@lapor/deadlines';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { BodyDirectory } from '../bodies/body-directory';
import { RouterClient } from '../clients/router.client';
import { Clock, DESK_CLOCK } from '../clock';
import { AgencyNoticesService } from '../delivery/agency-notices.service';
import { BodySettingsEntity, DeadlineEntity, DeskComplaintEntity, FastLaneEntity, OfficerEntity } from '../entities';
import { Applied, ReadModelService } from '../read-model/read-model.service';
import { Job, JobScheduler } from '../scheduler/job-scheduler.service';
import { DeadlinePolicyService } from './deadline-policy.service';

export const REMINDER_JOB = 'deadline.reminder';
export const BREACH_JOB = 'deadline.breach';

/** Who is told one level up, and how the timeline names them. */
export interface EscalationTarget {
  label: string;
  body: AgencyNoticePayload['body'];
  recipients: OfficerEntity[];
  /** Whose webhook also gets the notice (null: national admins, who have none). */
  webhookBody: string | null;
}

const NATIONAL: AgencyNoticePayload['body'] = { kind: 'agency', code: 'nasional', name: 'Admin nasional SP4N-LAPOR!' };

/**
 * Stored deadlines (docs/deadlines.md). When the read model applies a newer status, stages the
 * complaint left are met (their pending reminders cancelled) and stages it entered get a
 * deadline, computed now from the policy in force and the body's calendar and stored with its
 * jobs in one transaction: reminders before it, the breach at it. The scheduler runs the jobs;
 * a breach asks the router to `escalate` (no status change; the timeline says who was told),
 * marks the deadline breached (the queue's overdue flag) and tells the officials one level up.
 */
@Injectable()
export class DeadlinesService {
  private readonly log = new Logger(DeadlinesService.name);
  readonly calendar = new WorkingCalendar();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly policies: DeadlinePolicyService,
    private readonly scheduler: JobScheduler,
    private readonly router: RouterClient,
    private readonly readModel: ReadModelService,
    private readonly notices: AgencyNoticesService,
    private readonly bodies: BodyDirectory,
    @Inject(DESK_CLOCK) private readonly clock: Clock,
  ) {
    scheduler.handle(REMINDER_JOB, (job) => this.remind(job));
    scheduler.handle(BREACH_JOB, (job) => this.breach(job));
    readModel.subscribe((applied, previousStatus) => this.onApplied(applied, previousStatus));
  }

  /**
   * After the read model applied a change (an event or the router's answer): closes the stages
   * the complaint left and opens the ones it entered. `previousStatus` is the event's (the read
   * model's `before` when the change came from a view). A jump over several steps (a missed or
   * reordered event) still opens a stage the complaint is in and had no deadline for.
   * `laneId`: a fast lane's shorter deadlines (the lanes feature passes the complaint's lane).
   */
  async onApplied(applied: Applied | null, previousStatus?: ComplaintStatus | null, laneId?: string | null): Promise<void> {
    if (!applied || applied.after.lastSequence <= applied.before.lastSequence) return;
    const { before, after } = applied;
    const previous = previousStatus === undefined ? before.status : previousStatus;
    await this.db.transaction(async (tx) => {
      // One complaint's deadlines change one at a time (two replicas may handle its events).
      await tx.query('SELECT 1 FROM desk_complaints WHERE tracking_id = $1 FOR UPDATE', [after.trackingId]);
      const running = await tx.find(DeadlineEntity, { where: { trackingId: after.trackingId, state: In(['open', 'breached']) } });
      for (const d of running) {
        if (!deadlineStageActiveIn(d.stage, after.status)) await this.end(tx, d, 'met', after.statusAt ?? this.clock.now());
      }
      const starting = new Set(deadlineStagesStartedBy(after.status, previous));
      for (const stage of Object.keys(DEADLINE_STAGE_RUNS) as DeadlineStage[]) {
        const stillRunning = running.some((d) => d.stage === stage && deadlineStageActiveIn(stage, after.status));
        if (deadlineStageActiveIn(stage, after.status) && !deadlineStageActiveIn(stage, before.status) && !stillRunning) {
          // Entered without passing a start status we saw (events skipped): starts now.
          if (!(stage === 'verification' && after.status === 'received')) starting.add(stage);
        }
      }
      for (const stage of starting) {
        for (const d of running.filter((r) => r.stage === stage && r.state !== 'met')) await this.end(tx, d, 'superseded', after.statusAt ?? this.clock.now());
        await this.open(tx, after, stage, laneId ?? null);
      }
      for (const d of running.filter((r) => r.state === 'open' && !starting.has(r.stage) && deadlineStageActiveIn(r.stage, after.status))) {
        await this.pauseWhileWaiting(tx, d, after.status, after.statusAt ?? this.clock.now());
      }
      await this.refreshFlags(tx, after.trackingId);
    });
  }

  /**
   * A fast lane matched at registration after the first stage had already started (the status
   * event came first: two topics): that stage's open deadline is computed again with the lane's
   * rule, and its jobs replaced (new keys; the old ones cancelled).
   */
  async onLaneEntered(trackingId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM desk_complaints WHERE tracking_id = $1 FOR UPDATE', [trackingId]);
      const c = await tx.findOneOrFail(DeskComplaintEntity, { where: { trackingId } });
      const open = await tx.find(DeadlineEntity, { where: { trackingId, state: 'open' } });
      for (const d of open) {
        if (d.laneId || !c.registeredAt || d.startedAt.getTime() - c.registeredAt.getTime() >= 60_000) continue;
        const computed = await this.compute(tx, { ...c, statusAt: d.startedAt }, d.stage, null);
        if (!computed.laneId) continue;
        await this.scheduler.cancel(`deadline:${d.id}:`, tx);
        await tx.update(DeadlineEntity, { id: d.id }, { dueAt: computed.dueAt, remindAt: computed.remindAt.map((t) => t.toISOString()), laneId: computed.laneId, rule: computed.rule, ruleSource: computed.source, policyVersion: computed.version });
        await this.scheduler.schedule(jobsFor(d.id, computed, ':lane'), tx);
      }
      await this.refreshFlags(tx, trackingId);
    });
  }

  /** The open and escalated deadlines of a complaint (detail page, API). */
  running(trackingId: string): Promise<DeadlineEntity[]> {
    return this.db.manager.find(DeadlineEntity, { where: { trackingId, state: In(['open', 'breached']) }, order: { dueAt: 'ASC' } });
  }

  private async open(tx: EntityManager, c: DeskComplaintEntity, stage: DeadlineStage, laneId: string | null): Promise<void> {
    const computed = await this.compute(tx, c, stage, laneId);
    const { version, zone, bodyCode, sixDayWeek, startedAt } = computed;
    laneId = computed.laneId;
    const id = randomUUID();
    const inserted = await tx
      .createQueryBuilder()
      .insert()
      .into(DeadlineEntity)
      .values({
        id, trackingId: c.trackingId, stage, startSequence: c.lastSequence, startedAt, dueAt: computed.dueAt, remindAt: computed.remindAt.map((t) => t.toISOString()),
        bodyKind: c.bodyKind, bodyCode, bodyName: c.bodyName, unit: c.unit, timeZone: zone.abbreviation, sixDayWeek, laneId,
        policyVersion: version, rule: computed.rule, ruleSource: computed.source, state: 'open',
      })
      .orIgnore() // the same stage start seen twice (event and view): one deadline
      .returning(['id'])
      .execute();
    if (!inserted.raw?.length) return;
    await this.scheduler.schedule(jobsFor(id, computed), tx);
    this.log.log(`${c.trackingId}: ${stage} due ${toZonedIso(computed.dueAt, zone)} (${computed.source}, policy v${version})`);
  }

  /** A stage's deadline from the policy in force, the body's calendar and the complaint's fast lane. */
  private async compute(tx: EntityManager, c: DeskComplaintEntity, stage: DeadlineStage, laneId: string | null) {
    const current = await this.policies.current(tx);
    const { version } = current;
    let policy = current.policy;
    const startedAtForLane = c.statusAt ?? this.clock.now();
    // A fast lane (docs/fast-lanes.md): its deadline replaces the policy's for stages starting after the complaint entered it.
    // The policy's own `lanes` are keyed by the lane's slug; a lane's own deadlines (set by the national admin) win.
    // A lane matched at registration counts for the stage that started with it (the two clocks differ by the delivery time).
    const withRegistration = !!c.registeredAt && startedAtForLane.getTime() - c.registeredAt.getTime() < 60_000;
    if (!laneId && c.fastLaneId && (!c.fastLaneAt || c.fastLaneAt <= startedAtForLane || withRegistration)) {
      const lane = await tx.findOne(FastLaneEntity, { where: { id: c.fastLaneId } });
      const own = lane?.deadlines?.[stage];
      if (lane) {
        laneId = lane.slug;
        if (own) {
          const rule = (own.hours !== undefined ? { hours: own.hours } : { workingDays: own.workingDays! }) as { hours: number } | { workingDays: number };
          policy = { ...policy, lanes: { ...policy.lanes, [lane.slug]: { name: lane.name, stages: { ...policy.lanes[lane.slug]?.stages, [stage]: { ...rule, basis: { localPolicy: true, note: `Jalur cepat "${lane.name}" (ditetapkan admin nasional)` } } } } } };
        }
      }
    }
    const bodyCode = c.bodyKind === 'triage' ? null : c.bodyCode;
    const zone = stage === 'verification' ? TIME_ZONES.WIB : timeZoneOfRegion(bodyCode);
    const settings = bodyCode ? await tx.findOne(BodySettingsEntity, { where: { bodyCode } }) : null;
    const startedAt = c.statusAt ?? this.clock.now();
    const sixDayWeek = settings?.sixDayWeek ?? false;
    const computed = computeDeadline(this.calendar, policy, { stage, submissionType: c.submissionType, laneId, startedAt, zone, sixDayWeek });
    return { ...computed, version, zone, bodyCode, sixDayWeek, startedAt, laneId: computed.source.startsWith('lane:') ? laneId : null };
  }

  /**
   * Waiting for the reporter stops the clock (docs/deadlines.md): entering `waiting_info` pauses
   * an open deadline (its pending jobs cancelled); the reporter's answer (leaving it) moves the
   * due instant and the reminders not yet sent later by exactly as long as the complaint waited,
   * and schedules them again. The body cannot act while it waits, so that time is not its delay.
   */
  private async pauseWhileWaiting(tx: EntityManager, d: DeadlineEntity, status: ComplaintStatus, at: Date): Promise<void> {
    if (status === 'waiting_info' && !d.pausedAt) {
      await tx.update(DeadlineEntity, { id: d.id }, { pausedAt: at });
      await this.scheduler.cancel(`deadline:${d.id}:`, tx);
      this.log.log(`${d.trackingId}: ${d.stage} deadline paused while waiting for the reporter`);
      return;
    }
    if (status === 'waiting_info' || !d.pausedAt) return;
    const waitedMs = Math.max(0, at.getTime() - d.pausedAt.getTime());
    const dueAt = new Date(d.dueAt.getTime() + waitedMs);
    const remindAt = d.remindAt.map((t) => new Date(t)).filter((t) => t > d.pausedAt!).map((t) => new Date(t.getTime() + waitedMs));
    await tx.update(DeadlineEntity, { id: d.id }, { pausedAt: null, pausedSeconds: d.pausedSeconds + Math.round(waitedMs / 1000), dueAt, remindAt: remindAt.map((t) => t.toISOString()) });
    // New keys (the cancelled jobs keep theirs); the same answer seen twice finds the deadline running and does nothing.
    await this.scheduler.schedule(jobsFor(d.id, { dueAt, remindAt }, `:resumed-${at.getTime()}`, d.remindAt.length - remindAt.length), tx);
    this.log.log(`${d.trackingId}: ${d.stage} deadline resumed, due ${dueAt.toISOString()} (${Math.round(waitedMs / 1000)} s later)`);
  }

  private async end(tx: EntityManager, d: DeadlineEntity, state: 'met' | 'superseded', at: Date): Promise<void> {
    await tx.update(DeadlineEntity, { id: d.id }, { state, endedAt: at });
    d.state = state;
    await this.scheduler.cancel(`deadline:${d.id}:`, tx);
  }

  /** The queue's flags on the read model: escalated stages still running, and the nearest open deadline. */
  private async refreshFlags(tx: EntityManager, trackingId: string): Promise<void> {
    await tx.query(
      `UPDATE desk_complaints SET
         overdue_stages = COALESCE((SELECT jsonb_agg(DISTINCT stage) FROM desk_deadlines WHERE tracking_id = $1 AND state = 'breached'), '[]'::jsonb),
         due_at = (SELECT MIN(due_at) FROM desk_deadlines WHERE tracking_id = $1 AND state = 'open' AND paused_at IS NULL)
       WHERE tracking_id = $1`,
      [trackingId],
    );
  }

  /** A reminder job: the responsible officials, while the stage is still open. */
  private async remind(job: Job): Promise<void> {
    const d = await this.db.manager.findOne(DeadlineEntity, { where: { id: String(job.payload.deadlineId) } });
    if (!d || d.state !== 'open' || d.pausedAt) return;
    const c = await this.readModel.get(d.trackingId);
    if (!c) return;
    const zone = zoneOf(d);
    const recipients = await this.responsible(d);
    const body = d.stage === 'verification' || !d.bodyCode ? NATIONAL : this.bodyOf(d.bodyCode, d);
    await this.notices.publishDeadlineNotice(
      {
        kind: 'reminder',
        noticeId: `${d.trackingId}:deadline:${d.id}:reminder:${String(job.payload.index)}`,
        complaint: c,
        body,
        recipients,
        webhookBody: d.stage === 'verification' ? null : d.bodyCode,
        dueAt: d.dueAt,
        message: `Pengingat: tenggat ${DEADLINE_STAGE_LABELS[d.stage]} laporan ${d.trackingId} berakhir ${formatLocal(d.dueAt, zone)}.`,
      },
      `deadline:${d.id}`,
    );
  }

  /** A breach job: escalate through the router (once per deadline: its idempotency key), tell one level up, flag it overdue. */
  private async breach(job: Job): Promise<void> {
    const d = await this.db.manager.findOne(DeadlineEntity, { where: { id: String(job.payload.deadlineId) } });
    if (!d || d.state !== 'open' || d.pausedAt) return;
    const zone = zoneOf(d);
    const target = await this.escalationTarget(d);
    const outcome = await this.router.apply(d.trackingId, {
      idempotencyKey: `deadline:${d.id}:escalate`,
      action: { action: 'escalate', stage: d.stage, dueAt: toZonedIso(d.dueAt, zone), escalatedTo: target.label },
      actor: { kind: 'system', reason: 'tenggat terlewati' },
    });
    if (outcome.kind !== 'applied') {
      // The stage ended at the router before the desk heard (its event marks the deadline met), or the complaint is gone.
      this.log.log(`${d.trackingId}: ${d.stage} deadline not escalated (${outcome.kind}${'reason' in outcome ? `: ${outcome.reason}` : ''})`);
      return;
    }
    await this.readModel.onView(outcome.view);
    const c = await this.readModel.get(d.trackingId);
    if (c) {
      await this.notices.publishDeadlineNotice(
        {
          kind: 'escalated',
          noticeId: `${d.trackingId}:deadline:${d.id}:escalated`,
          complaint: c,
          body: target.body,
          recipients: target.recipients,
          webhookBody: target.webhookBody,
          dueAt: d.dueAt,
          message: `Eskalasi: tenggat ${DEADLINE_STAGE_LABELS[d.stage]} laporan ${d.trackingId}${d.bodyName ? ` di ${d.bodyName}${d.unit ? `, ${d.unit}` : ''}` : ''} terlewati (${formatLocal(d.dueAt, zone)}). Mohon ditindaklanjuti.`,
        },
        `deadline:${d.id}`,
      );
    }
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM desk_complaints WHERE tracking_id = $1 FOR UPDATE', [d.trackingId]);
      await tx.update(DeadlineEntity, { id: d.id, state: 'open' }, { state: 'breached', breachedAt: this.clock.now(), escalatedTo: target.label });
      await this.refreshFlags(tx, d.trackingId);
    });
  }

  /** Who must act on the stage: the national admins (verification), the body's liaisons (acceptance), the unit's officers else the liaisons. */
  private async responsible(d: DeadlineEntity): Promise<OfficerEntity[]> {
    if (d.stage === 'verification' || !d.bodyCode) return this.nationalAdmins();
    const officials = await this.db.manager.find(OfficerEntity, { where: { bodyCode: d.bodyCode, disabledAt: IsNull() } });
    const liaisons = officials.filter((o) => o.role === 'liaison');
    if (d.stage === 'acceptance' || !d.unit) return liaisons;
    const unit = d.unit.trim().toLowerCase().replace(/\s+/g, ' ');
    const officers = officials.filter((o) => o.role === 'officer' && o.unit?.trim().toLowerCase().replace(/\s+/g, ' ') === unit);
    return officers.length ? officers : liaisons;
  }

  /**
   * One level up: a unit → its body's liaisons; a kota/kabupaten → its province's liaisons
   * (the national admins when the province has none registered); a province, a K/L (ministry
   * or agency) or the verification queue → the national admins.
   */
  async escalationTarget(d: Pick<DeadlineEntity, 'stage' | 'bodyKind' | 'bodyCode' | 'bodyName' | 'unit'>): Promise<EscalationTarget> {
    const national = async (): Promise<EscalationTarget> => ({ label: 'Admin nasional', body: NATIONAL, recipients: await this.nationalAdmins(), webhookBody: null });
    if (d.stage === 'verification' || !d.bodyCode || d.bodyKind === 'triage') return national();
    const body = this.bodyOf(d.bodyCode, d);
    if (d.unit && (d.stage === 'first-response' || d.stage === 'follow-up')) {
      return { label: `Pejabat penghubung ${body.name}`, body, recipients: await this.liaisons(d.bodyCode), webhookBody: d.bodyCode };
    }
    if (body.kind === 'kota' || body.kind === 'kabupaten') {
      const provinceCode = d.bodyCode.slice(0, 2);
      const province = this.bodies.describe(provinceCode);
      const liaisons = await this.liaisons(provinceCode);
      // The reference data names provinces without the word ("Jawa Barat").
      const name = province && (/^provinsi\b/i.test(province.name) ? province.name : `Provinsi ${province.name}`);
      if (name && liaisons.length) return { label: `Pejabat penghubung ${name}`, body: { kind: 'province', code: provinceCode, name }, recipients: liaisons, webhookBody: provinceCode };
    }
    return national();
  }

  private bodyOf(code: string, d: Pick<DeadlineEntity, 'bodyKind' | 'bodyName'>): AgencyNoticePayload['body'] {
    const known = this.bodies.describe(code);
    return known ? { kind: known.kind, code, name: known.name } : { kind: d.bodyKind && d.bodyKind !== 'triage' ? d.bodyKind : 'agency', code, name: d.bodyName ?? code };
  }

  private liaisons(bodyCode: string): Promise<OfficerEntity[]> {
    return this.db.manager.find(OfficerEntity, { where: { bodyCode, role: 'liaison', disabledAt: IsNull() } });
  }

  private nationalAdmins(): Promise<OfficerEntity[]> {
    return this.db.manager.find(OfficerEntity, { where: { role: 'national-admin', disabledAt: IsNull() } });
  }
}

function zoneOf(d: DeadlineEntity): IndonesianTimeZone {
  return Object.values(TIME_ZONES).find((z) => z.abbreviation === d.timeZone) ?? TIME_ZONES.WIB;
}

/** e.g. "Kamis, 4 Juni 2026 pukul 23.59 WITA". */
export function formatLocal(at: Date, zone: IndonesianTimeZone): string {
  const date = new Intl.DateTimeFormat('id-ID', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: zone.name }).format(at);
  const time = new Intl.DateTimeFormat('id-ID', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone.name }).format(at);
  return `${date} pukul ${time} ${zone.abbreviation}`;
}

/** A deadline's jobs: its reminders and its breach (just after the due instant, 23:59:59.999 local). `suffix` keeps replaced jobs' keys apart. */
function jobsFor(id: string, d: Pick<StageDeadline, 'dueAt' | 'remindAt'>, suffix = '', firstIndex = 0) {
  return [
    ...d.remindAt.map((runAt, i) => ({ key: `deadline:${id}${suffix}:reminder:${firstIndex + i}`, kind: REMINDER_JOB, runAt, payload: { deadlineId: id, index: firstIndex + i } })),
    { key: `deadline:${id}${suffix}:breach`, kind: BREACH_JOB, runAt: new Date(d.dueAt.getTime() + 1), payload: { deadlineId: id } },
  ];
}
