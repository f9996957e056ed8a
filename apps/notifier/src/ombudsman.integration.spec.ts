import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { ComplaintEscalated, ComplaintEscalatedPayload, newTrackingId } from '@lapor/contracts';
import { loadConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../../test/support/database';
import { startSmtpServer } from '../../../test/support/smtp';
import { waitFor } from '../../../test/support/wait-for';
import { createNotifierApp } from './notifier.app';

const SECRET = 'ombudsman-intake-secret-for-tests';
const MAILBOX = 'pengaduan@ombudsman.example.id';

/** Ombudsman RI's intake as a local HTTP server: records each POST, answers what the test scripts (then 200). */
async function startIntake() {
  const received: { raw: string; headers: IncomingMessage['headers']; answered: number }[] = [];
  const script: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = script.shift() ?? 200;
      received.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers, answered });
      res.writeHead(answered, { 'Content-Type': 'text/plain' }).end(answered < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/simpel`, received, answer: (...codes: number[]) => script.push(...codes), stop: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The notifier's delivery of `complaint.escalated` to Ombudsman RI (docs/ombudsman.md), on the
 * real PostgreSQL, a real SMTP server and a local intake: signed, retried a bounded number of
 * times with the same delivery id, once however often the event arrives, and by e-mail.
 */
describe('notifier: forwarded complaints to Ombudsman RI', () => {
  let app: INestApplication;
  let bus: InProcessBus;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let intake: Awaited<ReturnType<typeof startIntake>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    intake = await startIntake();
    const config = loadConfig({
      DATABASE_URL: db.url,
      SMTP_URL: smtp.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-notifier-ombudsman-')),
      NOTIFY_RETRY_BASE_MS: '100',
      NOTIFY_POLL_MS: '100',
      NOTIFY_MAX_ATTEMPTS: '3',
      OMBUDSMAN_WEBHOOK_URL: intake.url,
      OMBUDSMAN_WEBHOOK_SECRET: SECRET,
      OMBUDSMAN_EMAIL: MAILBOX,
      LOG_LEVEL: 'error',
    } as NodeJS.ProcessEnv);
    bus = new InProcessBus();
    app = await createNotifierApp(config, { bus });
    await app.startAllMicroservices();
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await smtp?.stop();
    await intake?.stop();
  });

  const escalation = (over: Partial<ComplaintEscalatedPayload> = {}): ComplaintEscalatedPayload => {
    const trackingId = newTrackingId();
    return ComplaintEscalated.payload.parse({
      escalationId: `${trackingId}:ombudsman`,
      trackingId,
      forwardedAt: '2026-03-20T02:00:00.000Z',
      reason: 'follow-up-overdue',
      complaint: {
        text: 'Jalan berlubang besar di Jl. Perintis Kemerdekaan depan kampus, sudah dua motor jatuh.',
        messages: [{ at: '2026-03-02T01:15:00.000Z', channel: 'sms', text: 'Jalan berlubang besar di Jl. Perintis Kemerdekaan depan kampus, sudah dua motor jatuh.' }],
        channel: 'sms',
        receivedAt: '2026-03-02T01:15:00.000Z',
        registeredAt: '2026-03-02T01:15:01.000Z',
        submissionType: 'complaint',
        status: 'in_progress',
        statusLabel: 'Sedang ditindaklanjuti',
        category: null,
        region: { code: '73.71' },
      },
      agency: { kind: 'kota', code: '73.71', name: 'Kota Makassar', unit: 'Dinas Pekerjaan Umum' },
      timeline: [{ sequence: 1, status: 'received', label: 'Diterima', at: '2026-03-02T01:15:01.000Z' }],
      missedDeadlines: [{ stage: 'follow-up', dueAt: '2026-03-16T09:00:00.000Z', escalatedAt: '2026-03-16T09:00:05.000Z', escalatedTo: 'Pejabat penghubung Kota Makassar' }],
      reporter: { disclosure: 'confidential', identity: { name: 'Andi Pelapor', channelAddress: '+6281234567890' } },
      ...over,
    });
  };
  const publish = (p: ComplaintEscalatedPayload) => bus.publish({ topic: ComplaintEscalated.topic, key: ComplaintEscalated.key(p), value: JSON.stringify(ComplaintEscalated.create(p, { correlationId: p.trackingId })) });
  const rows = (trackingId: string) => app.get(DataSource).query(`SELECT channel, state, attempts FROM notifications WHERE tracking_id = $1 ORDER BY channel`, [trackingId]);
  const postsOf = (trackingId: string) => intake.received.filter((r) => r.raw.includes(trackingId));

  it('should post it signed, retry a failure with the same delivery id, and deliver once however often the event arrives; and e-mail the intake mailbox once', async () => {
    const p = escalation();
    intake.answer(503);
    await publish(p);
    await publish(p); // redelivered
    await waitFor(async () => (await rows(p.trackingId)).every((r: { state: string }) => r.state === 'sent') && (await rows(p.trackingId)).length === 2, { what: 'webhook and e-mail sent' });
    const posts = postsOf(p.trackingId);
    expect(posts.map((r) => r.answered)).toEqual([503, 200]);
    for (const post of posts) {
      expect(post.headers['x-lapor-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(post.raw, 'utf8').digest('hex')}`);
      expect(post.headers['x-lapor-event']).toBe('complaint.escalated');
    }
    expect(new Set(posts.map((r) => r.headers['x-lapor-delivery'])).size).toBe(1);
    expect(JSON.parse(posts[1].raw)).toEqual(p);
    const mails = smtp.inbox.filter((m) => m.mail.text?.includes(p.trackingId));
    expect(mails).toHaveLength(1);
    expect(mails[0].rcptTo).toEqual([MAILBOX]);
    expect(mails[0].mail.subject).toMatch(/diteruskan ke Ombudsman RI \(RAHASIA\)$/);
    expect(mails[0].mail.text).toContain('RAHASIA: pelapor meminta identitasnya dirahasiakan');
    expect(mails[0].mail.text).toContain('- tindak lanjut: batas 2026-03-16T09:00:00.000Z');
  });

  it('should give up on an intake that refuses the post (4xx) after one attempt, and after the bounded retries on one that keeps failing', async () => {
    const refused = escalation({ reporter: { disclosure: 'anonymous', identity: null } });
    intake.answer(400);
    await publish(refused);
    await waitFor(async () => (await rows(refused.trackingId)).find((r: { channel: string; state: string }) => r.channel === 'ombudsman' && r.state === 'failed'), { what: 'refused post failed' });
    expect(postsOf(refused.trackingId)).toHaveLength(1);
    const failing = escalation();
    intake.answer(500, 500, 500);
    await publish(failing);
    await waitFor(async () => (await rows(failing.trackingId)).find((r: { channel: string; state: string }) => r.channel === 'ombudsman' && r.state === 'failed'), { what: 'failing post given up', timeoutMs: 60_000 });
    expect(postsOf(failing.trackingId)).toHaveLength(3); // NOTIFY_MAX_ATTEMPTS
    const anonymousMail = await waitFor(() => smtp.inbox.find((m) => m.mail.text?.includes(refused.trackingId)), { what: 'the e-mail of the refused one' });
    expect(anonymousMail.mail.text).toContain('Pelapor memilih Anonim: identitas tidak disertakan.');
  });
});
