import { createHmac } from 'node:crypto';
import { ComplaintEscalated, ComplaintEscalatedPayload, newTrackingId } from '@lapor/contracts';
import { NotifierHarness } from '../../../test/support/notifier-harness';
import { waitFor } from '../../../test/support/wait-for';
import { WebhookReceiver } from '../../../test/support/webhook-receiver';

const SECRET = 'ombudsman-intake-secret-for-tests';
const MAILBOX = 'pengaduan@ombudsman.example.id';
/** Where Ombudsman RI's intake (a local receiver) takes posts. */
const INTAKE_PATH = '/simpel';

/**
 * The notifier's delivery of `complaint.escalated` to Ombudsman RI (docs/ombudsman.md), on the
 * real PostgreSQL, a real SMTP server and a local intake: signed, retried a bounded number of
 * times with the same delivery id, once however often the event arrives, and by e-mail.
 */
describe('notifier: forwarded complaints to Ombudsman RI', () => {
  const notifier = new NotifierHarness();
  const intake = new WebhookReceiver();

  beforeAll(async () => {
    await intake.start();
    await notifier.start({ NOTIFY_MAX_ATTEMPTS: '3', OMBUDSMAN_WEBHOOK_URL: `${intake.url}${INTAKE_PATH}`, OMBUDSMAN_WEBHOOK_SECRET: SECRET, OMBUDSMAN_EMAIL: MAILBOX });
  }, 60_000);

  afterAll(async () => {
    await notifier.stop();
    await intake.stop();
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
  const publish = (p: ComplaintEscalatedPayload) => notifier.bus.publish({ topic: ComplaintEscalated.topic, key: ComplaintEscalated.key(p), value: JSON.stringify(ComplaintEscalated.create(p, { correlationId: p.trackingId })) });
  const rows = (trackingId: string) => notifier.sql<{ channel: string; state: string; attempts: number }>(`SELECT channel, state, attempts FROM notifications WHERE tracking_id = $1 ORDER BY channel`, [trackingId]);
  const postsOf = (trackingId: string) => intake.received.filter((r) => r.raw.includes(trackingId));

  it('should post it signed, retry a failure with the same delivery id, and deliver once however often the event arrives; and e-mail the intake mailbox once', async () => {
    const p = escalation();
    intake.answer(INTAKE_PATH, 503);
    await publish(p);
    await publish(p); // redelivered
    await waitFor(async () => (await rows(p.trackingId)).every((r) => r.state === 'sent') && (await rows(p.trackingId)).length === 2, { what: 'webhook and e-mail sent' });
    const posts = postsOf(p.trackingId);
    expect(posts.map((r) => r.answered)).toEqual([503, 200]);
    for (const post of posts) {
      expect(post.headers['x-lapor-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(post.raw, 'utf8').digest('hex')}`);
      expect(post.headers['x-lapor-event']).toBe('complaint.escalated');
    }
    expect(new Set(posts.map((r) => r.headers['x-lapor-delivery'])).size).toBe(1);
    expect(JSON.parse(posts[1].raw)).toEqual(p);
    const mails = notifier.smtp.inbox.filter((m) => m.mail.text?.includes(p.trackingId));
    expect(mails).toHaveLength(1);
    expect(mails[0].rcptTo).toEqual([MAILBOX]);
    expect(mails[0].mail.subject).toMatch(/diteruskan ke Ombudsman RI \(RAHASIA\)$/);
    expect(mails[0].mail.text).toContain('RAHASIA: pelapor meminta identitasnya dirahasiakan');
    expect(mails[0].mail.text).toContain('- tindak lanjut: batas 2026-03-16T09:00:00.000Z');
  });

  it('should give up on an intake that refuses the post (4xx) after one attempt, and after the bounded retries on one that keeps failing', async () => {
    const refused = escalation({ reporter: { disclosure: 'anonymous', identity: null } });
    intake.answer(INTAKE_PATH, 400);
    await publish(refused);
    await waitFor(async () => (await rows(refused.trackingId)).find((r) => r.channel === 'ombudsman' && r.state === 'failed'), { what: 'refused post failed' });
    expect(postsOf(refused.trackingId)).toHaveLength(1);
    const failing = escalation();
    intake.answer(INTAKE_PATH, 500, 500, 500);
    await publish(failing);
    await waitFor(async () => (await rows(failing.trackingId)).find((r) => r.channel === 'ombudsman' && r.state === 'failed'), { what: 'failing post given up', timeoutMs: 60_000 });
    expect(postsOf(failing.trackingId)).toHaveLength(3); // NOTIFY_MAX_ATTEMPTS
    const anonymousMail = await waitFor(() => notifier.smtp.inbox.find((m) => m.mail.text?.includes(refused.trackingId)), { what: 'the e-mail of the refused one' });
    expect(anonymousMail.mail.text).toContain('Pelapor memilih Anonim: identitas tidak disertakan.');
  });
});
