import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertObjectKey, ObjectStore, StoredObject } from './object-store';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible server (MinIO, Ceph, s3rver in tests); unset: AWS itself. */
  endpoint?: string;
  /** Unset: the SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, IRSA web identity, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Objects in an S3-compatible bucket through the AWS SDK v3. Path-style addressing when an
 * endpoint is given (MinIO and most on-premise servers have no per-bucket DNS names).
 * Checksums only where S3 requires them: newer SDKs add CRC32 trailers by default, which
 * several S3-compatible servers do not understand
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-dataintegrity.html).
 */
export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  private readonly client: S3Client;

  constructor(private readonly options: S3StoreOptions) {
    this.description = `s3 ${options.endpoint ? `${options.endpoint}/` : ''}${options.bucket}`;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: !!options.endpoint,
      credentials: options.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertObjectKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length }));
  }

  async get(key: string): Promise<StoredObject | null> {
    assertObjectKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      const bytes = await out.Body!.transformToByteArray();
      return { body: Buffer.from(bytes), contentType: out.ContentType };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
