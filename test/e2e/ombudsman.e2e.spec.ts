import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { Actor, ComplaintAction, ComplaintEscalatedPayload, ComplaintView, trackingIdFor } from '@lapor/contracts';
import { smsSegments } from '../../apps/notifier/src/senders/sms/sms-segments';
import { launchChromium } from '../support/browser';
import { createOfficial, loginAt } from '../support/desk';
import { startSmtpServer } from '../support/smtp';
import { BANDUNG_LIAISON as liaison, SmsReporterHarness } from '../support/sms-reporter';
import { RunningSystem, startEmbedded, SYSTEM_MODES } from '../support/system';
import { waitFor } from '../support/wait-for';
import { signatureValid, WebhookReceiver } from '../support/webhook-receiver';

const OMBUDSMAN_SECRET = 'e2e-ombudsman-secret-0123456789';
/** The desk's deadline scheduler acts as the system (here the router's internal API is called as it would; test/e2e/deadline-escalation.e2e.spec.ts drives the scheduler itself with its clock). */
const scheduler: Actor = { kind: 'system', reason: 'penjadwal tenggat' };

/**
 * Issue 10, end to end, on real Kafka + PostgreSQL as separate services: a complaint by SMS
 * that nobody follows up is escalated, its reporter gets the Ombudsman RI offer by SMS
 * (fake Twilio), answers OMBUDSMAN <id> by a signed Twilio webhook, and the escalation
 * reaches Ombudsman RI's intake as a signed webhook (verified here independently) and an
 * e-mail (real SMTP); the complaint shows "Diteruskan ke Ombudsman RI" and the desk's read
 * model records it. The escalation is applied here through the router's internal API as the
 * scheduler's actor; deadline-escalation.e2e.spec.ts has the desk's scheduler find it by itself.
 */
describe('forwarding to Ombudsman RI, end to end (separate services on real Kafka + PostgreSQL)', () => {
  const reporter = new SmsReporterHarness('+62816', 90_000);
  let receiver: WebhookReceiver;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    smtp = await startSmtpServer();
    await reporter.start(SYSTEM_MODES[0].start, {
      SMTP_URL: smtp.url,
      OMBUDSMAN_WEBHOOK_URL: `${receiver.url}/simpel/intake`,
      OMBUDSMAN_WEBHOOK_SECRET: OMBUDSMAN_SECRET,
      OMBUDSMAN_EMAIL: 'Pengaduan@Ombudsman.example.id',
    });
  }, 180_000);

  afterAll(async () => {
    await reporter.stop();
    await smtp?.stop();
    await receiver?.stop();
  });

  it('should offer Ombudsman RI by SMS when the follow-up is overdue, forward on OMBUDSMAN <id>, and deliver a validly signed escalation', async () => {
    const from = reporter.phone();
    const text = 'Jalan berlubang besar di Jl. Braga Kota Bandung sejak Januari, sudah tiga motor jatuh';
    const id = trackingIdFor('sms', await reporter.sms(from, text));
    await reporter.smsTo(from, 1); // the acknowledgement
    await reporter.statusIs(id, 'assigned');
    await reporter.act(id, { action: 'accept' }, liaison);
    await reporter.smsTo(from, 2);

    // Asked too early, the reporter is told why, and nothing is forwarded.
    await reporter.sms(from, `OMBUDSMAN ${id}`);
    expect((await reporter.smsTo(from, 3))[2]).toContain('belum melewati batas waktu');

    // Left untouched: the follow-up deadline passes and the scheduler escalates it.
    await reporter.act(id, { action: 'escalate', stage: 'follow-up', dueAt: new Date(Date.now() - 60_000).toISOString(), escalatedTo: 'Pejabat penghubung Pemerintah Kota Bandung' }, scheduler);
    const offer = (await reporter.smsTo(from, 4))[3];
    expect(offer).toBe(`Laporan ${id} belum ditindaklanjuti tepat waktu. Balas OMBUDSMAN ${id} untuk meneruskannya ke Ombudsman RI.`);
    expect(smsSegments(offer)).toMatchObject({ encoding: 'GSM-7', segments: 1 });

    await reporter.sms(from, `OMBUDSMAN ${id} sudah dua bulan tidak ada perbaikan`);
    const post = await waitFor(() => receiver.received.find((r) => r.path === '/simpel/intake'), { what: 'the escalation at the Ombudsman endpoint', timeoutMs: 90_000 });
    expect(signatureValid(OMBUDSMAN_SECRET, post.raw, post.headers['x-lapor-signature'])).toBe(true);
    expect(signatureValid('another-secret', post.raw, post.headers['x-lapor-signature'])).toBe(false);
    expect(post.headers['x-lapor-event']).toBe('complaint.escalated');
    expect(post.headers['x-lapor-delivery']).toMatch(/^[0-9a-f]{32}$/);
    const escalation = JSON.parse(post.raw) as ComplaintEscalatedPayload;
    expect(escalation).toMatchObject({
      escalationId: `${id}:ombudsman`,
      trackingId: id,
      reason: 'follow-up-overdue',
      reporterNote: 'sudah dua bulan tidak ada perbaikan',
      complaint: { text, channel: 'sms', status: 'accepted', submissionType: 'complaint' },
      agency: { code: '32.73', name: 'Kota Bandung' },
      missedDeadlines: [{ stage: 'follow-up', escalatedTo: 'Pejabat penghubung Pemerintah Kota Bandung' }],
      reporter: { disclosure: 'open', identity: { channelAddress: from } },
    });
    expect(escalation.timeline.map((t) => t.event ?? t.status)).toEqual(['received', 'assigned', 'accepted', 'escalated', 'forwarded-ombudsman']);

    // The same, by e-mail to the intake mailbox (real SMTP).
    const mail = await waitFor(() => smtp.inbox.find((m) => m.rcptTo.includes('pengaduan@ombudsman.example.id')), { what: 'the e-mail to Ombudsman RI', timeoutMs: 90_000 });
    expect(mail.mail.subject).toContain('diteruskan ke Ombudsman RI');
    expect(mail.mail.text).toContain(text);

    // The reporter is told; the complaint says so everywhere; the desk's read model counts it.
    expect((await reporter.smsTo(from, 5))[4]).toContain(`Laporan ${id} telah diteruskan ke Ombudsman RI`);
    const view = await reporter.citizenView(id);
    expect(view.status).toBe('accepted');
    expect(view.forwardedToOmbudsmanAt).toEqual(expect.any(String));
    expect(view.history.at(-1)).toMatchObject({ event: 'forwarded-ombudsman', label: 'Diteruskan ke Ombudsman RI' });
    const page = await (await fetch(`${reporter.system.baseUrl}/lapor/cek?id=${id}`)).text();
    expect(page).toContain('id="ombudsman">Diteruskan ke Ombudsman RI pada ');
    const desk = await waitFor(async () => (await reporter.sql<{ status: string }>('desk', 'SELECT forwarded_to_ombudsman_at, status FROM desk_complaints WHERE tracking_id = $1 AND forwarded_to_ombudsman_at IS NOT NULL', [id]))[0], { what: 'the desk read model', timeoutMs: 90_000 });
    expect(desk.status).toBe('accepted');

    // Answering again forwards nothing twice.
    await reporter.sms(from, `OMBUDSMAN ${id}`);
    expect((await reporter.smsTo(from, 6))[5]).toContain('sudah diteruskan ke Ombudsman RI');
    expect(receiver.received.filter((r) => r.path === '/simpel/intake')).toHaveLength(1);
    for (const body of reporter.fake.to(from).map((m) => m.params.Body)) expect({ body, ...smsSegments(body) }).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});

/**
 * The status page's button in headless Chromium (embedded mode): a web complaint from an
 * Anonim reporter, overdue, forwarded with "Teruskan ke Ombudsman RI"; the page, the desk's
 * detail page and the Ombudsman's copy say so, and none of them carries the reporter.
 */
describe('forwarding to Ombudsman RI from the status page (embedded mode, headless Chromium)', () => {
  let system: RunningSystem;
  let browser: Browser;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-ombudsman-')), NOTIFY_POLL_MS: '100', OMBUDSMAN_WEBHOOK_URL: receiver.url, OMBUDSMAN_WEBHOOK_SECRET: OMBUDSMAN_SECRET });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    await receiver?.stop();
  });

  const act = async (id: string, action: ComplaintAction, actor: Actor) => {
    const res = await fetch(`${system.baseUrl}/internal/v1/complaints/${id}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action, actor }) });
    if (res.status !== 200) throw new Error(`${action.action}: ${res.status} ${await res.text()}`);
  };
  const file = async (over: Record<string, unknown>) => {
    const res = await fetch(`${system.baseUrl}/api/v1/complaints`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() }, body: JSON.stringify({ text: 'Lampu penerangan jalan di Jl. Braga Kota Bandung mati sebulan, rawan kejahatan', regionCode: '32.73', ...over }) });
    expect(res.status).toBeLessThan(300);
    const { trackingId } = (await res.json()) as { trackingId: string };
    await waitFor(async () => ((await (await fetch(`${system.baseUrl}/api/v1/complaints/${trackingId}`)).json()) as ComplaintView).status === 'assigned', { what: 'assigned', timeoutMs: 60_000 });
    await act(trackingId, { action: 'accept' }, liaison);
    return trackingId;
  };

  it('should refuse the form while the follow-up is on time, saying why', async () => {
    const id = await file({});
    const res = await fetch(`${system.baseUrl}/lapor/cek/${id}/ombudsman`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'catatan=&key=k1' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('belum melewati batas waktu tindak lanjut');
    expect(await (await fetch(`${system.baseUrl}/lapor/cek?id=${id}`)).text()).not.toContain('id="forward-ombudsman"');
  });

  it('should show the button once the follow-up is overdue, forward an Anonim complaint without identity, and show "Diteruskan ke Ombudsman RI" to citizen and officials', async () => {
    const id = await file({ anonymous: true, reporter: { name: 'Siti Rahmawati', email: 'siti.rahmawati@example.id' } });
    await act(id, { action: 'escalate', stage: 'follow-up', dueAt: new Date(Date.now() - 60_000).toISOString(), escalatedTo: 'Pejabat penghubung Pemerintah Kota Bandung' }, scheduler);
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'id-ID' });
    try {
      await page.goto(`${system.baseUrl}/lapor/cek?id=${id}`);
      expect(await page.textContent('#ombudsman-offer')).toContain('belum ditindaklanjuti tepat waktu');
      await page.fill('#ombudsman-note', 'Sudah sebulan gelap gulita');
      await page.click('#forward-ombudsman');
      await page.waitForSelector('#notice');
      expect(await page.textContent('#notice')).toContain('telah diteruskan ke Ombudsman RI');
      expect(await page.textContent('#ombudsman')).toContain('Diteruskan ke Ombudsman RI');
      expect(await page.textContent('#timeline')).toContain('Diteruskan ke Ombudsman RI');
      expect(await page.$('#forward-ombudsman')).toBeNull();
    } finally {
      await page.close();
    }
    const post = await waitFor(() => receiver.received.find((r) => r.raw.includes(id)), { what: 'the escalation', timeoutMs: 60_000 });
    expect(signatureValid(OMBUDSMAN_SECRET, post.raw, post.headers['x-lapor-signature'])).toBe(true);
    expect(JSON.parse(post.raw)).toMatchObject({ trackingId: id, reporterNote: 'Sudah sebulan gelap gulita', reporter: { disclosure: 'anonymous', identity: null } });
    expect(post.raw).not.toMatch(/Siti|rahmawati/i);

    const official = await createOfficial(system.apps.embedded, 'liaison', '32.73');
    const session = await loginAt(system.deskUrl, official);
    const detail = await (await fetch(`${system.deskUrl}/desk/laporan/${id}`, { headers: { Cookie: session.cookie } })).text();
    expect(detail).toContain('id="ombudsman"><b>Diteruskan ke Ombudsman RI</b>');
    expect(detail).toContain('Tenggat tindak lanjut terlewati');
    expect(detail).not.toMatch(/Siti|rahmawati/i);
  });
});
