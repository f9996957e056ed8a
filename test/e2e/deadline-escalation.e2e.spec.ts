import { ComplaintEscalatedPayload, DeadlineEscalation, trackingIdFor } from '@lapor/contracts';
import { smsSegments } from '../../apps/notifier/src/senders/sms/sms-segments';
import { JobScheduler } from '../../apps/desk/src/scheduler/job-scheduler.service';
import { createOfficial, loginAt, Official, TestClock } from '../support/desk';
import { SmsReporterHarness } from '../support/sms-reporter';
import { SYSTEM_MODES } from '../support/system';
import { waitFor } from '../support/wait-for';
import { signatureValid, WebhookReceiver } from '../support/webhook-receiver';

const OMBUDSMAN_SECRET = 'e2e-ombudsman-secret-deadlines-42';
const TEXT = 'Lampu penerangan jalan di Jl. Braga Kota Bandung mati tiga minggu, rawan begal malam hari';

interface DeadlineRow {
  id: string;
  stage: string;
  state: string;
  due_at: Date;
}
interface EscalationRow {
  sequence: number;
  status: string;
  actor_kind: string | null;
  idempotency_key: string | null;
  escalation: DeadlineEscalation;
}
interface JobRow {
  key: string;
  state: string;
  locked_by: string | null;
}

/**
 * Issue 10's "Done when", end to end, with nothing applied by hand but the officials' and the
 * reporter's own steps: a complaint by SMS that its body accepts and then leaves untouched is
 * found by the DESK'S DEADLINE SCHEDULER (its real poll loop, on a controllable clock: the
 * desk's TestClock is moved past each stored deadline, the router and the notifier keep real
 * time), escalated through the router's `escalate` action as the scheduler's system actor
 * (first response, then follow-up), the reporter gets the Ombudsman RI offer by SMS (fake
 * Twilio), answers `OMBUDSMAN <id>` by a validly signed Twilio webhook, and the escalation
 * reaches the configured Ombudsman endpoint, whose signature is checked here with node:crypto.
 * Before the clock passes a deadline nothing is escalated. On real Kafka + PostgreSQL as
 * separate services, and in embedded mode (in-process bus + PGlite).
 */
describe.each(SYSTEM_MODES)('deadlines escalate an untouched complaint up to Ombudsman RI: $name', ({ start }) => {
  const clock = new TestClock();
  const reporter = new SmsReporterHarness('+62817', 90_000);
  let receiver: WebhookReceiver;
  let bandungLiaison: Official;
  let westJavaLiaison: Official;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    await reporter.start(
      start,
      {
        // The scheduler's own loop finds due jobs (every 200 ms here, 30 s by default).
        DESK_TIMER_POLL_MS: '200',
        OMBUDSMAN_WEBHOOK_URL: `${receiver.url}/simpel/intake`,
        OMBUDSMAN_WEBHOOK_SECRET: OMBUDSMAN_SECRET,
      },
      { deskClock: clock },
    );
    bandungLiaison = await createOfficial(reporter.deskApp, 'liaison', '32.73');
    westJavaLiaison = await createOfficial(reporter.deskApp, 'liaison', '32');
  }, 180_000);

  afterAll(async () => {
    await reporter.stop();
    await receiver?.stop();
  });

  const deadlinesOf = (id: string) => reporter.sql<DeadlineRow>('desk', `SELECT id, stage, state, due_at FROM desk_deadlines WHERE tracking_id = $1 ORDER BY due_at`, [id]);
  const openDeadline = (id: string, stage: string) =>
    waitFor(async () => (await deadlinesOf(id)).find((d) => d.stage === stage && d.state === 'open'), { what: `the open ${stage} deadline of ${id}`, timeoutMs: 90_000 });
  const jobsOf = (deadlineId: string) => reporter.sql<JobRow>('desk', `SELECT key, state, locked_by FROM desk_jobs WHERE key LIKE $1 ORDER BY key`, [`deadline:${deadlineId}:%`]);
  /** The router's record of escalations: timeline steps that kept the status, with who applied them and under which key. */
  const escalationsOf = (id: string) =>
    reporter.sql<EscalationRow>('router', `SELECT sequence, status, actor_kind, idempotency_key, escalation FROM complaint_status_changes WHERE tracking_id = $1 AND escalation IS NOT NULL ORDER BY sequence`, [id]);
  /** One full pass of the scheduler at the clock's current time (a pass already running may have read the clock before it moved). */
  const schedulerPass = async () => {
    const scheduler = reporter.deskApp.get(JobScheduler);
    await scheduler.tick();
    await scheduler.tick();
  };
  const at = (d: Date, ms: number) => new Date(new Date(d).getTime() + ms);

  it('should escalate the untouched complaint by the desk scheduler once each deadline passes (not before), offer Ombudsman RI by SMS, forward on OMBUDSMAN <id>, and deliver a validly signed escalation', async () => {
    clock.set(new Date());
    const from = reporter.phone();
    const id = trackingIdFor('sms', await reporter.sms(from, TEXT));
    await reporter.smsTo(from, 1); // the acknowledgement
    await reporter.statusIs(id, 'assigned');
    await waitFor(async () => (await reporter.sql('desk', `SELECT 1 FROM desk_complaints WHERE tracking_id = $1 AND status = 'assigned'`, [id])).length > 0, { what: 'the desk to know the complaint', timeoutMs: 90_000 });

    // The body accepts it in the console's API, and then nobody touches it again.
    const session = await loginAt(reporter.system.deskUrl, bandungLiaison);
    const accepted = await fetch(`${reporter.system.deskUrl}/desk/v1/complaints/${id}/actions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
      body: JSON.stringify({ action: 'accept' }),
    });
    expect(accepted.status).toBe(200);
    expect((await reporter.smsTo(from, 2))[1]).toContain(`Laporan ${id} diterima oleh`);
    const firstResponse = await openDeadline(id, 'first-response');
    const followUp = await openDeadline(id, 'follow-up');
    expect(new Date(followUp.due_at).getTime()).toBeGreaterThan(new Date(firstResponse.due_at).getTime());

    // Asked before any deadline passed: refused, with the reason.
    await reporter.sms(from, `OMBUDSMAN ${id}`);
    expect((await reporter.smsTo(from, 3))[2]).toContain('belum melewati batas waktu');

    // A minute before the first-response deadline: the reminders went, the breach did not.
    clock.set(at(firstResponse.due_at, -60_000));
    await schedulerPass();
    const beforeDue = await jobsOf(firstResponse.id);
    expect(beforeDue.map((j) => [j.key.split(':').slice(2).join(':'), j.state])).toEqual([['breach', 'pending'], ['reminder:0', 'done'], ['reminder:1', 'done']]);
    expect(await escalationsOf(id)).toEqual([]);
    expect((await deadlinesOf(id)).filter((d) => d.state !== 'open').map((d) => [d.stage, d.state])).toEqual([['acceptance', 'met']]);

    // The clock passes the deadline: the scheduler's loop finds it and escalates through the router.
    clock.set(at(firstResponse.due_at, 1_000));
    const offer = (await reporter.smsTo(from, 4))[3];
    expect(offer).toBe(`Laporan ${id} belum ditindaklanjuti tepat waktu. Balas OMBUDSMAN ${id} untuk meneruskannya ke Ombudsman RI.`);
    expect(smsSegments(offer)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const [first] = await escalationsOf(id);
    expect(first).toMatchObject({
      status: 'accepted',
      actor_kind: 'system',
      idempotency_key: `deadline:${firstResponse.id}:escalate`, // the scheduler's breach job for this stored deadline, nobody else
      escalation: { stage: 'first-response', escalatedTo: 'Pejabat penghubung Provinsi Jawa Barat' },
    });
    const breach = await waitFor(async () => (await jobsOf(firstResponse.id)).find((j) => j.key.endsWith(':breach') && j.state === 'done'), { what: 'the breach job done', timeoutMs: 90_000 });
    expect(breach.locked_by).toBe(reporter.deskApp.get(JobScheduler).workerId);
    // One level up is told: the province's liaison gets the escalation notice (the notifier's queue).
    await waitFor(async () => (await reporter.sql('notifier', `SELECT 1 FROM notifications WHERE address = $1 AND tracking_id = $2 AND body LIKE '%Eskalasi%'`, [westJavaLiaison.email, id])).length > 0, {
      what: 'the escalation notice to the province liaison',
      timeoutMs: 90_000,
    });

    // Still untouched when the follow-up deadline passes: escalated again (no second offer).
    clock.set(at(followUp.due_at, 1_000));
    const both = await waitFor(async () => ((await escalationsOf(id)).length === 2 ? await escalationsOf(id) : undefined), { what: 'the follow-up escalation', timeoutMs: 90_000 });
    expect(both.map((e) => [e.escalation.stage, e.actor_kind, e.idempotency_key])).toEqual([
      ['first-response', 'system', `deadline:${firstResponse.id}:escalate`],
      ['follow-up', 'system', `deadline:${followUp.id}:escalate`],
    ]);
    await waitFor(async () => (await deadlinesOf(id)).filter((d) => d.state === 'breached').length === 2, { what: 'both deadlines breached in the desk', timeoutMs: 90_000 });

    // The reporter answers the offer by SMS; the Ombudsman endpoint receives it, signed.
    await reporter.sms(from, `OMBUDSMAN ${id} tiga minggu gelap, belum ada petugas datang`);
    const post = await waitFor(() => receiver.received.find((r) => r.path === '/simpel/intake' && r.raw.includes(id)), { what: 'the escalation at the Ombudsman endpoint', timeoutMs: 90_000 });
    expect(signatureValid(OMBUDSMAN_SECRET, post.raw, post.headers['x-lapor-signature'])).toBe(true);
    expect(signatureValid('not-the-secret', post.raw, post.headers['x-lapor-signature'])).toBe(false);
    expect(post.headers['x-lapor-event']).toBe('complaint.escalated');
    const escalation = JSON.parse(post.raw) as ComplaintEscalatedPayload;
    expect(escalation).toMatchObject({
      trackingId: id,
      reason: 'follow-up-overdue',
      reporterNote: 'tiga minggu gelap, belum ada petugas datang',
      complaint: { text: TEXT, channel: 'sms', status: 'accepted' },
      agency: { code: '32.73', name: 'Kota Bandung' },
      reporter: { disclosure: 'open', identity: { channelAddress: from } },
    });
    expect(escalation.missedDeadlines.map((m) => [m.stage, new Date(m.dueAt).getTime(), m.escalatedTo])).toEqual([
      ['first-response', new Date(firstResponse.due_at).getTime(), 'Pejabat penghubung Provinsi Jawa Barat'],
      ['follow-up', new Date(followUp.due_at).getTime(), 'Pejabat penghubung Provinsi Jawa Barat'],
    ]);
    expect(escalation.timeline.map((t) => t.event ?? t.status)).toEqual(['received', 'assigned', 'accepted', 'escalated', 'escalated', 'forwarded-ombudsman']);

    // The reporter is told; their SMS were exactly these, each one GSM-7 segment.
    const all = await reporter.smsTo(from, 5);
    expect(all[4]).toContain(`Laporan ${id} telah diteruskan ke Ombudsman RI`);
    expect(all).toHaveLength(5);
    for (const body of all) expect({ body, ...smsSegments(body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect((await reporter.citizenView(id)).history.at(-1)).toMatchObject({ event: 'forwarded-ombudsman', label: 'Diteruskan ke Ombudsman RI' });
  }, 300_000);
});
