import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertObjectKey, ObjectStore, StoredObject } from './object-store';

/**
 * Objects as files under one folder (DATA_DIR/attachments in `npm start`). A write goes to a
 * temporary file that is fsync'd and then renamed, and the folder is fsync'd too, so a crash
 * leaves either the whole object or none, and an answered upload survives a power cut.
 * Only for one machine: replicas on several nodes need the S3 store.
 */
export class FilesystemObjectStore implements ObjectStore {
  readonly description: string;

  constructor(private readonly root: string) {
    this.description = `filesystem ${root}`;
  }

  async put(key: string, body: Buffer, _contentType: string): Promise<void> {
    assertObjectKey(key);
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(body);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    const folder = await open(dirname(path), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    assertObjectKey(key);
    try {
      return { body: await readFile(this.pathOf(key)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** att/<hex> → <root>/att/ab/<hex>: 256 folders, so no folder grows to millions of entries. */
  private pathOf(key: string): string {
    const hex = key.slice(4);
    return join(this.root, 'att', hex.slice(0, 2), hex);
  }
}
