import { mkdtempSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import { attachmentStoreFromEnv } from '@lapor/storage';
import { DISGUISED, phonePhoto } from '../../../../../test/support/attachments';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { ALL_TOPICS } from '@lapor/contracts';
import { loadConfig } from '@lapor/runtime';
import { FakeTwilio, inboundSms, messageSid, postTwilioWebhook } from '../../../../../test/support/fake-twilio';
import { CapturingBus } from '../../../../social-intake/src/testing/capturing-bus';
import { createSmsIntakeApp } from '../../sms-intake.app';

const TOKEN = '12345678901234567890123456789012';
const PUBLIC = 'https://lapor.example.id/gateway';
const fixture = (name: string): Record<string, string> => JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8'));

interface Published {
  topic: string;
  key: string;
  event: { type: string; payload: Record<string, unknown> };
}

/** Starts sms-intake on the in-process bus (embedded mode's real bus) and records what it publishes. */
async function startIntake(env: Record<string, string>) {
  const bus = new InProcessBus();
  const published: Published[] = [];
  for (const topic of ALL_TOPICS) bus.subscribe('test', topic, async (r) => void published.push({ topic: r.topic, key: r.key, event: JSON.parse(r.value) }));
  await bus.start();
  const app = await createSmsIntakeApp(loadConfig({ LOG_LEVEL: 'error', TWILIO_AUTH_TOKEN: TOKEN, ...env } as NodeJS.ProcessEnv), { bus });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return { app, url, published };
}

/**
 * What is Twilio's own: media fetched with the account's credentials, text normalization,
 * the signed URL, limits and bus failures. The fixtures' normalized items and answers, wrong
 * and missing signatures, redeliveries and malformed bodies are the shared harness's
 * (test/channels/channel-fixtures.spec.ts).
 */
describe('Twilio webhooks (TwilioSmsAdapter on the generic channel webhook controller)', () => {
  let app: INestApplication;
  let url: string;
  let published: Published[];
  let fakeTwilio: FakeTwilio;
  const dataDir = mkdtempSync(join(tmpdir(), 'sms-intake-'));
  const ACCOUNT = 'AC00000000000000000000000000000000';
  const post = (path: string, params: Record<string, string>, over: Partial<Parameters<typeof postTwilioWebhook>[0]> = {}) =>
    postTwilioWebhook({ deliverTo: url, path, params, authToken: TOKEN, signedUrl: PUBLIC + path, ...over });

  beforeAll(async () => {
    fakeTwilio = await new FakeTwilio().start();
    fakeTwilio.mediaAuth = { accountSid: ACCOUNT, authToken: TOKEN };
    ({ app, url, published } = await startIntake({ PUBLIC_BASE_URL: `${PUBLIC}/`, SMS_MAX_BODY_CHARS: '300', DATA_DIR: dataDir, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: fakeTwilio.url }));
  });
  afterAll(async () => {
    await app?.close();
    await fakeTwilio?.stop();
  });
  beforeEach(() => void published.splice(0));

  it('should fetch MMS media with the account credentials into the store, without EXIF, before answering', async () => {
    const sid = messageSid().replace(/^SM/, 'MM');
    const photoUrl = fakeTwilio.addMedia(ACCOUNT, sid, await phonePhoto(), 'image/jpeg');
    const programUrl = fakeTwilio.addMedia(ACCOUNT, sid, DISGUISED.elf, 'image/jpeg');
    const params = inboundSms('+6281234567890', 'Foto jalan rusak di Jl. Merdeka', { MessageSid: sid, NumMedia: '2', MediaUrl0: photoUrl, MediaContentType0: 'image/jpeg', MediaUrl1: programUrl, MediaContentType1: 'image/jpeg' });
    expect((await post('/webhooks/twilio/sms', params)).status).toBe(200);
    const [photo, program] = published[0].event.payload.attachments as { storageKey?: string; url: string }[];
    expect(photo).toEqual({ kind: 'image', mimeType: 'image/jpeg', url: photoUrl, storageKey: expect.stringMatching(/^att\/[0-9a-f]{64}$/), size: expect.any(Number) });
    // A program dressed as a photo is not stored; its URL stays, the complaint goes on.
    expect(program).toEqual({ kind: 'image', mimeType: 'image/jpeg', url: programUrl });
    expect(fakeTwilio.mediaFetches.filter((f) => f.path.includes(sid))).toEqual([expect.objectContaining({ authUser: ACCOUNT, authorized: true }), expect.objectContaining({ authUser: ACCOUNT, authorized: true })]);
    const stored = await attachmentStoreFromEnv({ DATA_DIR: dataDir }).objects.get(photo.storageKey!);
    expect(await exifr.parse(stored!.body)).toBeUndefined();
  });

  it('should answer an empty or whitespace-only SMS with help', async () => {
    expect((await post('/webhooks/twilio/sms', inboundSms('+628111', '  \n '))).status).toBe(200);
    expect(published[0]).toMatchObject({ topic: 'lapor.channel.command.v1', event: { payload: { command: 'help', senderId: '+628111' } } });
  });

  it.each([
    ['emoji only', '😡😡🙏'],
    ['zero-width characters only', '\u200B\u200D\uFEFF'],
    ['NUL and control characters only', '\u0000\u0007\u001B'],
  ])('should answer an SMS with %s with help, not a complaint', async (_name, body) => {
    expect((await post('/webhooks/twilio/sms', inboundSms('+628112', body))).status).toBe(200);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ topic: 'lapor.channel.command.v1', event: { payload: { command: 'help', senderId: '+628112' } } });
  });

  it('should normalize the text where it enters: NUL and controls removed, CRLF to LF, NFC', async () => {
    const params = inboundSms('+628113', 'Jalan rusak \u0000 parah\r\nsekali di depan Cafe\u0301');
    expect((await post('/webhooks/twilio/sms', params)).status).toBe(200);
    expect(published[0].event).toMatchObject({ type: 'complaint.inbound', payload: { text: 'Jalan rusak  parah\nsekali di depan Caf\u00E9' } });
  });

  it('should refuse (400) a signed SMS whose sender or id carries control characters, and publish nothing', async () => {
    const withNulSender = await post('/webhooks/twilio/sms', { ...inboundSms('+628114', 'Jalan rusak parah'), From: '+62811\u00004' });
    const withNulSid = await post('/webhooks/twilio/sms', { ...inboundSms('+628114', 'Jalan rusak parah'), MessageSid: 'SM\u0000abc' });
    expect([withNulSender.status, withNulSid.status]).toEqual([400, 400]);
    expect(published).toHaveLength(0);
  });

  it('should refuse a body above SMS_MAX_BODY_CHARS with a notice, not a complaint', async () => {
    const params = inboundSms('+628222', 'jalan rusak '.repeat(30));
    expect((await post('/webhooks/twilio/sms', params)).status).toBe(200);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ topic: 'lapor.channel.notice.v1', event: { payload: { notice: 'body_too_long', limit: 300, inReplyTo: params.MessageSid, senderId: '+628222' } } });
    // "rusak " and 294 emoji are 300 characters, not 594 UTF-16 units: accepted.
    published.splice(0);
    expect((await post('/webhooks/twilio/sms', inboundSms('+628222', 'rusak ' + '🙏'.repeat(294)))).status).toBe(200);
    expect(published[0].event.type).toBe('complaint.inbound');
  });

  it('should refuse (403) a missing signature, a tampered body, a wrong URL or a wrong token, and publish nothing', async () => {
    const params = fixture('inbound-sms.json');
    const attempts = [
      await post('/webhooks/twilio/sms', params, { signature: null }),
      await post('/webhooks/twilio/sms', params, { signature: 'bm90IGEgc2lnbmF0dXJl' }),
      await post('/webhooks/twilio/sms', params, { body: { ...params, Body: 'Laporan palsu' } }),
      await post('/webhooks/twilio/sms', params, { body: { ...params, From: '+6289999999999' } }),
      await post('/webhooks/twilio/sms', params, { signedUrl: `${url}/webhooks/twilio/sms` }), // not the public URL
      await post('/webhooks/twilio/sms', params, { signedUrl: `${PUBLIC}/webhooks/twilio/status` }),
      await post('/webhooks/twilio/sms', params, { authToken: 'another-accounts-token-0000000000' }),
      await post('/webhooks/twilio/status', fixture('status-delivered.json'), { authToken: 'another-accounts-token-0000000000' }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    // Refused in the guard, before anything is parsed or published.
    expect(published).toEqual([]);
  });

  it('should verify the URL with its query string as configured at Twilio', async () => {
    const params = inboundSms('+628333', 'Sampah menumpuk di pasar');
    expect((await post('/webhooks/twilio/sms?src=1708', params, { signedUrl: `${PUBLIC}/webhooks/twilio/sms?src=1708` })).status).toBe(200);
    expect((await post('/webhooks/twilio/sms?src=1708', params, { signedUrl: `${PUBLIC}/webhooks/twilio/sms` })).status).toBe(403);
    expect(published).toHaveLength(1);
  });

  it('should answer 400 to a signed request that is not an inbound message', async () => {
    const params = { AccountSid: 'AC00000000000000000000000000000000', Body: 'no sid' };
    expect((await post('/webhooks/twilio/sms', params)).status).toBe(400);
    expect(published).toEqual([]);
  });
});

describe('sms-intake without PUBLIC_BASE_URL', () => {
  it('should verify against the URL the request reached', async () => {
    const { app, url, published } = await startIntake({});
    try {
      const ok = await postTwilioWebhook({ deliverTo: url, path: '/webhooks/twilio/sms', params: inboundSms('+628444', 'Air PDAM mati tiga hari'), authToken: TOKEN });
      expect(ok.status).toBe(200);
      expect(published).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

describe('sms-intake configuration and bus failures', () => {
  it('should refuse to start without TWILIO_AUTH_TOKEN, saying why', async () => {
    await expect(createSmsIntakeApp(loadConfig({ LOG_LEVEL: 'error' } as NodeJS.ProcessEnv))).rejects.toThrow(/TWILIO_AUTH_TOKEN/);
  });

  it('should answer 503 (so Twilio retries) when the bus cannot store the message', async () => {
    const bus = new CapturingBus();
    bus.down = true;
    const app = await createSmsIntakeApp(loadConfig({ LOG_LEVEL: 'error', TWILIO_AUTH_TOKEN: TOKEN, DATA_DIR: mkdtempSync(join(tmpdir(), 'sms-intake-')) } as NodeJS.ProcessEnv), { bus });
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    try {
      const res = await postTwilioWebhook({ deliverTo: url, path: '/webhooks/twilio/sms', params: inboundSms('+628555', 'Jalan berlubang'), authToken: TOKEN });
      expect(res.status).toBe(503);
      expect(bus.records).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
