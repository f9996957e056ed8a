/**
 * Where attachment bytes live: one interface, a local folder for `npm start` and one-box
 * installs (FilesystemObjectStore) and an S3-compatible bucket in production (S3ObjectStore).
 * Keys are content addresses made by AttachmentStore, never a name a user chose.
 */
export interface ObjectStore {
  /** Resolves once the object is durable (fsync'd / acknowledged by S3); the same key twice is harmless (same content). */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object, or null when there is none under that key. */
  get(key: string): Promise<StoredObject | null>;
  /** Where the objects are, for logs ("filesystem /var/lib/lapor/attachments", "s3 lapor-attachments"). */
  readonly description: string;
}

export interface StoredObject {
  body: Buffer;
  contentType?: string;
}

/** Keys are `att/<64 hex>` (see AttachmentStore): anything else is refused before it touches a path or a bucket. */
export const OBJECT_KEY = /^att\/[0-9a-f]{64}$/;

export function assertObjectKey(key: string): void {
  if (!OBJECT_KEY.test(key)) throw new Error(`not an attachment key: ${JSON.stringify(key.slice(0, 80))}`);
}
