import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { trackingIdFor } from '@lapor/contracts';
import { loadConfig } from '@lapor/runtime';
import request from 'supertest';
import { createSocialIntakeApp } from '../../social-intake.app';
import { CapturingBus } from '../../testing/capturing-bus';
import exifr from 'exifr';
import { attachmentStoreFromEnv } from '@lapor/storage';
import { phonePhoto } from '../../../../../test/support/attachments';
import { startFakeX } from '../../../../../test/support/fake-x';
import { XAccountActivityAdapter } from './x.adapter';

const CONSUMER_SECRET = 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw';
const ACCOUNT = '1580661436132757506';
const raw = (name: string) => readFileSync(join(__dirname, '__fixtures__', `${name}.json`), 'utf8');
// Computed here independently of the adapter, as X documents it.
const sign = (body: string) => `sha256=${createHmac('sha256', CONSUMER_SECRET).update(body).digest('base64')}`;

async function start(env: Record<string, string>) {
  const bus = new CapturingBus();
  const app = await createSocialIntakeApp(loadConfig({ LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(join(tmpdir(), 'social-')), ...env } as NodeJS.ProcessEnv), { bus });
  await app.listen(0, '127.0.0.1');
  return { app, bus, http: app.getHttpServer() };
}

describe(XAccountActivityAdapter.name, () => {
  let app: INestApplication;
  let bus: CapturingBus;
  let http: never;
  const post = (body: string, signature: string | null = sign(body)) => {
    const req = request(http).post('/webhooks/x').set('Content-Type', 'application/json');
    return (signature === null ? req : req.set('x-twitter-webhooks-signature', signature)).send(body);
  };

  beforeAll(async () => {
    ({ app, bus, http } = (await start({ X_CONSUMER_SECRET: CONSUMER_SECRET, X_ACCOUNT_ID: ACCOUNT })) as never);
  });
  afterAll(() => app?.close());
  beforeEach(() => bus.clear());

  it('should answer the CRC challenge with the HMAC-SHA256 of the token', async () => {
    const token = 'dGhpcyBpcyBhIGNyYyB0b2tlbg==';
    const res = await request(http).get('/webhooks/x').query({ crc_token: token }).expect(200);
    expect(res.body).toEqual({ response_token: `sha256=${createHmac('sha256', CONSUMER_SECRET).update(token).digest('base64')}` });
    await request(http).get('/webhooks/x').expect(400);
  });

  it('should publish a direct message as a complaint keyed by its event id', async () => {
    const res = await post(raw('direct-message')).expect(200);
    expect(res.body).toEqual({ accepted: 1, ignored: [] });
    const [event] = bus.events('complaint.inbound');
    expect(event.payload).toMatchObject({
      channel: 'x',
      channelMessageId: 'dm:1863920013755187204',
      trackingId: trackingIdFor('x', 'dm:1863920013755187204'),
      senderId: '3805104374',
      text: 'Lampu penerangan jalan di Jl. Braga, Kota Bandung mati sudah dua minggu, gelap dan rawan.',
      receivedAt: '2025-11-22T10:00:00.000Z',
      replyTo: [],
    });
  });

  it('should refuse a missing, wrong or replayed-with-changes signature (403) and publish nothing', async () => {
    const body = raw('direct-message');
    await post(body, null).expect(403);
    await post(body, sign(body + ' ')).expect(403);
    await post(body.replace('Braga', 'Merdeka'), sign(body)).expect(403);
    await post(body, 'sha256=').expect(403);
    expect(bus.records).toHaveLength(0);
  });

  it('should publish a mention as a complaint whose reply address is a public reply under the tweet', async () => {
    await post(raw('mention')).expect(200);
    const [event] = bus.events('complaint.inbound');
    expect(event.payload).toMatchObject({
      channel: 'x',
      channelMessageId: 'tweet:1992184526331232256',
      senderId: '2244994945',
      text: 'Antrean e-KTP di Disdukcapil Kota Surabaya mengular sejak subuh, petugas baru datang jam 10. Tolong ditindaklanjuti, banyak lansia yang menunggu berdiri.',
      replyTo: [{ channel: 'x', address: '2244994945', publicReplyTo: '1992184526331232256' }],
    });
  });

  it('should normalize DM and mention text and names where they enter (NUL removed, NFC)', async () => {
    const dm = JSON.parse(raw('direct-message'));
    dm.direct_message_events[0].message_create.message_data.text = 'Lampu jalan \u0000mati di depan Cafe\u0301';
    const mention = JSON.parse(raw('mention'));
    Object.assign(mention.tweet_create_events[0], { text: '@lapor1708 Antrean\u0007 e-KTP mengular', user: { ...mention.tweet_create_events[0].user, name: 'Budi\u0000' } });
    delete mention.tweet_create_events[0].extended_tweet;
    await post(JSON.stringify(dm)).expect(200);
    await post(JSON.stringify(mention)).expect(200);
    expect(bus.events('complaint.inbound').map((e) => [e.payload.text, e.payload.reporter?.name])).toEqual([
      ['Lampu jalan mati di depan Caf\u00E9', undefined],
      ['Antrean e-KTP mengular', 'Budi'],
    ]);
  });

  it('should answer a DM with only emoji with help, and ignore such a mention', async () => {
    const dm = JSON.parse(raw('direct-message'));
    dm.direct_message_events[0].message_create.message_data.text = '😡😡\u200B🙏';
    const mention = JSON.parse(raw('mention'));
    Object.assign(mention.tweet_create_events[0], { text: '@lapor1708 😡😡😡' });
    delete mention.tweet_create_events[0].extended_tweet;
    await post(JSON.stringify(dm)).expect(200);
    expect((await post(JSON.stringify(mention)).expect(200)).body.ignored[0]).toMatch(/no words/);
    expect(bus.events('complaint.inbound')).toHaveLength(0);
    expect(bus.events('channel.command').map((e) => e.payload.command)).toEqual(['help']);
  });

  it('should ignore an event whose ids carry control characters', async () => {
    const dm = JSON.parse(raw('direct-message'));
    dm.direct_message_events[0].message_create.sender_id = '3805\u0000104374';
    expect((await post(JSON.stringify(dm)).expect(200)).body.ignored).toHaveLength(1);
    expect(bus.records).toHaveLength(0);
  });

  it('should publish "CEK <id>" by DM as a status command', async () => {
    await post(raw('direct-message-command')).expect(200);
    expect(bus.events('complaint.inbound')).toHaveLength(0);
    expect(bus.events('channel.command')[0].payload).toMatchObject({ channel: 'x', senderId: '3805104374', command: 'status', argument: '7KQ4M-9XWRT-C', channelMessageId: 'dm:1863920013755187299' });
  });

  it('should publish KEBERATAN, SELESAI and OMBUDSMAN by DM as the reporter\'s actions, and keep "tidak puas dengan ..." a complaint', async () => {
    const dm = (text: string, id: string) => {
      const activity = JSON.parse(raw('direct-message'));
      activity.direct_message_events[0].id = id;
      activity.direct_message_events[0].message_create.message_data.text = text;
      return JSON.stringify(activity);
    };
    await post(dm('KEBERATAN 7KQ4M-9XWRT-C lampunya masih mati', '91')).expect(200);
    await post(dm('tidak puas 7KQ4M9XWRTC', '92')).expect(200);
    await post(dm('SELESAI 7KQ4M9XWRTC', '93')).expect(200);
    await post(dm('Tidak puas dengan pelayanan Disdukcapil Kota Bandung, antre dari subuh', '94')).expect(200);
    await post(dm('OMBUDSMAN 7KQ4M9XWRTC', '95')).expect(200);
    await post(dm('Ombudsman perwakilan Sulawesi Selatan juga tidak menjawab surat kami', '96')).expect(200);
    expect(bus.events('channel.command').map((e) => [e.payload.command, e.payload.argument])).toEqual([
      ['object', '7KQ4M-9XWRT-C lampunya masih mati'],
      ['object', '7KQ4M9XWRTC'],
      ['confirm', '7KQ4M9XWRTC'],
      ['ombudsman', '7KQ4M9XWRTC'],
    ]);
    expect(bus.events('complaint.inbound').map((e) => e.payload.text)).toEqual(['Tidak puas dengan pelayanan Disdukcapil Kota Bandung, antre dari subuh', 'Ombudsman perwakilan Sulawesi Selatan juga tidak menjawab surat kami']);
  });

  it('should ignore events sent by the account itself, other event kinds and other accounts with 200', async () => {
    const own = await post(raw('direct-message-own')).expect(200);
    expect(own.body.ignored[0]).toMatch(/sent by the account itself/);
    const ownTweet = JSON.parse(raw('mention'));
    ownTweet.tweet_create_events[0].user = { id_str: ACCOUNT, screen_name: 'lapor_uji' };
    expect((await post(JSON.stringify(ownTweet)).expect(200)).body.ignored[0]).toMatch(/posted by the account itself/);
    expect((await post(raw('favorite')).expect(200)).body.ignored[0]).toMatch(/favorite_events/);
    const other = raw('direct-message').replace(`"for_user_id": "${ACCOUNT}"`, '"for_user_id": "42"');
    expect((await post(other).expect(200)).body.ignored[0]).toMatch(/another account/);
    expect(bus.records).toHaveLength(0);
  });

  it('should answer 503 saying why when the consumer secret or account id is missing', async () => {
    const off = await start({ X_CONSUMER_SECRET: CONSUMER_SECRET });
    const res = await request(off.http).get('/webhooks/x').query({ crc_token: 'x' }).expect(503);
    expect(res.body.message).toBe('X channel is off: X_ACCOUNT_ID not set');
    await request(off.http).post('/webhooks/x').send(raw('direct-message')).expect(503);
    expect(off.bus.records).toHaveLength(0);
    await off.app.close();
  });
});

describe('X direct-message photos (fetched into the store)', () => {
  let fakeX: Awaited<ReturnType<typeof startFakeX>>;
  let intake: Awaited<ReturnType<typeof start>> & { store: ReturnType<typeof attachmentStoreFromEnv> };
  /** The photo DM fixture, its media URL on the stand-in (X_API_ROOT's host stands for ton.twitter.com). */
  const photoDm = (id: string, mediaUrl: string) => {
    const event = JSON.parse(raw('direct-message-photo'));
    event.direct_message_events[0].id = id;
    event.direct_message_events[0].message_create.message_data.attachment.media.media_url_https = mediaUrl;
    return JSON.stringify(event);
  };
  const post = (body: string) => request(intake.http as never).post('/webhooks/x').set('Content-Type', 'application/json').set('x-twitter-webhooks-signature', sign(body)).send(body);

  beforeAll(async () => {
    fakeX = await startFakeX();
    const dataDir = mkdtempSync(join(tmpdir(), 'x-media-'));
    const keys = { X_CONSUMER_KEY: 'xvz1evFS4wEEPTGEFPHBog', X_ACCESS_TOKEN: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb', X_ACCESS_SECRET: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE' };
    intake = { ...(await start({ X_CONSUMER_SECRET: CONSUMER_SECRET, X_ACCOUNT_ID: ACCOUNT, X_API_ROOT: fakeX.apiRoot, X_API_CA_FILE: fakeX.caFile, DATA_DIR: dataDir, ...keys })), store: attachmentStoreFromEnv({ DATA_DIR: dataDir }) };
  });
  afterAll(async () => {
    await intake?.app.close();
    await fakeX?.stop();
  });

  it('should download the photo with the OAuth 1.0a user context and store it without EXIF before answering, keeping its URL', async () => {
    const url = fakeX.addDmMedia('/1.1/ton/data/dm/1863920013755187299/1863920011234567899/Zm90bw.jpg', await phonePhoto());
    await post(photoDm('1863920013755187299', url)).expect(200);
    const [event] = intake.bus.events('complaint.inbound');
    expect(event.payload.attachments).toEqual([{ kind: 'image', url, mimeType: 'image/jpeg', storageKey: expect.stringMatching(/^att\/[0-9a-f]{64}$/), size: expect.any(Number) }]);
    expect(fakeX.dmMediaDownloads).toEqual([{ path: new URL(url).pathname, signed: true }]);
    const stored = await intake.store.objects.get(event.payload.attachments[0].storageKey!);
    expect(await exifr.parse(stored!.body)).toBeUndefined();
  });

  it('should keep only the URL of a photo on a host that is not X (no signed request leaves for it)', async () => {
    intake.bus.clear();
    await post(photoDm('1863920013755187300', 'https://media.example.org/1.1/ton/data/dm/x.jpg')).expect(200);
    const [event] = intake.bus.events('complaint.inbound');
    expect(event.payload.attachments).toEqual([{ kind: 'image', url: 'https://media.example.org/1.1/ton/data/dm/x.jpg' }]);
  });
});
