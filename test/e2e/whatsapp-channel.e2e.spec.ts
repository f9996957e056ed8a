import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import { DataSource } from 'typeorm';
import { attachmentStoreFromEnv } from '@lapor/storage';
import { phonePhoto } from '../support/attachments';
import { formatTrackingId, trackingIdFor } from '@lapor/contracts';
import { FakeWhatsApp, postWhatsAppWebhook, startFakeWhatsApp, whatsAppStatus, whatsAppTestEnv, whatsAppText } from '../support/fake-whatsapp';
import { RunningSystem, SYSTEM_MODES } from '../support/system';
import { waitFor } from '../support/wait-for';

/**
 * WhatsApp end to end: Meta's signed webhooks into social-intake, over the bus to the router,
 * and the notifier's replies through the Graph API messages endpoint of a local stand-in.
 * Once on real Kafka + PostgreSQL as separate services, once embedded.
 */
const APP_SECRET = 'e2e-whatsapp-app-secret-0123456789';

let counter = 0;
const attachmentDir = mkdtempSync(join(tmpdir(), 'lapor-wa-attachments-'));
const number = () => `62857${String(process.pid % 1000).padStart(3, '0')}${String(counter++).padStart(4, '0')}`;

describe.each(SYSTEM_MODES)('WhatsApp channel end to end: $name', ({ start }) => {
  let system: RunningSystem;
  let cleanup: () => Promise<void>;
  let fake: FakeWhatsApp;
  const db = (which: 'router' | 'notifier') => (system.apps[which] ?? system.apps.embedded).get(DataSource);
  const send = async (from: string, body: string) => {
    const message = whatsAppText(from, body);
    const res = await postWhatsAppWebhook(system.socialIntakeUrl!, message, APP_SECRET);
    expect(res.status).toBe(200);
    return message.entry[0].changes[0].value.messages[0].id;
  };
  const repliesTo = (to: string, count = 1) => waitFor(() => (fake.to(to).length >= count ? fake.to(to) : undefined), { what: `${count} WhatsApp messages to ${to}`, timeoutMs: 90_000 });

  beforeAll(async () => {
    fake = await startFakeWhatsApp();
    ({ system, cleanup } = await start({ ...whatsAppTestEnv(fake, APP_SECRET, 'e2e-verify'), ATTACHMENT_DIR: attachmentDir }));
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await cleanup?.();
    await fake?.stop();
  });

  it('should register a message and acknowledge it through the Graph API with its tracking id', async () => {
    const from = number();
    const wamid = await send(from, 'Lampu penerangan jalan di Jl. Braga Kota Bandung mati sudah dua minggu, mohon diperbaiki');
    const trackingId = trackingIdFor('whatsapp', wamid);
    const [ack] = await repliesTo(from);
    expect(ack).toMatchObject({ type: 'text', text: expect.stringContaining(trackingId) });
    const [complaint] = await db('router').query('SELECT channel, sender_id FROM complaints WHERE tracking_id = $1', [trackingId]);
    expect(complaint).toEqual({ channel: 'whatsapp', sender_id: from });
    // A redelivery of the same wamid registers nothing new.
    const again = whatsAppText(from, 'Lampu penerangan jalan di Jl. Braga Kota Bandung mati sudah dua minggu, mohon diperbaiki', { id: wamid });
    expect((await postWhatsAppWebhook(system.socialIntakeUrl!, again, APP_SECRET)).status).toBe(200);
    await waitFor(async () => (await db('notifier').query('SELECT 1 FROM notifications WHERE address = $1', [from])).length >= 1, { what: 'the acknowledgement row' });
    expect(await db('router').query('SELECT tracking_id FROM complaints WHERE sender_id = $1', [from])).toHaveLength(1);
  });

  it('should register a photo with the file in the attachment store, fetched through the media endpoints and stripped of its EXIF', async () => {
    const from = number();
    const mediaId = `77${process.pid}${counter}`;
    fake.addMedia(mediaId, await phonePhoto(), 'image/jpeg');
    // The image fixture (Cloud API shape), from this number, now, with this media id.
    const notification = JSON.parse(readFileSync(join(__dirname, '../../apps/social-intake/src/adapters/whatsapp/__fixtures__/image.json'), 'utf8'));
    const message = notification.entry[0].changes[0].value.messages[0];
    Object.assign(message, { from, id: `wamid.e2e-photo-${mediaId}`, timestamp: String(Math.floor(Date.now() / 1000)) });
    message.image.id = mediaId;
    notification.entry[0].changes[0].value.contacts[0].wa_id = from;
    expect((await postWhatsAppWebhook(system.socialIntakeUrl!, notification, APP_SECRET)).status).toBe(200);
    const trackingId = trackingIdFor('whatsapp', message.id);
    const [ack] = await repliesTo(from);
    expect(ack.text).toContain(trackingId);
    const [complaint] = await db('router').query('SELECT attachments FROM complaints WHERE tracking_id = $1', [trackingId]);
    expect(complaint.attachments).toEqual([expect.objectContaining({ kind: 'image', fileRef: mediaId, storageKey: expect.stringMatching(/^att\/[0-9a-f]{64}$/) })]);
    const stored = await attachmentStoreFromEnv({ ATTACHMENT_DIR: attachmentDir }).objects.get(complaint.attachments[0].storageKey);
    expect(stored?.body.length).toBeGreaterThan(0);
    expect(await exifr.parse(stored!.body)).toBeUndefined();
    expect(fake.mediaDownloads).toContain(mediaId);
  });

  it('should answer CEK <id> with the status, as by SMS', async () => {
    const from = number();
    const trackingId = trackingIdFor('whatsapp', await send(from, 'Pelayanan KTP di kantor Kota Bandung lambat sekali, antre dari subuh'));
    await repliesTo(from);
    await send(from, `cek ${trackingId}`);
    const [, status] = await repliesTo(from, 2);
    // Chat channels show the id grouped (7KQ4M-9XWRT-C), as Telegram does.
    expect(status.text).toMatch(new RegExp(`^Laporan ${formatTrackingId(trackingId)}: Diteruskan ke instansi`));
  });

  it('should confirm STOP and keep the opt-out for this number', async () => {
    const from = number();
    await send(from, 'STOP');
    const [confirmation] = await repliesTo(from);
    expect(confirmation.text).toContain('tidak akan menerima notifikasi lagi');
    const [recipient] = await waitFor(async () => {
      const rows = await db('notifier').query('SELECT opted_out FROM recipients WHERE channel = $1 AND address = $2', ['whatsapp', from]);
      return rows.length ? rows : undefined;
    }, { what: 'the opt-out' });
    expect(recipient.opted_out).toBe(true);
  });

  it('should mark a dead number from a failed delivery-status webhook (131026)', async () => {
    const from = number();
    await send(from, 'Jalan di Kota Bandung banjir setiap hujan, drainase tersumbat');
    const [ack] = await repliesTo(from);
    await waitFor(async () => (await db('notifier').query(`SELECT 1 FROM notifications WHERE external_id = $1 AND state = 'sent'`, [ack.wamid])).length === 1, { what: 'the sent row' });
    expect((await postWhatsAppWebhook(system.socialIntakeUrl!, whatsAppStatus(ack.wamid, from, 'failed', 131026), APP_SECRET)).status).toBe(200);
    const row = await waitFor(async () => (await db('notifier').query(`SELECT state, vendor_error FROM notifications WHERE external_id = $1 AND state = 'undelivered'`, [ack.wamid]))[0], { what: 'undelivered', timeoutMs: 90_000 });
    expect(row).toEqual({ state: 'undelivered', vendor_error: '131026' });
    // The state is written first, then the recipient: wait for the second.
    const recipient = await waitFor(async () => (await db('notifier').query('SELECT unreachable FROM recipients WHERE channel = $1 AND address = $2 AND unreachable', ['whatsapp', from]))[0], {
      what: 'the number marked unreachable',
    });
    expect(recipient.unreachable).toBe(true);
  });

  it('should refuse an unsigned or forged notification (403) and register nothing', async () => {
    const from = number();
    const message = whatsAppText(from, 'Laporan palsu tanpa tanda tangan yang benar');
    expect((await postWhatsAppWebhook(system.socialIntakeUrl!, message, APP_SECRET, { signature: null })).status).toBe(403);
    expect((await postWhatsAppWebhook(system.socialIntakeUrl!, message, 'not-the-app-secret')).status).toBe(403);
    expect(await db('router').query('SELECT 1 FROM complaints WHERE sender_id = $1', [from])).toEqual([]);
  });
});
