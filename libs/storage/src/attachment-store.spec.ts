import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import { DISGUISED, MINIMAL_PDF, phonePhoto, PHOTO_DEVICE, PHOTO_GPS, plainPng, startS3 } from '../../../test/support/attachments';
import { AttachmentRejected, AttachmentStore } from './attachment-store';
import { attachmentStoreFromEnv } from './storage.config';

type S3 = Awaited<ReturnType<typeof startS3>>;

describe('AttachmentStore', () => {
  let s3: S3;
  let folder: string;
  const stores: Record<string, () => AttachmentStore> = {
    // `npm start`'s default: DATA_DIR/attachments.
    filesystem: () => attachmentStoreFromEnv({ DATA_DIR: folder }),
    // Production's: an S3-compatible bucket, here s3rver with the real AWS SDK v3 client.
    s3: () => attachmentStoreFromEnv({ ...s3.env }),
  };

  beforeAll(async () => {
    s3 = await startS3();
    folder = mkdtempSync(join(tmpdir(), 'lapor-attachments-'));
  });
  afterAll(async () => {
    await s3?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  describe.each(Object.keys(stores))('on the %s store', (storeName) => {
    it('should store a phone photo without its EXIF (GPS, device, owner) and give back the cleaned bytes by key', async () => {
      const store = stores[storeName]();
      const original = await phonePhoto();
      expect(await exifr.parse(original)).toMatchObject(PHOTO_DEVICE);

      const { attachment, gps } = await store.store({ bytes: original, name: 'IMG_2024.JPG', declaredType: 'image/jpeg' });

      expect(attachment).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', name: 'IMG_2024.JPG', storageKey: expect.stringMatching(/^att\/[0-9a-f]{64}$/) });
      // Read before it was removed: routing evidence.
      expect(gps).toEqual(PHOTO_GPS);
      const stored = await store.objects.get(attachment.storageKey!);
      expect(stored!.body.length).toBe(attachment.size);
      expect(await exifr.parse(stored!.body)).toBeUndefined();
      expect(await exifr.gps(stored!.body)).toBeUndefined();
      expect(stored!.body.includes(Buffer.from('Exif\0\0'))).toBe(false);
      expect(stored!.body.includes(Buffer.from('SM-A515F'))).toBe(false);
      expect(stored!.body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    });

    it('should key by content, so the same photo sent twice is one object', async () => {
      const store = stores[storeName]();
      const photo = await phonePhoto();
      const first = await store.store({ bytes: photo });
      const second = await store.store({ bytes: photo, name: 'again.jpg' });
      expect(second.attachment.storageKey).toBe(first.attachment.storageKey);
    });

    it.each([
      ['a PDF', () => Promise.resolve(MINIMAL_PDF), 'surat.pdf', { kind: 'document', mimeType: 'application/pdf', name: 'surat.pdf' }],
      ['a PNG named .jpg (named after its content)', plainPng, 'jalan.jpg', { kind: 'image', mimeType: 'image/png', name: 'jalan.png' }],
    ])('should accept %s', async (_what, bytes, name, expected) => {
      const store = stores[storeName]();
      const { attachment } = await store.store({ bytes: await bytes(), name });
      expect(attachment).toMatchObject(expected);
      expect(await store.objects.get(attachment.storageKey!)).not.toBeNull();
    });

    it('should answer null for a key it does not hold and refuse a key that is not one of its own', async () => {
      const store = stores[storeName]();
      expect(await store.objects.get(`att/${'0'.repeat(64)}`)).toBeNull();
      await expect(store.objects.get('att/../../etc/passwd')).rejects.toThrow(/not an attachment key/);
    });
  });

  it.each([
    ['an ELF program named foto.jpg', DISGUISED.elf, 'foto.jpg', 'image/jpeg', 415, /program \(application\/x-elf\).*bernama "foto.jpg"/],
    ['a Windows program named foto.jpg', DISGUISED.exe, 'foto.jpg', 'image/jpeg', 415, /program \(application\/x-msdownload\)/],
    ['a shell script named foto.jpg', DISGUISED.script, 'foto.jpg', 'image/jpeg', 415, /skrip/],
    ['plain text', Buffer.from('bukan gambar sama sekali'), 'catatan.txt', 'text/plain', 415, /tidak dikenali/],
    ['an empty file', Buffer.alloc(0), 'kosong.jpg', 'image/jpeg', 422, /kosong/],
  ])('should refuse %s', async (_what, bytes, name, declaredType, status, reason) => {
    const store = stores.filesystem();
    const refused = await store.store({ bytes, name, declaredType }).catch((e) => e);
    expect(refused).toBeInstanceOf(AttachmentRejected);
    expect(refused).toMatchObject({ status });
    expect(refused.reason).toMatch(reason);
  });

  it('should refuse a file over the limit with 413 and store nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lapor-attachments-limit-'));
    try {
      const store = attachmentStoreFromEnv({ DATA_DIR: dir, ATTACHMENT_MAX_BYTES: 1000 });
      const refused = await store.store({ bytes: Buffer.concat([await phonePhoto(), Buffer.alloc(1000)]) }).catch((e) => e);
      expect(refused).toMatchObject({ status: 413, reason: expect.stringMatching(/terlalu besar/) });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
