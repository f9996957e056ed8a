import { createHash, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Attachment, GeoPoint } from '@lapor/contracts';
import { normalizeText } from '@lapor/contracts';
import exifr from 'exifr';
import sharp from 'sharp';
import type { ObjectStore } from './object-store';

/**
 * file-type is ESM-only; this code is compiled to CommonJS, where `import()` would become
 * `require()`. A real dynamic import (as @nestjs/common's FileTypeValidator does via load-esm)
 * loads it in both the bundle and Jest. The source differs per evaluation of this module
 * because V8 caches a compiled `new Function` by its source, and with it the context that
 * resolves its `import()`: under Jest (one module registry per test file, one worker for
 * many files) the cached function would keep importing through the first file's torn-down
 * environment ("Test environment has been torn down").
 */
const importEsm = new Function('specifier', `return import(specifier); // ${randomUUID()}`) as (specifier: string) => Promise<typeof import('file-type')>;
let fileType: Promise<typeof import('file-type')> | undefined;
async function fileTypeFromBuffer(bytes: Buffer) {
  fileType ??= importEsm('file-type');
  return (await fileType).fileTypeFromBuffer(bytes);
}

/** Default largest file, before any channel's own lower limit (README "Attachments"). */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * What may be attached, decided on the bytes (magic numbers, via `file-type`), never on the
 * name or the declared type a client sends. Photos are re-encoded by sharp (libvips), which
 * writes no metadata unless asked: EXIF (GPS position, phone serial, owner name), XMP, IPTC
 * and comments are gone before anyone else sees the file. Documents are kept as they are.
 * Old binary Office files (CFB) are refused: they are the usual carrier of macros.
 */
const ACCEPTED: Record<string, { kind: Attachment['kind']; extension: string; reencode?: 'jpeg' | 'png' | 'webp' | 'gif' }> = {
  'image/jpeg': { kind: 'image', extension: 'jpg', reencode: 'jpeg' },
  'image/png': { kind: 'image', extension: 'png', reencode: 'png' },
  'image/webp': { kind: 'image', extension: 'webp', reencode: 'webp' },
  'image/gif': { kind: 'image', extension: 'gif', reencode: 'gif' },
  'application/pdf': { kind: 'document', extension: 'pdf' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'document', extension: 'docx' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'document', extension: 'xlsx' },
  'application/vnd.oasis.opendocument.text': { kind: 'document', extension: 'odt' },
  'application/vnd.oasis.opendocument.spreadsheet': { kind: 'document', extension: 'ods' },
};

/** Programs by their magic numbers (ELF, PE/EXE, Mach-O, Java class, WebAssembly, shell/script shebang). */
const EXECUTABLE_TYPES = new Set(['application/x-elf', 'application/x-msdownload', 'application/x-mach-binary', 'application/java-vm', 'application/wasm', 'application/x-sharedlib']);

/** The people-facing list of what is accepted (error messages, README). */
export const ACCEPTED_DESCRIPTION = 'foto JPEG/PNG/WebP/GIF, PDF, atau dokumen DOCX/XLSX/ODT/ODS';

/** Decompression bombs: a few KB of PNG can claim 100 000 × 100 000 pixels. 50 megapixels covers every phone camera. */
const MAX_INPUT_PIXELS = 50_000_000;

/** Why a file was refused, as an HTTP status (413 too large, 415 not an accepted type) and a reason in Bahasa Indonesia. */
export class AttachmentRejected extends Error {
  constructor(
    readonly status: 413 | 415 | 422,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'AttachmentRejected';
  }
}

export interface IncomingFile {
  bytes: Buffer;
  /** The name the sender gave it (kept, cleaned, for the officer; never used as a key or path). */
  name?: string;
  /** What the sender claimed (Content-Type, Telegram's mime_type): only used to explain a refusal. */
  declaredType?: string;
}

export interface StoredAttachment {
  attachment: Attachment;
  /** The photo's EXIF position, read before it was removed: routing evidence when the reporter allows it. */
  gps?: GeoPoint;
}

/**
 * Checks a file, cleans it and puts it in the object store under its content address
 * (`att/<sha256 of the cleaned bytes>`): unguessable without the photo itself, the same
 * photo sent twice is stored once, and a key can never name a path.
 */
export class AttachmentStore {
  constructor(
    readonly objects: ObjectStore,
    readonly maxBytes = DEFAULT_MAX_ATTACHMENT_BYTES,
  ) {}

  async store(file: IncomingFile, limits: { maxBytes?: number } = {}): Promise<StoredAttachment> {
    const { attachment, body, gps } = await this.inspect(file, limits);
    await this.objects.put(attachment.storageKey!, body, attachment.mimeType!);
    return { attachment, ...(gps ? { gps } : {}) };
  }

  /** The checks and the cleaning without storing: what `store` would put, and the bytes it would put. */
  async inspect(file: IncomingFile, limits: { maxBytes?: number } = {}): Promise<{ attachment: Attachment; body: Buffer; gps?: GeoPoint }> {
    const maxBytes = Math.min(limits.maxBytes ?? this.maxBytes, this.maxBytes);
    if (file.bytes.length > maxBytes) throw tooLarge(file.bytes.length, maxBytes);
    if (file.bytes.length === 0) throw new AttachmentRejected(422, 'Berkas kosong (empty file).');
    const detected = await fileTypeFromBuffer(file.bytes);
    const accepted = detected ? ACCEPTED[detected.mime] : undefined;
    if (!detected || !accepted) throw refusal(file, detected?.mime);

    let body = file.bytes;
    let gps: GeoPoint | undefined;
    if (accepted.reencode) {
      gps = await exifPosition(file.bytes);
      body = await reencode(file.bytes, accepted.reencode);
    }
    const sha256 = createHash('sha256').update(body).digest('hex');
    const attachment: Attachment = {
      kind: accepted.kind,
      storageKey: `att/${sha256}`,
      mimeType: detected.mime,
      size: body.length,
      ...(file.name ? { name: cleanName(file.name, accepted.extension) } : {}),
    };
    return { attachment, body, ...(gps ? { gps } : {}) };
  }
}

export function tooLarge(size: number, maxBytes: number): AttachmentRejected {
  return new AttachmentRejected(413, `Berkas terlalu besar: ${mb(size)} MB, paling besar ${mb(maxBytes)} MB (file too large).`);
}

function refusal(file: IncomingFile, detectedMime: string | undefined): AttachmentRejected {
  const claimed = [file.name && `bernama "${cleanName(file.name)}"`, file.declaredType && `bertipe ${file.declaredType}`].filter(Boolean).join(', ');
  const disguise = claimed ? ` walaupun ${claimed}` : '';
  if (detectedMime && EXECUTABLE_TYPES.has(detectedMime)) {
    return new AttachmentRejected(415, `Berkas ditolak: isinya program (${detectedMime})${disguise}. Yang diterima: ${ACCEPTED_DESCRIPTION}.`);
  }
  if (!detectedMime && file.bytes.subarray(0, 2).toString('latin1') === '#!') {
    return new AttachmentRejected(415, `Berkas ditolak: isinya skrip${disguise}. Yang diterima: ${ACCEPTED_DESCRIPTION}.`);
  }
  const what = detectedMime ? `jenis ${detectedMime} tidak diterima` : 'isi berkas tidak dikenali';
  return new AttachmentRejected(415, `Berkas ditolak: ${what}${disguise}. Yang diterima: ${ACCEPTED_DESCRIPTION} (unsupported media type).`);
}

/** Re-encodes in the same format, turned upright first (the EXIF orientation goes with the EXIF). */
async function reencode(bytes: Buffer, format: 'jpeg' | 'png' | 'webp' | 'gif'): Promise<Buffer> {
  try {
    const image = sharp(bytes, { animated: format === 'gif' || format === 'webp', limitInputPixels: MAX_INPUT_PIXELS }).rotate();
    // sharp keeps no metadata unless .withMetadata()/.keepMetadata() is called (https://sharp.pixelplumbing.com/api-output#keepmetadata).
    return await (format === 'jpeg' ? image.jpeg({ quality: 90, mozjpeg: true }) : image.toFormat(format)).toBuffer();
  } catch (error) {
    throw new AttachmentRejected(422, `Gambar rusak atau terlalu besar untuk dibuka (${(error as Error).message}).`);
  }
}

/** The photo's GPS position, when it has a plausible one (0,0 is a phone without a fix). */
async function exifPosition(bytes: Buffer): Promise<GeoPoint | undefined> {
  try {
    const gps = await exifr.gps(bytes);
    if (!gps || !Number.isFinite(gps.latitude) || !Number.isFinite(gps.longitude)) return undefined;
    if (gps.latitude === 0 && gps.longitude === 0) return undefined;
    if (Math.abs(gps.latitude) > 90 || Math.abs(gps.longitude) > 180) return undefined;
    return { lat: gps.latitude, lon: gps.longitude };
  } catch {
    return undefined;
  }
}

/** A file name fit to show: no folders, no control characters, at most 200 characters; the detected extension when asked. */
export function cleanName(name: string, extension?: string): string {
  let clean = normalizeText(basename(name.replace(/\\/g, '/'))).replace(/[\u0000-\u001f\u007f"<>]/g, '').trim().slice(0, 200) || 'lampiran';
  if (extension && !clean.toLowerCase().endsWith(`.${extension}`) && !(extension === 'jpg' && /\.jpe?g$/i.test(clean))) clean = `${clean.replace(/\.[^.]{1,5}$/, '')}.${extension}`;
  return clean;
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1).replace('.', ',');
}
