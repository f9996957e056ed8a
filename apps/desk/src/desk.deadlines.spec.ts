import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EventBus } from '@lapor/bus';
import { AgencyComplaintView, DeskComplaintPage, TIME_ZONES } from '@lapor/contracts';
import { loadDeadlinePolicy } from '@lapor/deadlines';
import { loadConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { DeskHarness, Official } from '../../../test/support/desk';
import { waitFor } from '../../../test/support/wait-for';
import { DeadlinesService } from './deadlines/deadlines.service';
import { createDeskApp } from './desk.app';
import { DeadlineEntity } from './entities';
import { JobScheduler } from './scheduler/job-scheduler.service';

interface JobRow {
  key: string;
  state: string;
  run_at: Date;
  attempts: number;
}

/**
 * Deadlines end to end with the real router on the real PostgreSQL, and a controllable clock
 * (no sleeps: the scheduler's ticks are called, or its first tick at start awaited):
 * a stage's deadline is stored when it starts; its reminders and escalation fire exactly once
 * with two scheduler replicas (two desk apps on one database), across a restart and a replica
 * dying mid-job, and after a downtime that several due times fell into.
 */
describe('desk: deadlines, reminders and escalation', () => {
  const desk = new DeskHarness();
  let replicaB: NestExpressApplication | undefined;
  let admin: Official;
  let bandungLiaison: Official;
  let westJavaLiaison: Official;

  /** Another desk process on the same database, router and bus (a second replica). */
  async function replica(pollMs = 0): Promise<NestExpressApplication> {
    const config = loadConfig({
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-desk-replica-')),
      ROUTING_MODELS_DIR: mkdtempSync(join(tmpdir(), 'lapor-desk-replica-models-')),
      ROUTER_URL: desk.router.url,
      DATABASE_URL: desk.databaseUrl!,
      DESK_TIMER_POLL_MS: String(pollMs),
    } as NodeJS.ProcessEnv);
    // Publishes to the shared bus; consumes nothing (in a consumer group, the harness's desk gets the events); its stop leaves the shared bus running.
    const bus: EventBus = { publish: (r) => desk.bus.publish(r), subscribe: () => undefined, start: async () => undefined, stop: async () => undefined, isHealthy: async () => true };
    const app = await createDeskApp(config, { bus, clock: desk.clock });
    await app.init();
    return app;
  }

  beforeAll(async () => {
    await desk.start();
    admin = await desk.official('national-admin');
    bandungLiaison = await desk.official('liaison', '32.73');
    westJavaLiaison = await desk.official('liaison', '32');
    replicaB = await replica();
  }, 120_000);

  afterAll(async () => {
    await replicaB?.close();
    await desk.stop();
  });

  const deadlineOf = (trackingId: string, stage = 'acceptance') =>
    waitFor(() => desk.db.manager.findOne(DeadlineEntity, { where: { trackingId, stage: stage as DeadlineEntity['stage'] }, order: { createdAt: 'DESC' } }), { what: `the ${stage} deadline of ${trackingId}` });
  const jobsOf = async (deadlineId: string) => (await desk.db.query(`SELECT key, state, run_at, attempts FROM desk_jobs WHERE key LIKE $1 ORDER BY key`, [`deadline:${deadlineId}:%`])) as JobRow[];
  const noticesOf = (trackingId: string, kind: string) => desk.notices.filter((n) => n.trackingId === trackingId && n.kind === kind);
  const escalationsOf = async (trackingId: string) => ((await desk.router.view(trackingId)) as AgencyComplaintView).timeline.filter((t) => t.escalation);
  const tickBoth = (b: NestExpressApplication) => Promise.all([desk.app.get(JobScheduler).tick(), b.get(JobScheduler).tick()]);
  const after = (at: Date | string, ms = 1) => new Date(new Date(at).getTime() + ms);

  it('stores the acceptance deadline when the stage starts: 3 working days in the body\'s zone, with its reminder and breach jobs', async () => {
    const id = await desk.seed();
    const d = await deadlineOf(id);
    const calendar = desk.app.get(DeadlinesService).calendar;
    expect(d).toMatchObject({ state: 'open', timeZone: 'WIB', policyVersion: 0, ruleSource: 'default', bodyCode: '32.73' });
    expect(d.dueAt.toISOString()).toBe(calendar.addWorkingDays(d.startedAt, 3, { zone: TIME_ZONES.WIB }).toISOString());
    expect(d.remindAt).toHaveLength(2);
    expect((await jobsOf(d.id)).map((j) => [j.key.split(':').slice(2).join(':'), j.state])).toEqual([['breach', 'pending'], ['reminder:0', 'pending'], ['reminder:1', 'pending']]);
    const [row] = (await desk.db.query('SELECT due_at FROM desk_complaints WHERE tracking_id = $1', [id])) as { due_at: Date }[];
    expect(row.due_at.toISOString()).toBe(d.dueAt.toISOString());
  });

  it('fires a reminder and the escalation exactly once with two scheduler replicas; the queue and the timeline show it overdue until the stage ends', async () => {
    const id = await desk.seed();
    const d = await deadlineOf(id);
    desk.clock.set(after(d.remindAt[0]));
    await tickBoth(replicaB!);
    await tickBoth(replicaB!);
    expect(noticesOf(id, 'reminder').map((n) => n.noticeId)).toEqual([`${id}:deadline:${d.id}:reminder:0`]);
    expect(noticesOf(id, 'reminder')[0]).toMatchObject({ recipients: [{ email: bandungLiaison.email }], complaint: { dueAt: d.dueAt.toISOString() } });
    expect(await escalationsOf(id)).toHaveLength(0);

    desk.clock.set(after(d.dueAt, 1000));
    await tickBoth(replicaB!);
    await tickBoth(replicaB!);
    const escalations = await escalationsOf(id);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ status: 'assigned', note: 'Tenggat penerimaan oleh instansi terlewati; dieskalasi ke Pejabat penghubung Provinsi Jawa Barat' });
    expect(noticesOf(id, 'reminder').map((n) => n.noticeId)).toEqual([0, 1].map((i) => `${id}:deadline:${d.id}:reminder:${i}`));
    expect(noticesOf(id, 'escalated')).toHaveLength(1);
    expect(noticesOf(id, 'escalated')[0]).toMatchObject({ body: { code: '32' }, recipients: [{ email: westJavaLiaison.email }] });
    expect((await jobsOf(d.id)).every((j) => j.state === 'done' && j.attempts === 1)).toBe(true);
    await desk.caughtUp(id);
    expect(noticesOf(id, 'assigned')).toHaveLength(1); // the escalation's status-changed event is no new assignment

    // Visible: the queue's flag and filter, the officer API's detail, the console.
    const session = await desk.login(admin);
    const overdue = (await desk.http().get('/desk/v1/complaints?overdue=true&pageSize=200').set('Cookie', session.cookie).expect(200)).body as DeskComplaintPage;
    expect(overdue.items.find((c) => c.trackingId === id)?.overdue).toEqual(['acceptance']);
    const onTime = (await desk.http().get('/desk/v1/complaints?overdue=false&pageSize=200').set('Cookie', session.cookie).expect(200)).body as DeskComplaintPage;
    expect(onTime.items.some((c) => c.trackingId === id)).toBe(false);
    const detail = (await desk.http().get(`/desk/v1/complaints/${id}`).set('Cookie', session.cookie).expect(200)).body;
    expect(detail.overdue).toEqual([expect.objectContaining({ stage: 'acceptance', escalatedTo: 'Pejabat penghubung Provinsi Jawa Barat' })]);
    expect(detail.deadlines).toEqual([expect.objectContaining({ stage: 'acceptance', state: 'breached' })]);
    const page = await desk.http().get('/desk/laporan?overdue=true&status=all').set('Cookie', session.cookie).expect(200);
    expect(page.text).toContain(id.slice(0, 4));
    expect(page.text).toMatch(/Terlambat/);
    const detailPage = await desk.http().get(`/desk/laporan/${id}`).set('Cookie', session.cookie).expect(200);
    expect(detailPage.text).toMatch(/Tenggat penerimaan oleh instansi terlewati; dieskalasi ke Pejabat penghubung Provinsi Jawa Barat/);

    // The body accepts: the stage ends, the flag goes, the lateness stays in the timeline.
    await desk.router.apply(id, { action: 'accept' });
    await desk.caughtUp(id);
    await waitFor(async () => (await desk.db.manager.findOneByOrFail(DeadlineEntity, { id: d.id })).state === 'met', { what: 'the deadline met' });
    const later = (await desk.http().get('/desk/v1/complaints?overdue=false&pageSize=200').set('Cookie', session.cookie).expect(200)).body as DeskComplaintPage;
    expect(later.items.find((c) => c.trackingId === id)?.overdue).toEqual([]);
    expect((await deadlineOf(id, 'first-response')).state).toBe('open');
  }, 120_000);

  it('fires each job once across a restart in the middle and a replica that died holding a job', async () => {
    const id = await desk.seed();
    const d = await deadlineOf(id);
    desk.clock.set(after(d.remindAt[0]));
    await replicaB!.get(JobScheduler).tick();
    expect(noticesOf(id, 'reminder')).toHaveLength(1);
    await replicaB!.close(); // restart: B goes away between the reminder and the breach
    replicaB = undefined;

    // A replica claimed the breach and died before finishing it: its lease still holds.
    const leaseUntil = after(d.dueAt, 60_000);
    await desk.db.query(`UPDATE desk_jobs SET state = 'running', locked_by = 'desk-dead', lease_until = $2, attempts = 1 WHERE key = $1`, [`deadline:${d.id}:breach`, leaseUntil]);
    desk.clock.set(after(d.dueAt, 1000));
    replicaB = await replica();
    await tickBoth(replicaB);
    expect(await escalationsOf(id)).toHaveLength(0); // the dead replica's lease is respected
    expect(noticesOf(id, 'reminder')).toHaveLength(2);

    desk.clock.set(after(leaseUntil));
    await tickBoth(replicaB);
    await tickBoth(replicaB);
    expect(await escalationsOf(id)).toHaveLength(1);
    expect(noticesOf(id, 'escalated')).toHaveLength(1);
    expect(noticesOf(id, 'reminder').map((n) => n.noticeId)).toEqual([0, 1].map((i) => `${id}:deadline:${d.id}:reminder:${i}`));
    expect((await jobsOf(d.id)).find((j) => j.key.endsWith(':breach'))).toMatchObject({ state: 'done', attempts: 2 });
  }, 120_000);

  it('catches up after a downtime: everything that fell due while no scheduler ran fires once when one starts', async () => {
    await replicaB?.close();
    replicaB = undefined;
    desk.clock.set(new Date());
    const ids = [await desk.seed(), await desk.seed(), await desk.seed()];
    const deadlines = await Promise.all(ids.map((id) => deadlineOf(id)));
    // Down for three weeks: every reminder and every breach of the three fell due meanwhile.
    desk.clock.set(after(new Date(Math.max(...deadlines.map((d) => d.dueAt.getTime()))), 21 * 86_400_000));
    replicaB = await replica(3_600_000); // catches up in its first tick at start
    for (const id of ids) await waitFor(async () => (await escalationsOf(id)).length > 0, { what: `${id} escalated after the downtime`, timeoutMs: 60_000 });
    await replicaB.get(JobScheduler).tick();
    await desk.app.get(JobScheduler).tick();
    for (const [i, id] of ids.entries()) {
      expect(await escalationsOf(id)).toHaveLength(1);
      expect(noticesOf(id, 'reminder')).toHaveLength(2);
      expect(noticesOf(id, 'escalated')).toHaveLength(1);
      expect((await jobsOf(deadlines[i].id)).map((j) => j.state)).toEqual(['done', 'done', 'done']);
    }
  }, 180_000);

  it('applies a national admin\'s policy change (audited, versioned) to stages that start afterwards only', async () => {
    desk.clock.set(new Date());
    const before = await deadlineOf(await desk.seed());
    const session = await desk.login(admin);
    const policy = loadDeadlinePolicy();
    policy.stages.acceptance.default = { workingDays: 1, basis: { localPolicy: true, note: 'Uji: penerimaan dipercepat' } };
    const put = await desk.http().put('/desk/v1/deadline-policy').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrf).send({ policy }).expect(200);
    expect(put.body).toMatchObject({ version: 1, changedBy: admin.email, policy: { stages: { acceptance: { default: { workingDays: 1 } } } } });
    const bad = structuredClone(policy) as unknown as { stages: { acceptance: { default: { basis?: unknown } } } };
    delete bad.stages.acceptance.default.basis;
    await desk.http().put('/desk/v1/deadline-policy').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrf).send({ policy: bad }).expect(400);
    const liaisonSession = await desk.login(bandungLiaison);
    await desk.http().put('/desk/v1/deadline-policy').set('Cookie', liaisonSession.cookie).set('X-CSRF-Token', liaisonSession.csrf).send({ policy }).expect(403);
    expect((await desk.http().get('/desk/v1/deadline-policy').set('Cookie', liaisonSession.cookie).expect(200)).body.version).toBe(1);

    const unchanged = await desk.db.manager.findOneByOrFail(DeadlineEntity, { id: before.id });
    expect(unchanged.dueAt.toISOString()).toBe(before.dueAt.toISOString());
    const fresh = await deadlineOf(await desk.seed());
    const calendar = desk.app.get(DeadlinesService).calendar;
    expect(fresh.policyVersion).toBe(1);
    expect(fresh.dueAt.toISOString()).toBe(calendar.addWorkingDays(fresh.startedAt, 1, { zone: TIME_ZONES.WIB }).toISOString());
    const [audit] = (await desk.db.query(`SELECT actor_label, detail FROM desk_audit_log WHERE action = 'deadline-policy.update'`)) as { actor_label: string; detail: { from: number; to: number } }[];
    expect(audit).toMatchObject({ actor_label: admin.email, detail: { from: 0, to: 1 } });
  }, 120_000);

  it.each([
    ['a unit\'s first response → the body\'s liaison', { stage: 'first-response', bodyKind: 'kota', bodyCode: '32.73', bodyName: 'Kota Bandung', unit: 'Dinas Pekerjaan Umum' }, 'Pejabat penghubung Kota Bandung', () => bandungLiaison.email],
    ['a kota\'s acceptance → the province\'s liaison', { stage: 'acceptance', bodyKind: 'kota', bodyCode: '32.73', bodyName: 'Kota Bandung', unit: null }, 'Pejabat penghubung Provinsi Jawa Barat', () => westJavaLiaison.email],
    ['a kabupaten whose province has no liaison → the national admin', { stage: 'acceptance', bodyKind: 'kabupaten', bodyCode: '51.03', bodyName: 'Kabupaten Badung', unit: null }, 'Admin nasional', () => admin.email],
    ['a province → the national admin', { stage: 'follow-up', bodyKind: 'province', bodyCode: '32', bodyName: 'Provinsi Jawa Barat', unit: null }, 'Admin nasional', () => admin.email],
    ['verification → the national admin', { stage: 'verification', bodyKind: 'triage', bodyCode: null, bodyName: null, unit: null }, 'Admin nasional', () => admin.email],
  ] as const)('escalates one level up: %s', async (_why, deadline, label, recipient) => {
    const target = await desk.app.get(DeadlinesService).escalationTarget(deadline as unknown as DeadlineEntity);
    expect(target.label).toBe(label);
    expect(target.recipients.map((o) => o.email)).toContain(recipient());
  });

  it('gives a fast lane\'s complaint the lane\'s shorter deadline (the lane\'s own hours, on the clock)', async () => {
    desk.clock.set(new Date());
    const session = await desk.login(admin);
    await desk.http().post('/desk/v1/fast-lanes').set('Cookie', session.cookie).set('X-CSRF-Token', session.csrf)
      .send({ slug: 'banjir-uji', name: 'Banjir (uji)', rules: { keywords: ['banjir'] }, deadlines: { acceptance: { hours: 6 } }, coordinatingBodies: [] }).expect(201);
    const id = await desk.seed({ text: 'Banjir setinggi lutut di Jl. Braga Kota Bandung, mohon segera ditangani' });
    const d = await waitFor(async () => {
      const row = await deadlineOf(id);
      return row.laneId ? row : null;
    }, { what: 'the lane\'s deadline' });
    expect(d).toMatchObject({ laneId: 'banjir-uji', ruleSource: 'lane:banjir-uji', rule: { hours: 6 } });
    expect(d.dueAt.getTime() - d.startedAt.getTime()).toBe(6 * 3_600_000);
    expect((await jobsOf(d.id)).filter((j) => j.state === 'pending' && j.key.endsWith(':breach')).map((j) => j.run_at.getTime())).toEqual([d.dueAt.getTime() + 1]);
  }, 120_000);

  it('stops the follow-up clock while the complaint waits for the reporter, and runs it again, later by the time waited, when they answer', async () => {
    desk.clock.set(new Date());
    const id = await desk.seed({ status: 'accepted' });
    const d = await deadlineOf(id, 'follow-up');
    await desk.router.apply(id, { action: 'request-info', question: 'Di depan nomor berapa lampunya mati?' });
    await desk.caughtUp(id);
    const deadlineOnce = (ready: (row: DeadlineEntity) => boolean, what: string) =>
      waitFor(async () => {
        const row = await desk.db.manager.findOneByOrFail(DeadlineEntity, { id: d.id });
        return ready(row) ? row : null;
      }, { what });
    const paused = await deadlineOnce((row) => !!row.pausedAt, 'the follow-up paused');
    expect(paused).toMatchObject({ state: 'open', dueAt: d.dueAt });
    expect((await jobsOf(d.id)).map((j) => j.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const [queued] = (await desk.db.query('SELECT due_at FROM desk_complaints WHERE tracking_id = $1', [id])) as { due_at: Date | null }[];
    expect(queued.due_at).toBeNull(); // nothing runs against the body while it waits

    // Long past the original due instant while waiting: nothing fires.
    desk.clock.set(after(d.dueAt, 7 * 86_400_000));
    await tickBoth(replicaB!);
    expect(await escalationsOf(id)).toHaveLength(0);
    expect(noticesOf(id, 'reminder')).toHaveLength(0);

    // The reporter answers: the deadline moves later by exactly the time waited, and its jobs run again.
    await desk.router.reporterAction(id, { action: 'provide-info', text: 'Depan nomor 45, dekat masjid' });
    await desk.caughtUp(id);
    const resumed = await deadlineOnce((row) => !row.pausedAt, 'the follow-up running again');
    const timeline = ((await desk.router.view(id)) as AgencyComplaintView).timeline;
    const waitedMs = new Date(timeline.find((t) => t.status === 'in_progress')!.at).getTime() - new Date(timeline.find((t) => t.status === 'waiting_info')!.at).getTime();
    expect(resumed.dueAt.getTime() - d.dueAt.getTime()).toBe(waitedMs);
    expect(resumed.remindAt.map((t) => new Date(t).getTime())).toEqual(d.remindAt.map((t) => new Date(t).getTime() + waitedMs));
    expect(resumed.pausedSeconds).toBe(Math.round(waitedMs / 1000));
    expect((await jobsOf(d.id)).filter((j) => j.state === 'pending').map((j) => j.key.split(':').slice(2).join(':').replace(/^resumed-\d+:/, ''))).toEqual(['breach', 'reminder:0', 'reminder:1']);

    desk.clock.set(after(resumed.dueAt, -1000));
    await tickBoth(replicaB!);
    expect(await escalationsOf(id)).toHaveLength(0);
    await waitFor(() => noticesOf(id, 'reminder').length >= 2, { what: 'the two reminders after the answer' });
    expect(noticesOf(id, 'reminder').map((n) => n.noticeId)).toEqual([0, 1].map((i) => `${id}:deadline:${d.id}:reminder:${i}`));
    desk.clock.set(after(resumed.dueAt, 1000));
    await tickBoth(replicaB!);
    await tickBoth(replicaB!);
    expect((await escalationsOf(id)).map((e) => e.escalation?.stage)).toEqual(['follow-up']);
  }, 120_000);

  it('keeps the database the only source of truth: no job is left claimed after the replicas stop', async () => {
    const running = (await desk.app.get(DataSource).query(`SELECT key FROM desk_jobs WHERE state = 'running'`)) as { key: string }[];
    expect(running).toEqual([]);
  });
});
