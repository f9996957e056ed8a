import { createHmac } from 'node:crypto';
import { AgencyNotice, AgencyNoticePayload, newTrackingId } from '@lapor/contracts';
import { NotifierHarness } from '../../../test/support/notifier-harness';
import { waitFor } from '../../../test/support/wait-for';
import { WebhookReceiver } from '../../../test/support/webhook-receiver';

const SECRET = 'deployment-webhook-secret-for-tests';

/** The signature an agency computes, written here from the design doc, independently of libs/contracts. */
function expectedSignature(bodyCode: string, keyVersion: number, raw: string): string {
  const key = createHmac('sha256', SECRET).update(`lapor-webhook:${bodyCode}:${keyVersion}`).digest('hex');
  return `sha256=${createHmac('sha256', key).update(raw, 'utf8').digest('hex')}`;
}

/** Officials' notices on the real PostgreSQL, a real SMTP server and a local HTTP receiver for the signed webhook. */
describe('notifier: notices to officials', () => {
  const notifier = new NotifierHarness();
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    await notifier.start({ NOTIFY_MAX_ATTEMPTS: '4', AGENCY_WEBHOOK_SECRET: SECRET });
  }, 60_000);

  afterAll(async () => {
    await notifier.stop();
    await receiver.stop();
  });

  const notice = (over: Partial<AgencyNoticePayload> = {}): AgencyNoticePayload => {
    const trackingId = over.trackingId ?? newTrackingId();
    return AgencyNotice.payload.parse({
      noticeId: `${trackingId}:2:assigned`,
      kind: 'assigned',
      trackingId,
      body: { kind: 'kota', code: '73.71', name: 'Kota Makassar' },
      recipients: [{ email: 'penghubung@makassarkota.go.id', name: 'Andi Pejabat Penghubung' }],
      complaint: {
        status: 'assigned',
        submissionType: 'complaint',
        channel: 'sms',
        registeredAt: '2026-03-02T01:15:00.000Z',
        excerpt: 'Jalan berlubang besar di Jl. Perintis Kemerdekaan depan kampus, sudah dua motor jatuh minggu ini.',
        confidential: false,
        anonymous: true,
        unitSuggestion: { unit: 'Dinas Pekerjaan Umum', confidence: 0.83 },
        evidence: ['Nama tempat: "Makassar" → Kota Makassar', 'Aturan: jalan kota → pemerintah kota/kabupaten'],
        dueAt: '2026-03-05T09:00:00.000Z',
      },
      consoleUrl: `https://lapor.example.id/desk/complaints/${trackingId}`,
      ...over,
    });
  };
  const publish = async (p: AgencyNoticePayload) => {
    const event = AgencyNotice.create(p, { correlationId: p.trackingId });
    await notifier.bus.publish({ topic: AgencyNotice.topic, key: AgencyNotice.key(p), value: JSON.stringify(event) });
    return event;
  };
  const mailsAbout = (trackingId: string) => notifier.smtp.inbox.filter((m) => m.mail.text?.includes(trackingId.slice(0, 5)));
  const rows = (trackingId: string) => notifier.sql(`SELECT channel, address, state, attempts, kind, last_error FROM notifications WHERE tracking_id = $1 ORDER BY channel, address`, [trackingId]);

  it('should e-mail every recipient once, with what happened, the excerpt, the evidence, the unit suggestion, the deadline and the console link', async () => {
    const p = notice({ recipients: [{ email: 'penghubung@makassarkota.go.id', name: 'Andi Pejabat Penghubung' }, { email: 'Admin.Instansi@makassarkota.go.id' }] });
    await publish(p);
    await publish(p); // redelivered
    await waitFor(async () => (await rows(p.trackingId)).filter((r: { state: string }) => r.state === 'sent').length === 2, { what: 'two e-mails sent' });
    const mails = mailsAbout(p.trackingId);
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual(['admin.instansi@makassarkota.go.id', 'penghubung@makassarkota.go.id']);
    const text = mails.find((m) => m.rcptTo[0] === 'penghubung@makassarkota.go.id')!.mail.text!;
    expect(mails[0].mail.subject).toBe(`[LAPOR!] Laporan baru: ${p.trackingId.slice(0, 5)}-${p.trackingId.slice(5, 10)}-${p.trackingId.slice(10)} (Kota Makassar)`);
    expect(text).toContain('Yth. Andi Pejabat Penghubung');
    expect(text).toContain('Laporan baru telah diteruskan kepada Kota Makassar');
    expect(text).toContain('> Jalan berlubang besar di Jl. Perintis Kemerdekaan');
    expect(text).toContain('- Aturan: jalan kota → pemerintah kota/kabupaten');
    expect(text).toContain('Saran unit kerja: Dinas Pekerjaan Umum (keyakinan 83%)');
    expect(text).toContain('Batas waktu   : 2026-03-05 17:00 WITA'); // Makassar's local time
    expect(text).toContain('Diterima      : 2026-03-02 09:15 WITA');
    expect(text).toContain('Anonim (identitas pelapor dirahasiakan)');
    expect(text).toContain(`Buka laporan di konsol LAPOR!: https://lapor.example.id/desk/complaints/${p.trackingId}`);
    expect(await rows(p.trackingId)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'official', state: 'sent', attempts: 1 })]));
  });

  it('should not let a citizen\'s opt-out of the same address silence an official notice', async () => {
    await notifier.sql(`INSERT INTO recipients (channel, address, opted_out) VALUES ('email', 'juga-warga@makassarkota.go.id', true)`);
    const p = notice({ recipients: [{ email: 'juga-warga@makassarkota.go.id' }] });
    await publish(p);
    await waitFor(async () => (await rows(p.trackingId))[0]?.state === 'sent', { what: 'the official e-mail sent' });
    expect(mailsAbout(p.trackingId)).toHaveLength(1);
  });

  it('should POST the notice to the body\'s system, signed as the design says, with a stable delivery id', async () => {
    const p = notice({ webhook: { url: `${receiver.url}/lapor/signed`, keyVersion: 3 } });
    const event = await publish(p);
    await publish(p);
    await waitFor(async () => (await rows(p.trackingId)).find((r: { channel: string; state: string }) => r.channel === 'webhook' && r.state === 'sent'), { what: 'the webhook sent' });
    const [hit] = receiver.received.filter((r) => r.path === '/lapor/signed');
    expect(receiver.received.filter((r) => r.path === '/lapor/signed')).toHaveLength(1);
    expect(hit.headers['x-lapor-signature']).toBe(expectedSignature('73.71', 3, hit.raw));
    expect(hit.headers).toMatchObject({ 'x-lapor-event': 'assigned', 'x-lapor-key-version': '3', 'x-lapor-body': '73.71', 'content-type': 'application/json; charset=utf-8' });
    expect(hit.headers['x-lapor-delivery']).toMatch(/^[0-9a-f]{32}$/);
    expect(Math.abs(Number(hit.headers['x-lapor-timestamp']) - Date.now() / 1000)).toBeLessThan(120);
    const body = JSON.parse(hit.raw);
    expect(body).toMatchObject({ noticeId: p.noticeId, kind: 'assigned', trackingId: p.trackingId, body: p.body, occurredAt: event.occurredAt, complaint: { excerpt: p.complaint.excerpt, unitSuggestion: p.complaint.unitSuggestion } });
    expect(body).not.toHaveProperty('recipients');
    expect(body).not.toHaveProperty('webhook');
    expect(hit.raw).not.toContain('penghubung@makassarkota.go.id');
  });

  it('should retry a webhook answered 500 with the same delivery id and body, until it is taken', async () => {
    receiver.answer('/lapor/flaky', 500, 503);
    const p = notice({ webhook: { url: `${receiver.url}/lapor/flaky`, keyVersion: 1 } });
    await publish(p);
    await waitFor(async () => (await rows(p.trackingId)).find((r: { channel: string; state: string }) => r.channel === 'webhook' && r.state === 'sent'), { what: 'the webhook taken on the third attempt', timeoutMs: 30_000 });
    const hits = receiver.received.filter((r) => r.path === '/lapor/flaky');
    expect(hits.map((h) => h.answered)).toEqual([500, 503, 200]);
    expect(new Set(hits.map((h) => h.headers['x-lapor-delivery'])).size).toBe(1);
    expect(new Set(hits.map((h) => h.raw)).size).toBe(1);
    for (const h of hits) expect(h.headers['x-lapor-signature']).toBe(expectedSignature('73.71', 1, h.raw));
  });

  it('should give up on a webhook answered 410 at once, and still post the next notice to that URL', async () => {
    receiver.answer('/lapor/gone', 410);
    const first = notice({ webhook: { url: `${receiver.url}/lapor/gone`, keyVersion: 1 } });
    await publish(first);
    const failed = await waitFor(async () => (await rows(first.trackingId)).find((r: { channel: string; state: string }) => r.channel === 'webhook' && r.state === 'failed'), { what: 'the permanent failure' });
    expect(failed).toMatchObject({ attempts: 1, last_error: expect.stringContaining('HTTP 410') });
    const second = notice({ webhook: { url: `${receiver.url}/lapor/gone`, keyVersion: 1 } });
    await publish(second);
    await waitFor(async () => (await rows(second.trackingId)).find((r: { channel: string; state: string }) => r.channel === 'webhook' && r.state === 'sent'), { what: 'the next notice posted' });
    expect(receiver.received.filter((r) => r.path === '/lapor/gone').map((h) => h.answered)).toEqual([410, 200]);
  });
});
