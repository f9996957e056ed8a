import { mkdtempSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@lapor/runtime';
import { attachmentStoreFromEnv } from '@lapor/storage';
import exifr from 'exifr';
import { DISGUISED, phonePhoto } from '../../../../../test/support/attachments';
import { FakeWhatsApp, postWhatsAppWebhook, startFakeWhatsApp, whatsAppTestEnv } from '../../../../../test/support/fake-whatsapp';
import { createSocialIntakeApp } from '../../social-intake.app';
import { CapturingBus } from '../../testing/capturing-bus';
import { WhatsAppCloudAdapter } from './whatsapp.adapter';

/** The handshake, media fetched into the store, and the channel switch; payloads, signatures, replays and malformed bodies are the shared harness's (test/channels). */
describe(WhatsAppCloudAdapter.name, () => {
  const start = async (env: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'wa-'));
    const bus = new CapturingBus();
    const app = await createSocialIntakeApp(loadConfig({ LOG_LEVEL: 'error', DATA_DIR: dataDir, ...env } as NodeJS.ProcessEnv), { bus });
    await app.listen(0, '127.0.0.1');
    return { app, bus, store: attachmentStoreFromEnv({ DATA_DIR: dataDir }), url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
  };
  const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8'));
  let app: INestApplication;
  let url: string;
  beforeAll(async () => ({ app, url } = await start({ WHATSAPP_APP_SECRET: 's3cret', WHATSAPP_VERIFY_TOKEN: 'lapor-verify-1708' })));
  afterAll(() => app?.close());

  it('should answer the verification handshake with hub.challenge as plain text', async () => {
    const res = await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=lapor-verify-1708`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it.each([
    ['a wrong verify token', 'hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess'],
    ['no verify token', 'hub.mode=subscribe&hub.challenge=1'],
    ['another mode', 'hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=lapor-verify-1708'],
  ])('should refuse the handshake with %s (403)', async (_name, query) => {
    expect((await fetch(`${url}/webhooks/whatsapp?${query}`)).status).toBe(403);
  });

  describe('media (images and documents fetched into the store)', () => {
    const SECRET = 'wa-media-secret';
    let fake: FakeWhatsApp;
    let intake: Awaited<ReturnType<typeof start>>;
    /** The image fixture with another media id and message id, as Meta sends it. */
    const imageMessage = (mediaId: string, wamid: string) => {
      const n = fixture('image.json');
      const m = n.entry[0].changes[0].value.messages[0];
      m.id = wamid;
      m.image.id = mediaId;
      return n;
    };
    beforeAll(async () => {
      fake = await startFakeWhatsApp();
      intake = await start(whatsAppTestEnv(fake, SECRET, 'verify-media'));
    });
    afterAll(async () => {
      await intake?.app.close();
      await fake?.stop();
    });
    beforeEach(() => intake.bus.clear());

    it('should fetch the photo (GET /<media id>, then its URL, with the access token) into the store without its EXIF before answering, keeping the media id', async () => {
      fake.addMedia('2290001', await phonePhoto(), 'image/jpeg');
      expect((await postWhatsAppWebhook(intake.url, imageMessage('2290001', 'wamid.media-photo-1'), SECRET)).status).toBe(200);
      const [event] = intake.bus.events('complaint.inbound');
      expect(event.payload.attachments).toEqual([{ kind: 'image', fileRef: '2290001', mimeType: 'image/jpeg', storageKey: expect.stringMatching(/^att\/[0-9a-f]{64}$/), size: expect.any(Number) }]);
      // The stand-in answers both steps only with the bearer token (401 otherwise).
      expect(fake.mediaDownloads).toEqual(['2290001']);
      const stored = await intake.store.objects.get(event.payload.attachments[0].storageKey!);
      expect(await exifr.parse(stored!.body)).toBeUndefined();
    });

    it.each([
      ['a program dressed as a photo', '2290002', () => fake.addMedia('2290002', DISGUISED.elf, 'image/jpeg')],
      ['a media id Meta does not know (expired)', '2290003', () => undefined],
    ])('should keep only the media id of %s, and still publish the complaint', async (_name, mediaId, arrange) => {
      arrange();
      expect((await postWhatsAppWebhook(intake.url, imageMessage(mediaId, `wamid.media-${mediaId}`), SECRET)).status).toBe(200);
      const [event] = intake.bus.events('complaint.inbound');
      expect(event.payload.attachments).toEqual([{ kind: 'image', fileRef: mediaId, mimeType: 'image/jpeg' }]);
    });
  });

  it('should answer 503 with the reason while the channel is off', async () => {
    const off = await start({});
    try {
      const res = await fetch(`${off.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/WHATSAPP_APP_SECRET/);
    } finally {
      await off.app.close();
    }
  });
});
