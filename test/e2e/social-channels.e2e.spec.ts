import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { formatTrackingId, trackingIdFor } from '@lapor/contracts';
import { createTestDatabase } from '../support/database';
import { startFakeTelegram } from '../support/fake-telegram';
import { startFakeX } from '../support/fake-x';
import TelegramServer from 'telegram-test-api';
import { RunningSystem, startEmbedded, startServices } from '../support/system';
import { waitFor } from '../support/wait-for';

/**
 * Telegram and X end to end on real Kafka + PostgreSQL, as separate services: the
 * platforms' webhooks reach social-intake, the router registers the complaint, and the
 * notifier answers on the same platform (a local Bot API stand-in and an HTTPS stand-in
 * for the X API, reached through telegraf and twitter-api-v2).
 */
const TOKEN = '7712345678:AAH-e2e-token-for-lapor-gateway';
const SECRET = 'e2e_webhook-secret';
const CONSUMER_SECRET = 'e2e-consumer-secret';
const ACCOUNT = '1580661436132757506';
const tgFixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../apps/social-intake/src/adapters/telegram/__fixtures__', `${name}.json`), 'utf8'));
const xFixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../apps/social-intake/src/adapters/x/__fixtures__', `${name}.json`), 'utf8'));
const sign = (body: string) => `sha256=${createHmac('sha256', CONSUMER_SECRET).update(body).digest('base64')}`;

describe('social channels end to end on real Kafka + PostgreSQL', () => {
  let system: RunningSystem;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pg: Client;
  let telegram: Awaited<ReturnType<typeof startFakeTelegram>>;
  let x: Awaited<ReturnType<typeof startFakeX>>;

  beforeAll(async () => {
    [db, telegram, x] = await Promise.all([createTestDatabase(), startFakeTelegram(), startFakeX()]);
    system = await startServices({
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      DATABASE_URL: db.url,
      BUS_NAMESPACE: `e2e-${randomUUID().slice(0, 8)}`,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-social-')),
      NOTIFY_POLL_MS: '200',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      X_CONSUMER_KEY: 'ck-e2e',
      X_CONSUMER_SECRET: CONSUMER_SECRET,
      X_ACCESS_TOKEN: `${ACCOUNT}-at`,
      X_ACCESS_SECRET: 'as-e2e',
      X_ACCOUNT_ID: ACCOUNT,
      X_API_ROOT: x.apiRoot,
      X_API_CA_FILE: x.caFile,
    });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 120_000);

  afterAll(async () => {
    await pg?.end();
    await system?.stop();
    await Promise.all([db?.drop(), telegram?.stop(), x?.stop()]);
  });

  const telegramUpdate = (name: string, chatId: number, updateId: number) => {
    const update = tgFixture(name);
    const m = update.message ?? update.edited_message;
    m.chat.id = chatId;
    m.from.id = chatId;
    m.date = Math.floor(Date.now() / 1000);
    update.update_id = updateId;
    return update;
  };
  const postTelegram = (update: unknown) => request(system.socialIntakeUrl!).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(update as object);
  const postX = (payload: unknown) => {
    const body = JSON.stringify(payload);
    return request(system.socialIntakeUrl!).post('/webhooks/x').set('Content-Type', 'application/json').set('x-twitter-webhooks-signature', sign(body)).send(body);
  };
  const rows = async (sql: string, params: unknown[]) => (await pg.query(sql, params)).rows;

  it('should register a Telegram message once though re-delivered, attach a shared location, and acknowledge it in the chat', async () => {
    const chatId = randomInt(10_000_000, 99_999_999);
    const updateId = randomInt(100_000_000, 900_000_000);
    const trackingId = trackingIdFor('telegram', String(updateId));
    const update = telegramUpdate('message', chatId, updateId);

    await postTelegram(update).expect(200);
    await postTelegram(update).expect(200); // Telegram re-delivers on a lost answer

    const ack = await waitFor(() => telegram.sent.find((m) => m.chatId === String(chatId)), { what: 'the Telegram acknowledgement', timeoutMs: 60_000 });
    expect(ack.text).toContain(`Laporan Anda telah diterima. Nomor pelacakan: ${formatTrackingId(trackingId)}`);
    expect(ack.text).toContain(`/cek ${trackingId}`);

    // The shared location follows on the same partition key, so once it is attached the re-delivery was consumed too.
    await postTelegram(telegramUpdate('location', chatId, updateId + 1)).expect(200);
    await waitFor(async () => (await rows('SELECT 1 FROM complaint_messages WHERE tracking_id = $1', [trackingId])).length === 2, { what: 'the location follow-up', timeoutMs: 60_000 });

    expect(await rows('SELECT tracking_id FROM complaints WHERE channel = $1 AND sender_id = $2', ['telegram', String(chatId)])).toEqual([{ tracking_id: trackingId }]);
    expect(await rows('SELECT channel_message_id FROM complaint_messages WHERE tracking_id = $1 ORDER BY received_at, channel_message_id', [trackingId])).toHaveLength(2);
    const [complaint] = await rows('SELECT lat, lon FROM complaints WHERE tracking_id = $1', [trackingId]);
    expect(complaint).toEqual({ lat: -6.902481, lon: 107.618782 });
    const view = (await request(system.baseUrl).get(`/api/v1/complaints/${trackingId}`).expect(200)).body;
    expect(view.status).toBe('assigned');
    await new Promise((r) => setTimeout(r, 500));
    expect(telegram.sent.filter((m) => m.chatId === String(chatId) && m.text.includes('telah diterima'))).toHaveLength(1);
  });

  it('should answer Telegram commands in the chat in Bahasa Indonesia', async () => {
    const chatId = randomInt(10_000_000, 99_999_999);
    await postTelegram(telegramUpdate('command-start', chatId, randomInt(100_000_000, 900_000_000))).expect(200);
    const welcome = await waitFor(() => telegram.sent.find((m) => m.chatId === String(chatId)), { what: 'the /start answer', timeoutMs: 60_000 });
    expect(welcome.text).toMatch(/^Selamat datang di LAPOR!/);
  });

  it('should register an X direct message and acknowledge it by DM', async () => {
    const payload = xFixture('direct-message');
    const eventId = String(randomInt(1, 2 ** 47));
    payload.direct_message_events[0].id = eventId;
    payload.direct_message_events[0].created_timestamp = String(Date.now());
    const sender = payload.direct_message_events[0].message_create.sender_id;
    const trackingId = trackingIdFor('x', `dm:${eventId}`);

    await postX(payload).expect(200);
    await postX(payload).expect(200);
    const dm = await waitFor(() => x.dms().find((d) => d.to === sender && d.text.includes(formatTrackingId(trackingId))), { what: 'the X DM acknowledgement', timeoutMs: 60_000 });
    expect(dm.text).toContain(`Laporan Anda telah diterima. Nomor pelacakan: ${formatTrackingId(trackingId)}`);
    expect(await rows('SELECT channel_message_id FROM complaint_messages WHERE tracking_id = $1', [trackingId])).toEqual([{ channel_message_id: `dm:${eventId}` }]);
    expect(x.posts()).toEqual([]); // a DM is never answered in public
  });

  it('should answer a mention publicly with only the tracking id and a DM invitation', async () => {
    const payload = xFixture('mention');
    const tweetId = String(randomInt(1, 2 ** 47));
    Object.assign(payload.tweet_create_events[0], { id_str: tweetId, id: Number(tweetId), timestamp_ms: String(Date.now()) });
    const author = payload.tweet_create_events[0].user.id_str;
    const trackingId = trackingIdFor('x', `tweet:${tweetId}`);

    await postX(payload).expect(200);
    const reply = await waitFor(() => x.posts().find((p) => p.inReplyTo === tweetId), { what: 'the public reply', timeoutMs: 60_000 });
    expect(reply.text).toBe(`Terima kasih, laporan Anda tercatat dengan nomor pelacakan ${formatTrackingId(trackingId)}. Demi menjaga kerahasiaan, mohon lanjutkan melalui Direct Message (DM) ke akun ini.`);
    // Status and body go privately, if the author accepts DMs.
    const dm = await waitFor(() => x.dms().find((d) => d.to === author), { what: 'the private acknowledgement', timeoutMs: 60_000 });
    expect(dm.text).toContain(formatTrackingId(trackingId));
    await new Promise((r) => setTimeout(r, 500));
    expect(x.posts().filter((p) => p.inReplyTo === tweetId)).toHaveLength(1);
  });

  it('should refuse unsigned X events and Telegram updates without the secret, registering nothing', async () => {
    const payload = xFixture('direct-message');
    payload.direct_message_events[0].id = 'unsigned-1';
    await request(system.socialIntakeUrl!).post('/webhooks/x').send(payload).expect(403);
    await request(system.socialIntakeUrl!).post('/webhooks/telegram').send(telegramUpdate('message', 4242, 4242)).expect(401);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await rows('SELECT 1 FROM complaint_messages WHERE channel_message_id IN ($1, $2)', ['dm:unsigned-1', '4242'])).toEqual([]);
  });
});

describe('social channels in embedded mode (npm start)', () => {
  it('should long-poll Telegram when a token is given, answer through the Bot API, and write X replies to the outbox without X keys', async () => {
    const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
    await server.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'lapor-embedded-social-'));
    const system = await startEmbedded({ DATA_DIR: dataDir, NOTIFY_POLL_MS: '200', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: server.config.apiURL, X_CONSUMER_SECRET: CONSUMER_SECRET, X_ACCOUNT_ID: ACCOUNT });
    try {
      const client = server.getClient(TOKEN, { timeout: 5000, chatId: 5150, userId: 5150, firstName: 'Dewi' });
      await client.sendMessage(client.makeMessage('Jembatan penghubung desa di Kabupaten Garut ambruk, warga harus memutar jauh'));
      const ack = await waitFor(async () => (await client.getUpdates()).result.find((u) => String(u.message.text).includes('Nomor pelacakan')), { what: 'the bot reply via telegram-test-api', timeoutMs: 60_000 });
      expect(ack.message.text).toMatch(/^Laporan Anda telah diterima\. Nomor pelacakan: [0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]/);

      const payload = xFixture('direct-message');
      payload.direct_message_events[0].created_timestamp = String(Date.now());
      await request(system.socialIntakeUrl!).post('/webhooks/x').set('Content-Type', 'application/json').set('x-twitter-webhooks-signature', sign(JSON.stringify(payload))).send(JSON.stringify(payload)).expect(200);
      const outbox = join(dataDir, 'outbox', 'x');
      const file: string = await waitFor(() => (existsSync(outbox) ? readdirSync(outbox)[0] : undefined), { what: 'the X reply in the outbox', timeoutMs: 60_000 });
      expect(JSON.parse(readFileSync(join(outbox, file), 'utf8'))).toMatchObject({ channel: 'x', to: '3805104374', body: expect.stringContaining('Nomor pelacakan') });
    } finally {
      await system.stop();
      await server.stop();
    }
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
