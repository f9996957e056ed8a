import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { checkTrackingId, trackingIdFor } from '@lapor/contracts';
import { FakeTwilio, inboundSms, postTwilioWebhook, twilioTestEnv } from '../support/fake-twilio';
import { RunningSystem, startEmbedded, SYSTEM_MODES } from '../support/system';
import { waitFor } from '../support/wait-for';

/**
 * The SMS channel end to end: Twilio's signed webhooks into sms-intake, over the bus to
 * the router, and the notifier's SMS out through the real twilio client to a local
 * stand-in for Twilio's REST API. Once on real Kafka + PostgreSQL as separate services,
 * once in embedded mode.
 */
const TOKEN = 'e2e-auth-token-00000000000000000';
const PUBLIC = 'https://lapor.example.id';

const modes = SYSTEM_MODES;

let phoneCounter = 0;
const phone = () => `+62812${String(process.pid % 1000).padStart(3, '0')}${String(phoneCounter++).padStart(4, '0')}`;
const settle = () => new Promise((r) => setTimeout(r, 1500));

const twilioEnv = (fake: FakeTwilio, extra: Record<string, string> = {}) => twilioTestEnv(fake, TOKEN, PUBLIC, extra);

describe.each(modes)('SMS channel end to end: $name', ({ start }) => {
  let system: RunningSystem;
  let cleanup: () => Promise<void>;
  let fake: FakeTwilio;
  const db = (which: 'router' | 'notifier') => (system.apps[which] ?? system.apps.embedded).get(DataSource);
  const sms = (params: Record<string, string>) =>
    postTwilioWebhook({ deliverTo: system.smsIntakeUrl!, path: '/webhooks/twilio/sms', params, authToken: TOKEN, signedUrl: `${PUBLIC}/webhooks/twilio/sms` });
  const send = async (from: string, body: string) => {
    const params = inboundSms(from, body);
    const res = await sms(params);
    expect(res.status).toBe(200);
    return params.MessageSid;
  };
  const smsTo = (to: string, count = 1) => waitFor(() => (fake.to(to).length >= count ? fake.to(to) : undefined), { what: `${count} SMS to ${to}`, timeoutMs: 60_000 });
  const messagesOf = async (trackingId: string) =>
    (await db('router').query('SELECT text FROM complaint_messages WHERE tracking_id = $1 ORDER BY received_at', [trackingId])) as { text: string }[];
  const complaintsOf = async (sender: string) =>
    (await db('router').query('SELECT tracking_id, text, status FROM complaints WHERE sender_id = $1 ORDER BY received_at', [sender])) as { tracking_id: string; text: string; status: string }[];

  beforeAll(async () => {
    fake = await new FakeTwilio().start();
    const started = await start(twilioEnv(fake, { SMS_RATE_LIMIT_MAX_MESSAGES: '4' }));
    system = started.system;
    cleanup = started.cleanup;
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await cleanup?.();
    await fake?.stop();
  });

  it('should register an inbound SMS and acknowledge it by SMS with its tracking id', async () => {
    const from = phone();
    const sid = await send(from, 'Lampu penerangan jalan di Jl. Braga Kota Bandung mati sudah dua minggu, mohon diperbaiki');
    const trackingId = trackingIdFor('sms', sid);
    expect(checkTrackingId(trackingId).ok).toBe(true);
    const [ack] = await smsTo(from);
    expect(ack.params).toEqual({ To: from, From: '1708', Body: expect.stringContaining(`no. ${trackingId}`), StatusCallback: expect.stringMatching(/\?attempt=[0-9a-f-]{36}\.1$/) });
    expect(ack.params.StatusCallback.startsWith(`${PUBLIC}/webhooks/twilio/status?`)).toBe(true);
    expect(ack.params.Body).toContain(`CEK ${trackingId}`);
    expect(ack.params.Body.length).toBeLessThanOrEqual(160);
    const [complaint] = await complaintsOf(from);
    expect(complaint).toMatchObject({ tracking_id: trackingId, status: 'assigned' });
  });

  it('should keep emoji and non-Latin text intact from the webhook to the complaint record', async () => {
    const from = phone();
    const text = 'Jalan longsor 😱🙏 di dekat pasar. ꦥꦼꦢꦺꦴꦩꦤ꧀ — 道路被毁 — طريق';
    const sid = await send(from, text);
    await smsTo(from);
    expect((await messagesOf(trackingIdFor('sms', sid))).map((m) => m.text)).toEqual([text]);
  });

  it('should register a retried webhook (same MessageSid) once and acknowledge it once', async () => {
    const from = phone();
    const params = inboundSms(from, 'Sampah menumpuk di pasar Kota Surabaya, tidak diangkut seminggu');
    expect((await sms(params)).status).toBe(200);
    expect((await sms(params)).status).toBe(200);
    // A later message from the same number is handled after the retry (same partition key).
    await send(from, 'tambahan: baunya sampai ke sekolah');
    const trackingId = trackingIdFor('sms', params.MessageSid);
    await waitFor(async () => (await messagesOf(trackingId)).length === 2, { what: 'the follow-up', timeoutMs: 60_000 });
    await smsTo(from);
    await settle();
    expect(await complaintsOf(from)).toHaveLength(1);
    expect(fake.to(from)).toHaveLength(1);
    const rows = await db('notifier').query('SELECT dedupe_key FROM notifications WHERE address = $1', [from]);
    expect(rows).toHaveLength(1);
  });

  it('should attach a split SMS sent shortly after to the open complaint', async () => {
    const from = phone();
    const first = await send(from, 'Jembatan di Desa Sukamaju retak dan miring, berbahaya untuk anak sekolah (1/2)');
    await send(from, 'lokasinya Kecamatan Cisarua Kabupaten Bogor, mohon segera dicek (2/2)');
    const trackingId = trackingIdFor('sms', first);
    await waitFor(async () => (await messagesOf(trackingId)).length === 2, { what: 'both parts on one complaint', timeoutMs: 60_000 });
    expect(await complaintsOf(from)).toHaveLength(1);
  });

  it('should answer CEK <id> with the status, and a mistyped id as mistyped', async () => {
    const from = phone();
    const trackingId = trackingIdFor('sms', await send(from, 'Pelayanan KTP di kantor Kota Bandung lambat sekali, antre dari subuh'));
    await smsTo(from);
    await waitFor(async () => (await complaintsOf(from))[0]?.status === 'assigned', { what: 'assignment', timeoutMs: 60_000 });
    await send(from, `cek ${trackingId.slice(0, 5)}-${trackingId.slice(5, 10)}-${trackingId.slice(10)}`);
    const [, status] = await smsTo(from, 2);
    expect(status.params.Body).toMatch(new RegExp(`^LAPOR! Laporan ${trackingId}: Diteruskan ke instansi\\.`));
    const typo = trackingId.slice(0, 2) + (trackingId[2] === 'A' ? 'B' : 'A') + trackingId.slice(3);
    await send(from, `CEK ${typo}`);
    const [, , mistyped] = await smsTo(from, 3);
    expect(mistyped.params.Body).toContain('salah ketik');
    expect(mistyped.params.Body).not.toContain('Diteruskan');
  });

  it('should answer INFO and an empty SMS with the help text', async () => {
    const from = phone();
    await send(from, 'info');
    await send(from, '   ');
    const replies = await smsTo(from, 2);
    for (const r of replies) expect(r.params.Body).toMatch(/^LAPOR! 1708: kirim isi laporan langsung\. CEK <nomor> = cek status/);
    expect(await complaintsOf(from)).toHaveLength(0);
  });

  it('should refuse an over-long SMS with a clear answer and register nothing', async () => {
    const from = phone();
    await send(from, 'Tolong '.repeat(300));
    const [reply] = await smsTo(from);
    expect(reply.params.Body).toContain('terlalu panjang (maks. 1600 karakter)');
    expect(await complaintsOf(from)).toHaveLength(0);
  });

  it('should stop status SMS after STOP, still answering the STOP itself', async () => {
    const from = phone();
    const trackingId = trackingIdFor('sms', await send(from, 'Jalan rusak parah banyak lubang, sudah sering ada kecelakaan motor'));
    const [ack] = await smsTo(from);
    expect(ack.params.Body).toContain(trackingId);
    expect((await complaintsOf(from))[0].status).toBe('triage');
    await send(from, 'BERHENTI');
    const [, confirmation] = await smsTo(from, 2);
    expect(confirmation.params.Body).toContain('tidak akan menerima notifikasi lagi');
    // The follow-up routes the complaint out of triage: a status change the citizen opted out of.
    await send(from, 'lokasinya di Jl. Braga, Kota Bandung');
    await waitFor(async () => (await complaintsOf(from))[0].status === 'assigned', { what: 're-routing', timeoutMs: 60_000 });
    const suppressed = await waitFor(
      async () => (await db('notifier').query(`SELECT state FROM notifications WHERE address = $1 AND dedupe_key LIKE 'status:%' AND state = 'suppressed'`, [from]))[0],
      { what: 'the suppressed status SMS', timeoutMs: 60_000 },
    );
    expect(suppressed.state).toBe('suppressed');
    await settle();
    expect(fake.to(from)).toHaveLength(2);
  });

  it('should rate-limit a flood from one number with one polite notice, storing every message', async () => {
    const from = phone();
    const sids: string[] = [];
    for (let i = 1; i <= 7; i++) sids.push(await send(from, `Laporan banjir di Desa Sukamaju, pesan ke-${i}`));
    const trackingId = trackingIdFor('sms', sids[0]);
    await waitFor(async () => (await messagesOf(trackingId)).length === 7, { what: 'all 7 messages stored', timeoutMs: 60_000 });
    const replies = await smsTo(from, 2);
    await settle();
    expect(fake.to(from)).toHaveLength(2);
    const notice = replies.find((r) => r.params.Body.includes('banyak pesan'))!;
    expect(notice.params.Body).toContain(trackingId);
    expect(await complaintsOf(from)).toHaveLength(1);
  });

  it('should retry a failed send with backoff until Twilio takes it', async () => {
    const from = phone();
    fake.failNext(FakeTwilio.error(500, 20500, 'Internal Server Error'), from);
    fake.failNext(FakeTwilio.error(429, 20429, 'Too Many Requests', { 'Retry-After': '1' }), from);
    await send(from, 'Air PDAM di Kota Bandung mati tiga hari, warga kesulitan');
    await smsTo(from);
    expect(fake.attempts.filter((a) => a.params.To === from).map((a) => a.status)).toEqual([500, 429, 201]);
  });

  it('should record a number Twilio calls invalid (21211) and not retry it', async () => {
    const from = phone();
    fake.failNext(FakeTwilio.error(400, 21211, "The 'To' number is not a valid phone number."), from);
    await send(from, 'Puskesmas di Kota Bandung tutup pada jam pelayanan');
    const recipient = await waitFor(async () => (await db('notifier').query('SELECT unreachable, reason FROM recipients WHERE channel = $1 AND address = $2', ['sms', from]))[0], {
      what: 'the number marked unreachable',
      timeoutMs: 60_000,
    });
    expect(recipient.unreachable).toBe(true);
    const [row] = await db('notifier').query('SELECT state, vendor_error FROM notifications WHERE address = $1', [from]);
    expect(row).toEqual({ state: 'failed', vendor_error: '21211' });
    await settle();
    expect(fake.attempts.filter((a) => a.params.To === from)).toHaveLength(1);
  });

  it('should record delivery reports against the notification, and mark a dead handset', async () => {
    const ok = phone();
    await send(ok, 'Lampu lalu lintas di Kota Bandung mati');
    const [sent] = await smsTo(ok);
    const dead = phone();
    await send(dead, 'Jalan di Kota Bandung banjir setiap hujan');
    const [lost] = await smsTo(dead);
    await waitFor(async () => (await db('notifier').query(`SELECT 1 FROM notifications WHERE external_id IN ($1, $2) AND state = 'sent'`, [sent.sid, lost.sid])).length === 2, { what: 'sent rows' });
    // Twilio posts each report to the message's own StatusCallback URL (with its query) and signs that URL.
    const report = ({ sid, params: { StatusCallback } }: typeof sent, status: string, errorCode?: string) =>
      postTwilioWebhook({
        deliverTo: system.smsIntakeUrl!,
        path: StatusCallback.slice(PUBLIC.length),
        params: { MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: 'AC00000000000000000000000000000000', From: '1708', ApiVersion: '2010-04-01', ...(errorCode ? { ErrorCode: errorCode } : {}) },
        authToken: TOKEN,
        signedUrl: StatusCallback,
      });
    expect((await report(sent, 'delivered')).status).toBe(204);
    expect((await report(lost, 'undelivered', '30005')).status).toBe(204);
    const state = async (sid: string) => (await db('notifier').query('SELECT state, vendor_status, vendor_error FROM notifications WHERE external_id = $1', [sid]))[0];
    await waitFor(async () => (await state(sent.sid)).state === 'delivered', { what: 'delivered', timeoutMs: 60_000 });
    await waitFor(async () => (await state(lost.sid)).state === 'undelivered', { what: 'undelivered', timeoutMs: 60_000 });
    expect(await state(lost.sid)).toEqual({ state: 'undelivered', vendor_status: 'undelivered', vendor_error: '30005' });
    const [recipient] = await db('notifier').query('SELECT unreachable FROM recipients WHERE channel = $1 AND address = $2', ['sms', dead]);
    expect(recipient.unreachable).toBe(true);
  });

  it('should refuse unsigned and forged webhooks end to end and register nothing', async () => {
    const from = phone();
    const params = inboundSms(from, 'Laporan palsu tanpa tanda tangan');
    const unsigned = await postTwilioWebhook({ deliverTo: system.smsIntakeUrl!, path: '/webhooks/twilio/sms', params, authToken: TOKEN, signature: null });
    const forged = await postTwilioWebhook({ deliverTo: system.smsIntakeUrl!, path: '/webhooks/twilio/sms', params, authToken: 'wrong-token', signedUrl: `${PUBLIC}/webhooks/twilio/sms` });
    expect([unsigned.status, forged.status]).toEqual([403, 403]);
    await send(from, 'Laporan asli setelahnya, jalan rusak di Kota Bandung');
    await smsTo(from);
    const complaints = await complaintsOf(from);
    expect(complaints.map((c) => c.text)).toEqual(['Laporan asli setelahnya, jalan rusak di Kota Bandung']);
  });
});

describe('SMS in embedded mode: limits and configuration', () => {
  it('should serve the SMS routes without TWILIO_AUTH_TOKEN but answer 503 with the reason', async () => {
    const system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-sms-e2e-')) });
    try {
      const res = await postTwilioWebhook({ deliverTo: system.baseUrl, path: '/webhooks/twilio/sms', params: inboundSms('+628120000001', 'Jalan rusak'), authToken: TOKEN });
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text).message).toMatch(/TWILIO_AUTH_TOKEN/);
    } finally {
      await system.stop();
    }
  }, 240_000);

  it('should open no new complaint for a sender over the limit, attaching the message to the latest one', async () => {
    const fake = await new FakeTwilio().start();
    const system = await startEmbedded(twilioEnv(fake, { FOLLOW_UP_WINDOW_SECONDS: '0', SMS_RATE_LIMIT_MAX_MESSAGES: '2' }));
    try {
      const from = '+628120000002';
      const sids: string[] = [];
      for (const text of ['Jalan rusak di Kota Bandung', 'Lampu jalan mati di Kota Surabaya', 'Sampah menumpuk di Kota Medan', 'Drainase tersumbat di Kota Medan']) {
        const params = inboundSms(from, text);
        expect((await postTwilioWebhook({ deliverTo: system.baseUrl, path: '/webhooks/twilio/sms', params, authToken: TOKEN, signedUrl: `${PUBLIC}/webhooks/twilio/sms` })).status).toBe(200);
        sids.push(params.MessageSid);
      }
      const db = system.apps.embedded.get(DataSource);
      const second = trackingIdFor('sms', sids[1]);
      await waitFor(async () => (await db.query('SELECT 1 FROM complaint_messages WHERE tracking_id = $1', [second])).length === 3, { what: 'messages 3 and 4 on the second complaint', timeoutMs: 30_000 });
      const complaints = await db.query('SELECT tracking_id FROM complaints WHERE sender_id = $1', [from]);
      expect(complaints.map((c: { tracking_id: string }) => c.tracking_id).sort()).toEqual([trackingIdFor('sms', sids[0]), second].sort());
      await waitFor(() => fake.to(from).length >= 3, { what: 'two acknowledgements and one notice', timeoutMs: 30_000 });
      await settle();
      const bodies = fake.to(from).map((m) => m.params.Body);
      expect(bodies.filter((b) => b.includes('banyak pesan'))).toEqual([expect.stringContaining(second)]);
      expect(bodies).toHaveLength(3);
    } finally {
      await system.stop();
      await fake.stop();
    }
  }, 240_000);
});
