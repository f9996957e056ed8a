import { join, resolve } from 'node:path';
import { AttachmentStore, DEFAULT_MAX_ATTACHMENT_BYTES } from './attachment-store';
import { FilesystemObjectStore } from './filesystem-object-store';
import { S3ObjectStore } from './s3-object-store';

/** The environment variables the store reads (also in libs/runtime's EnvSchema and the README). */
export interface StorageEnv {
  DATA_DIR?: string;
  ATTACHMENT_STORE?: 'filesystem' | 's3';
  ATTACHMENT_DIR?: string;
  ATTACHMENT_MAX_BYTES?: number;
  S3_BUCKET?: string;
  S3_REGION?: string;
  S3_ENDPOINT?: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
}

/** filesystem (default: DATA_DIR/attachments, for `npm start`) or s3 (production: bucket and credentials from the environment). */
export function attachmentStoreFromEnv(env: StorageEnv): AttachmentStore {
  const maxBytes = env.ATTACHMENT_MAX_BYTES ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  if (env.ATTACHMENT_STORE === 's3') {
    if (!env.S3_BUCKET) throw new Error('ATTACHMENT_STORE=s3 needs S3_BUCKET');
    const credentials = env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined;
    return new AttachmentStore(new S3ObjectStore({ bucket: env.S3_BUCKET, region: env.S3_REGION ?? 'us-east-1', endpoint: env.S3_ENDPOINT, credentials }), maxBytes);
  }
  return new AttachmentStore(new FilesystemObjectStore(resolve(env.ATTACHMENT_DIR ?? join(env.DATA_DIR ?? '.data', 'attachments'))), maxBytes);
}
