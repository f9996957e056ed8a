import type { INestApplication } from '@nestjs/common';
import { trackingIdFor } from '@lapor/contracts';
import request from 'supertest';
import { DESK_CLOCK, Clock } from '../../apps/desk/src/clock';
import { ObjectionWindowTimer } from '../../apps/desk/src/timers/objection-window.timer';
import { createOfficial, loginAt, Official, Session } from '../support/desk';
import { FakeTwilio, inboundSms, postTwilioWebhook, twilioTestEnv } from '../support/fake-twilio';
import { startSmtpServer } from '../support/smtp';
import { RunningSystem, SYSTEM_MODES } from '../support/system';
import { waitFor } from '../support/wait-for';
import { WebhookReceiver } from '../support/webhook-receiver';

const TOKEN = 'e2e-auth-token-00000000000000000';
const PUBLIC = 'https://lapor.example.id';
const DAY_MS = 86_400_000;

let phoneCounter = 0;
const phone = () => `+62813${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter++).padStart(4, '0')}`;

/**
 * Issue 9's story, end to end on the real router, notifier, desk and web-intake: a signed
 * SMS complaint is assigned to Kota Bandung, the liaison's e-mail arrives at a real SMTP
 * server, the liaison accepts and disposes, the unit's officer asks the reporter, the
 * reporter answers by SMS, the officer responds, the reporter objects (KEBERATAN), the
 * officer responds again and the system closes it after the objection window. Every step
 * shows in the public API and on the status page, and the reporter gets one SMS per change.
 * Then the anonymity check over the same system: an Anonim complaint's identity reaches no
 * e-mail, webhook body, desk response, page or export.
 */
describe.each(SYSTEM_MODES)('agency desk end to end: $name', ({ start }) => {
  let system: RunningSystem;
  let cleanup: () => Promise<void>;
  let twilio: FakeTwilio;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let agency: WebhookReceiver;
  let liaison: Official;
  let officer: Official;
  let liaisonSession: Session;
  let officerSession: Session;
  const deskApp = (): INestApplication => system.apps.desk ?? system.apps.embedded;

  beforeAll(async () => {
    twilio = await new FakeTwilio().start();
    smtp = await startSmtpServer();
    agency = await new WebhookReceiver().start();
    const started = await start(
      twilioTestEnv(twilio, TOKEN, PUBLIC, {
        SMTP_URL: smtp.url,
        AGENCY_WEBHOOK_SECRET: 'e2e-agency-webhook-secret',
        OBJECTION_WINDOW_DAYS: '5',
        DESK_TIMER_POLL_MS: '0',
      }),
    );
    system = started.system;
    cleanup = started.cleanup;
    liaison = await createOfficial(deskApp(), 'liaison', '32.73');
    officer = await createOfficial(deskApp(), 'officer', '32.73', 'Dinas Pekerjaan Umum');
    liaisonSession = await loginAt(system.deskUrl, liaison);
    officerSession = await loginAt(system.deskUrl, officer);
    const put = await request(system.deskUrl).put('/desk/v1/bodies/32.73/webhook').set('Cookie', liaisonSession.cookie).set('X-CSRF-Token', liaisonSession.csrf).send({ url: `${agency.url}/lapor` });
    expect(put.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await cleanup?.();
    await twilio?.stop();
    await smtp?.stop();
    await agency?.stop();
  });

  const sms = async (from: string, body: string) => {
    const params = inboundSms(from, body);
    const res = await postTwilioWebhook({ deliverTo: system.smsIntakeUrl!, path: '/webhooks/twilio/sms', params, authToken: TOKEN, signedUrl: `${PUBLIC}/webhooks/twilio/sms` });
    expect(res.status).toBe(200);
    return params.MessageSid;
  };
  const act = async (s: Session, trackingId: string, action: object) => {
    const res = await request(system.deskUrl).post(`/desk/v1/complaints/${trackingId}/actions`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(action);
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 200, message: undefined });
    return res.body as { status: string };
  };
  const deskStatus = async (trackingId: string) => (await request(system.deskUrl).get(`/desk/v1/complaints/${trackingId}`).set('Cookie', liaisonSession.cookie)).body.status as string;
  const publicView = async (trackingId: string) => (await request(system.baseUrl).get(`/api/v1/complaints/${trackingId}`)).body as { status: string; history: { status: string; label: string }[] };
  const smsTo = (to: string, count: number) => waitFor(() => (twilio.to(to).length >= count ? twilio.to(to) : undefined), { what: `${count} SMS to ${to}`, timeoutMs: 60_000 });

  it('should carry a signed SMS complaint from assignment to the system closing it after an objection', async () => {
    const reporter = phone();
    const trackingId = trackingIdFor('sms', await sms(reporter, 'Jalan berlubang besar di Jl. Braga Kota Bandung sudah sebulan, motor sering jatuh, mohon diperbaiki'));
    await smsTo(reporter, 1);
    await waitFor(async () => (await publicView(trackingId)).status === 'assigned', { what: 'assigned to Kota Bandung' });

    const mail = await waitFor(() => smtp.inbox.find((m) => m.rcptTo.includes(liaison.email) && `${m.mail.subject} ${m.mail.text}`.includes(trackingId.slice(0, 5))), { what: "the liaison's e-mail", timeoutMs: 60_000 });
    expect(mail.mail.text).toContain('Jalan berlubang');
    await waitFor(() => agency.received.some((w) => w.raw.includes(trackingId)), { what: "the body's webhook" });

    await waitFor(async () => (await deskStatus(trackingId)) === 'assigned', { what: 'the desk to show it' });
    expect((await act(liaisonSession, trackingId, { action: 'accept' })).status).toBe('accepted');
    expect((await act(liaisonSession, trackingId, { action: 'dispose', unit: 'Dinas Pekerjaan Umum' })).status).toBe('disposed');
    await waitFor(() => smtp.inbox.find((m) => m.rcptTo.includes(officer.email)), { what: "the unit officer's e-mail", timeoutMs: 60_000 });

    expect((await act(officerSession, trackingId, { action: 'request-info', question: 'Di depan nomor berapa tepatnya?' })).status).toBe('waiting_info');
    await waitFor(() => twilio.to(reporter).find((m) => m.params.Body.includes('nomor berapa')), { what: 'the question by SMS', timeoutMs: 60_000 });
    await sms(reporter, 'Di depan rumah nomor 12, dekat warung');
    await waitFor(async () => (await deskStatus(trackingId)) === 'in_progress', { what: "the reporter's answer to reach the officer", timeoutMs: 60_000 });

    expect((await act(officerSession, trackingId, { action: 'respond', response: 'Lubang sudah ditambal oleh Dinas PU pada hari ini.' })).status).toBe('responded');
    await waitFor(() => twilio.to(reporter).find((m) => m.params.Body.includes('ditambal')), { what: 'the response summary by SMS', timeoutMs: 60_000 });

    await sms(reporter, `KEBERATAN ${trackingId} masih berlubang di sisi kiri`);
    await waitFor(async () => (await deskStatus(trackingId)) === 'reopened', { what: 'the objection to reopen it', timeoutMs: 60_000 });
    expect((await act(officerSession, trackingId, { action: 'respond', response: 'Sisi kiri juga sudah ditambal.' })).status).toBe('responded');

    // The objection window passes on the desk's clock; the timer closes it as the system.
    const clock = deskApp().get<Clock>(DESK_CLOCK);
    const now = clock.now;
    clock.now = () => new Date(Date.now() + 6 * DAY_MS);
    try {
      expect(await deskApp().get(ObjectionWindowTimer).tick()).toBeGreaterThanOrEqual(1);
    } finally {
      clock.now = now;
    }
    const view = await waitFor(async () => ((await publicView(trackingId)).status === 'closed' ? publicView(trackingId) : undefined), { what: 'closed by the system' });
    const steps = view.history.map((h) => h.status);
    expect(steps).toEqual(['received', 'assigned', 'accepted', 'disposed', 'waiting_info', 'in_progress', 'responded', 'reopened', 'responded', 'closed']);
    const page = await request(system.baseUrl).get(`/lapor/cek?id=${trackingId}`);
    for (const h of view.history) expect(page.text).toContain(h.label);
    expect(page.text).toContain('Sisi kiri juga sudah ditambal');
    // One SMS per change after registration (the acknowledgement covers received and assigned).
    const texts = (await smsTo(reporter, steps.length - 1)).map((m) => m.params.Body);
    expect(texts).toHaveLength(steps.length - 1);
  }, 240_000);

  it("should keep an Anonim reporter's identity out of e-mails, webhook bodies, desk responses, pages and exports", async () => {
    const identity = { name: 'Rina Kusumawati', email: 'rina.kusumawati@example.org', phone: '+6285711223344' };
    const filed = await request(system.baseUrl).post('/api/v1/complaints').send({ text: 'Pungutan liar di kantor kelurahan Braga Kota Bandung saat mengurus surat pindah', regionCode: '32.73', anonymous: true, reporter: identity });
    expect(filed.status).toBe(202);
    const trackingId = filed.body.trackingId as string;
    await waitFor(() => smtp.inbox.find((m) => m.rcptTo.includes(liaison.email) && (m.mail.text ?? '').includes(trackingId.slice(0, 5))), { what: "the liaison's e-mail", timeoutMs: 60_000 });
    await waitFor(() => agency.received.find((w) => w.raw.includes(trackingId)), { what: 'the webhook' });
    await act(liaisonSession, trackingId, { action: 'accept' });
    await act(liaisonSession, trackingId, { action: 'dispose', unit: 'Dinas Pekerjaan Umum' });
    await waitFor(() => smtp.inbox.find((m) => m.rcptTo.includes(officer.email) && (m.mail.text ?? '').includes(trackingId.slice(0, 5))), { what: "the officer's e-mail", timeoutMs: 60_000 });
    const surfaces: Record<string, string> = {
      emails: smtp.inbox.filter((m) => m.rcptTo.some((r) => r.endsWith('contoh.go.id'))).map((m) => `${m.mail.subject}\n${m.mail.text}\n${m.mail.html || ''}`).join('\n'),
      webhooks: agency.received.map((w) => `${JSON.stringify(w.headers)}\n${w.raw}`).join('\n'),
    };
    for (const [name, path] of [['api', `/desk/v1/complaints/${trackingId}`], ['queue', '/desk/v1/complaints?status=disposed'], ['export', '/desk/v1/complaints.csv'], ['page', `/desk/laporan/${trackingId}`], ['queue page', '/desk/laporan?status=all']]) {
      for (const s of [liaisonSession, officerSession]) surfaces[`${name} ${s === liaisonSession ? 'liaison' : 'officer'}`] = (await request(system.deskUrl).get(path).set('Cookie', s.cookie)).text;
    }
    expect(surfaces['api officer'] + surfaces['queue page liaison']).toContain(trackingId);
    const leaks = Object.fromEntries(Object.entries(surfaces).map(([k, text]) => [k, Object.values(identity).filter((v) => text.includes(v) || text.includes(v.replace('+62', '0')))]).filter(([, v]) => v.length));
    expect(leaks).toEqual({});
  }, 180_000);
});
