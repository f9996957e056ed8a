import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { trackingIdFor } from '@lapor/contracts';
import { loadConfig } from '@lapor/runtime';
import request from 'supertest';
import TelegramServer from 'telegram-test-api';
import exifr from 'exifr';
import { attachmentStoreFromEnv } from '@lapor/storage';
import { DISGUISED, phonePhoto } from '../../../../../test/support/attachments';
import { startFakeTelegram } from '../../../../../test/support/fake-telegram';
import { waitFor } from '../../../../../test/support/wait-for';
import { createSocialIntakeApp } from '../../social-intake.app';
import { CapturingBus } from '../../testing/capturing-bus';
import { TelegramChatAdapter } from './telegram.adapter';

const TOKEN = '7712345678:AAH-test-token-for-lapor-gateway';
const SECRET = 'lapor_webhook-secret_123';
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '__fixtures__', `${name}.json`), 'utf8'));

async function start(env: Record<string, string>, bus = new CapturingBus()) {
  const dataDir = mkdtempSync(join(tmpdir(), 'social-'));
  const app = await createSocialIntakeApp(loadConfig({ LOG_LEVEL: 'error', DATA_DIR: dataDir, ...env } as NodeJS.ProcessEnv), { bus });
  await app.listen(0, '127.0.0.1');
  return { app, bus, http: app.getHttpServer(), store: attachmentStoreFromEnv({ DATA_DIR: dataDir }) };
}

describe(TelegramChatAdapter.name, () => {
  describe('webhook mode', () => {
    let fakeTelegram: Awaited<ReturnType<typeof startFakeTelegram>>;
    let app: INestApplication;
    let bus: CapturingBus;
    let http: unknown;
    let store: ReturnType<typeof attachmentStoreFromEnv>;
    const post = (update: unknown, secret: string | null = SECRET) => {
      const req = request(http as never).post('/webhooks/telegram').send(update as object);
      return secret === null ? req : req.set('X-Telegram-Bot-Api-Secret-Token', secret);
    };

    /** A command message as Telegram sends it: the text and its bot_command entity. */
    const cmd = (text: string, update_id: number) => {
      const base = fixture('command-start');
      return { ...base, update_id, message: { ...base.message, text, entities: [{ offset: 0, length: text.split(' ')[0].length, type: 'bot_command' }] } };
    };

    beforeAll(async () => {
      fakeTelegram = await startFakeTelegram();
      ({ app, bus, http, store } = await start({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fakeTelegram.apiRoot }));
    });
    afterAll(async () => {
      await app?.close();
      await fakeTelegram?.stop();
    });
    beforeEach(() => {
      bus.clear();
      bus.down = false;
    });

    // The fixtures, wrong and missing tokens, redeliveries and malformed bodies are the shared harness's (test/channels/channel-fixtures.spec.ts).
    it('should tell a missing secret token (401) from a wrong one (403), also one character short, and publish nothing', async () => {
      await post(fixture('message'), null).expect(401);
      await post(fixture('message'), 'not-the-secret').expect(403);
      await post(fixture('message'), SECRET.slice(0, -1)).expect(403);
      expect(bus.records).toHaveLength(0);
    });

    it('should answer /bantuan, /help, /mulai and an unknown command with the matching command', async () => {
      await post(cmd('/bantuan', 1)).expect(200);
      await post(cmd('/help', 2)).expect(200);
      await post(cmd('/mulai', 3)).expect(200);
      await post(cmd('/report', 4)).expect(200);
      await post(cmd('/entahlah', 5)).expect(200);
      expect(bus.events('channel.command').map((e) => e.payload.command)).toEqual(['help', 'help', 'opt_in', 'report', 'help']);
    });

    it('should normalize the text, names and file names where they enter (NUL removed, NFC)', async () => {
      const base = fixture('message');
      await post({ ...base, update_id: 734129001, message: { ...base.message, text: 'Jalan rusak \u0000 parah di depan Cafe\u0301\r\nmohon diperbaiki', from: { ...base.message.from, first_name: 'Siti\u0000', last_name: 'R\uD83D' } } }).expect(200);
      const doc = fixture('document');
      await post({ ...doc, update_id: 734129002, message: { ...doc.message, document: { ...doc.message.document, file_name: 'surat\u0000.pdf' } } }).expect(200);
      const [text, document] = bus.events('complaint.inbound');
      expect(text.payload).toMatchObject({ text: 'Jalan rusak  parah di depan Caf\u00E9\nmohon diperbaiki', reporter: { name: 'Siti R\uFFFD' } });
      expect(document.payload.attachments[0].name).toBe('surat.pdf');
    });

    it.each([
      ['emoji only', '😡🙏😡'],
      ['zero-width characters only', '\u200B\u200D\u2060'],
    ])('should answer a message with %s with the help text, not a complaint', async (_name, text) => {
      const base = fixture('message');
      await post({ ...base, update_id: 734129100 + text.length, message: { ...base.message, text } }).expect(200);
      expect(bus.events('complaint.inbound')).toHaveLength(0);
      expect(bus.events('channel.command').map((e) => e.payload.command)).toEqual(['help']);
    });

    it('should publish /keberatan, /selesai (and their aliases) and /ombudsman with the id and reason as the argument', async () => {
      await post(cmd('/keberatan 7KQ4M-9XWRT-C jalan belum diperbaiki', 11)).expect(200);
      await post(cmd('/tidakpuas 7KQ4M9XWRTC', 12)).expect(200);
      await post(cmd('/selesai 7KQ4M9XWRTC', 13)).expect(200);
      await post(cmd('/puas', 14)).expect(200);
      await post(cmd('/ombudsman 7KQ4M9XWRTC sudah dua bulan', 15)).expect(200);
      expect(bus.events('complaint.inbound')).toHaveLength(0);
      expect(bus.events('channel.command').map((e) => [e.payload.command, e.payload.argument])).toEqual([
        ['object', '7KQ4M-9XWRT-C jalan belum diperbaiki'],
        ['object', '7KQ4M9XWRTC'],
        ['confirm', '7KQ4M9XWRTC'],
        ['confirm', undefined],
        ['ombudsman', '7KQ4M9XWRTC sudah dua bulan'],
      ]);
    });

    it('should fetch the photo (getFile) into the store without its EXIF before answering, keeping the file_id', async () => {
      const update = fixture('photo');
      update.update_id = 990001;
      update.message.photo.at(-1).file_id = 'AgACAgUAAxkBAAIBQ2dStoredPhoto';
      fakeTelegram.addFile('AgACAgUAAxkBAAIBQ2dStoredPhoto', await phonePhoto(), 'photos/file_7.jpg');
      await post(update).expect(200);
      const [event] = bus.events('complaint.inbound');
      expect(event.payload.attachments).toEqual([{ kind: 'image', fileRef: 'AgACAgUAAxkBAAIBQ2dStoredPhoto', mimeType: 'image/jpeg', storageKey: expect.stringMatching(/^att\/[0-9a-f]{64}$/), size: expect.any(Number) }]);
      expect(fakeTelegram.fileDownloads).toContain('photos/file_7.jpg');
      const stored = await store.objects.get(event.payload.attachments[0].storageKey!);
      expect(await exifr.parse(stored!.body)).toBeUndefined();
    });

    it('should keep only the file_id of a document that is a program in disguise, and still publish the complaint', async () => {
      const update = fixture('document');
      update.update_id = 990002;
      update.message.document.file_id = 'BQACAgUAAxkBAAIBRGdDisguised';
      fakeTelegram.addFile('BQACAgUAAxkBAAIBRGdDisguised', DISGUISED.exe, 'documents/file_8.pdf');
      await post(update).expect(200);
      const [event] = bus.events('complaint.inbound');
      expect(fakeTelegram.fileDownloads).toContain('documents/file_8.pdf');
      expect(event.payload.attachments).toEqual([{ kind: 'document', fileRef: 'BQACAgUAAxkBAAIBRGdDisguised', mimeType: 'application/pdf', name: 'surat-rt.pdf' }]);
    });

    it('should answer 503 while the bus is down, and register the re-delivered update under the same tracking id', async () => {
      bus.down = true;
      await post(fixture('message')).expect(503);
      expect(bus.records).toHaveLength(0);
      bus.down = false;
      await post(fixture('message')).expect(200);
      await post(fixture('message')).expect(200);
      const ids = bus.events('complaint.inbound').map((e) => [e.payload.channelMessageId, e.payload.trackingId]);
      expect(new Set(ids.map((i) => i.join()))).toEqual(new Set([['734120001', trackingIdFor('telegram', '734120001')].join()]));
    });

    it('should refuse a body that is not an update', async () => {
      await post({ hello: 'world' }).expect(400);
    });

    it('should never call the Bot API itself besides getMe and getFile (replies are the notifier\'s)', () => {
      expect(fakeTelegram.calls.map((c) => c.method).filter((m) => m !== 'getMe' && m !== 'getFile')).toEqual([]);
      expect(fakeTelegram.sent).toEqual([]);
    });
  });

  describe('configuration', () => {
    it('should answer 503 saying why when the token is missing, and when webhook mode has no secret', async () => {
      const off = await start({});
      const res = await request(off.http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(fixture('message')).expect(503);
      expect(res.body.message).toBe('Telegram channel is off: TELEGRAM_BOT_TOKEN is not set');
      await off.app.close();
      const noSecret = await start({ TELEGRAM_BOT_TOKEN: TOKEN });
      const res2 = await request(noSecret.http).post('/webhooks/telegram').send(fixture('message')).expect(503);
      expect(res2.body.message).toMatch(/TELEGRAM_WEBHOOK_SECRET is not set/);
      expect(noSecret.bus.records).toHaveLength(0);
      await noSecret.app.close();
    });

    it('should serve the webhook at TELEGRAM_WEBHOOK_PATH', async () => {
      const fake = await startFakeTelegram();
      const custom = await start({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot, TELEGRAM_WEBHOOK_PATH: '/hooks/tg-7f3a' });
      await request(custom.http).post('/hooks/tg-7f3a').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(fixture('message')).expect(200);
      await request(custom.http).post('/webhooks/telegram').set('X-Telegram-Bot-Api-Secret-Token', SECRET).send(fixture('message')).expect(404);
      expect(custom.bus.events('complaint.inbound')).toHaveLength(1);
      await custom.app.close();
      await fake.stop();
    });

    it('should refuse a secret token Telegram would not accept', () => {
      expect(() => loadConfig({ TELEGRAM_WEBHOOK_SECRET: 'has spaces!' } as NodeJS.ProcessEnv)).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    });
  });

  describe('polling mode (telegram-test-api)', () => {
    let server: TelegramServer;
    let intake: Awaited<ReturnType<typeof start>>;

    beforeAll(async () => {
      server = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
      await server.start();
      intake = await start({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_MODE: 'polling', TELEGRAM_API_ROOT: server.config.apiURL });
    });
    afterAll(async () => {
      await intake?.app.close();
      await server?.stop();
    });

    it('should take messages and commands by long polling, and keep an update until the bus has it', async () => {
      const client = server.getClient(TOKEN, { timeout: 5000, chatId: 4401, userId: 4401, firstName: 'Ayu' });
      await client.sendMessage(client.makeMessage('Air PDAM di Kelurahan Sukaluyu mati tiga hari'));
      const complaint = await waitFor(() => intake.bus.events('complaint.inbound')[0], { what: 'the polled complaint' });
      expect(complaint.payload).toMatchObject({ channel: 'telegram', senderId: '4401', text: 'Air PDAM di Kelurahan Sukaluyu mati tiga hari' });

      await client.sendCommand(client.makeCommand('/bantuan'));
      const command = await waitFor(() => intake.bus.events('channel.command')[0], { what: 'the polled command' });
      expect(command.payload).toMatchObject({ channel: 'telegram', senderId: '4401', command: 'help' });

      // The bus is down: the update is not acknowledged, and is published once the bus is back.
      intake.bus.down = true;
      await client.sendMessage(client.makeMessage('Pesan saat bus mati'));
      await waitFor(() => intake.bus.refused > 0, { what: 'the poller trying to publish while the bus is down' });
      expect(intake.bus.events('complaint.inbound')).toHaveLength(1);
      intake.bus.down = false;
      const late = await waitFor(() => intake.bus.events('complaint.inbound')[1], { what: 'the update published after the outage', timeoutMs: 10_000 });
      expect(late.payload.text).toBe('Pesan saat bus mati');
    });
  });
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
