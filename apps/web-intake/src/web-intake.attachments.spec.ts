import { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import exifr from 'exifr';
import { InProcessBus } from '@lapor/bus';
import { Topics } from '@lapor/contracts';
import { loadConfig } from '@lapor/runtime';
import { attachmentStoreFromEnv } from '@lapor/storage';
import { DISGUISED, MINIMAL_PDF, phonePhoto, PHOTO_GPS, startS3 } from '../../../test/support/attachments';
import { createWebIntakeApp } from './web-intake.app';

interface Inbound {
  trackingId: string;
  text: string;
  attachments: { kind: string; storageKey?: string; mimeType?: string; name?: string; size?: number }[];
  location?: { point?: { lat: number; lon: number } };
}

const TEXT = 'Jalan berlubang di depan SD Negeri 3, sudah dua bulan tidak diperbaiki';
const MAX_FILE_BYTES = 200_000;

/** web-intake as its own service (Fastify), files into s3rver through the AWS SDK, events on the in-process bus. */
describe('web-intake attachments (API and form, S3 store)', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let app: INestApplication;
  let url: string;
  const published: Inbound[] = [];

  beforeAll(async () => {
    s3 = await startS3();
    const bus = new InProcessBus();
    bus.subscribe('test', Topics.complaintInbound, async (r) => void published.push(JSON.parse(r.value).payload));
    await bus.start();
    app = await createWebIntakeApp(loadConfig({ LOG_LEVEL: 'error', ...s3.env, ATTACHMENT_MAX_BYTES: String(MAX_FILE_BYTES), ATTACHMENT_MAX_FILES: '3' } as NodeJS.ProcessEnv), { bus });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await s3?.close();
  });
  beforeEach(() => void published.splice(0));

  const store = () => attachmentStoreFromEnv({ ...s3.env });
  const file = (bytes: Buffer, type: string) => new Blob([new Uint8Array(bytes)], { type });
  const apiForm = (complaint: unknown, files: [Buffer, string, string][]) => {
    const form = new FormData();
    form.append('complaint', JSON.stringify(complaint));
    for (const [bytes, name, type] of files) form.append('files', file(bytes, type), name);
    return form;
  };

  it('should store an API photo without EXIF before answering 202, and put only its reference on the event', async () => {
    const res = await fetch(`${url}/api/v1/complaints`, { method: 'POST', body: apiForm({ text: TEXT }, [[await phonePhoto(), 'IMG_0001.jpg', 'image/jpeg'], [MINIMAL_PDF, 'surat.pdf', 'application/pdf']]) });
    expect(res.status).toBe(202);
    const { trackingId } = (await res.json()) as { trackingId: string };
    // Published before the 202 (the in-process bus delivers on publish).
    const event = published.find((p) => p.trackingId === trackingId)!;
    expect(event.attachments).toEqual([
      { kind: 'image', storageKey: expect.stringMatching(/^att\/[0-9a-f]{64}$/), mimeType: 'image/jpeg', name: 'IMG_0001.jpg', size: expect.any(Number) },
      { kind: 'document', storageKey: expect.stringMatching(/^att\//), mimeType: 'application/pdf', name: 'surat.pdf', size: MINIMAL_PDF.length },
    ]);
    // The photo's position is routing evidence when the reporter gave none.
    expect(event.location?.point).toEqual(PHOTO_GPS);
    const stored = await store().objects.get(event.attachments[0].storageKey!);
    expect(stored!.body.length).toBe(event.attachments[0].size);
    expect(await exifr.parse(stored!.body)).toBeUndefined();
  });

  it.each([
    ['an ELF program named .jpg', () => DISGUISED.elf, 'foto.jpg', 415, /program \(application\/x-elf\)/],
    ['a Windows program named .jpg', () => DISGUISED.exe, 'foto.jpg', 415, /program/],
    ['a script named .jpg', () => DISGUISED.script, 'foto.jpg', 415, /skrip/],
    ['a file over the per-file limit', () => Buffer.concat([MINIMAL_PDF, Buffer.alloc(MAX_FILE_BYTES)]), 'besar.pdf', 413, /terlalu besar/],
  ])('should refuse %s with a 4xx and publish nothing', async (_what, bytes, name, status, reason) => {
    const res = await fetch(`${url}/api/v1/complaints`, { method: 'POST', body: apiForm({ text: TEXT }, [[bytes(), name, 'image/jpeg']]) });
    expect(res.status).toBe(status);
    const body = (await res.json()) as { message: string; fields: { attachments: string[] } };
    expect(body.message).toMatch(reason);
    expect(body.fields.attachments[0]).toMatch(reason);
    expect(published).toEqual([]);
  });

  it('should refuse more files than allowed with 413', async () => {
    const photo = await phonePhoto();
    const res = await fetch(`${url}/api/v1/complaints`, { method: 'POST', body: apiForm({ text: TEXT }, [1, 2, 3, 4].map((i) => [photo, `${i}.jpg`, 'image/jpeg'] as [Buffer, string, string])) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/paling banyak 3/);
    expect(published).toEqual([]);
  });

  it('should still take a plain JSON complaint, with no attachments', async () => {
    const res = await fetch(`${url}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: TEXT }) });
    expect(res.status).toBe(202);
    const { trackingId } = (await res.json()) as { trackingId: string };
    expect(published.find((p) => p.trackingId === trackingId)!.attachments).toEqual([]);
  });

  it('should refuse a body that is neither JSON nor multipart with 415', async () => {
    const res = await fetch(`${url}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: TEXT });
    expect(res.status).toBe(415);
  });

  it('should take a photo from the web form (multipart) and refuse a disguised program there with the reason on the page', async () => {
    const form = new FormData();
    form.append('idempotencyKey', 'form-attachment-1');
    form.append('text', TEXT);
    form.append('lampiran', file(await phonePhoto(), 'image/jpeg'), 'jalan.jpg');
    const res = await fetch(`${url}/lapor`, { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(published).toHaveLength(1);
    expect(published[0].attachments).toEqual([expect.objectContaining({ kind: 'image', mimeType: 'image/jpeg', name: 'jalan.jpg', storageKey: expect.stringMatching(/^att\//) })]);

    const bad = new FormData();
    bad.append('text', TEXT);
    bad.append('lampiran', file(DISGUISED.elf, 'image/jpeg'), 'jalan.jpg');
    const refused = await fetch(`${url}/lapor`, { method: 'POST', body: bad, redirect: 'manual' });
    expect(refused.status).toBe(415);
    expect(await refused.text()).toContain('isinya program');
    expect(published).toHaveLength(1);
  });
});
