import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { MAX_COMPLAINT_BODY_BYTES } from '@lapor/contracts';
import type { HttpRequest } from '@lapor/runtime';
import { hasMediaType } from '@lapor/runtime';
import { AttachmentRejected, IncomingFile, tooLarge } from '@lapor/storage';

/** Limits of one multipart request (README "Attachments"): per file, files per request, and the whole body. */
export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxRequestBytes: number;
}

export interface MultipartBody {
  /** Text fields; a field sent twice keeps its first value. */
  fields: Record<string, string>;
  files: IncomingFile[];
}

export function isMultipart(req: HttpRequest): boolean {
  return hasMediaType(req, 'multipart/form-data');
}

/**
 * Reads a multipart/form-data body with busboy, from the request stream that the body parsers
 * left alone (Express' parsers skip multipart; on Fastify, bootstrap.ts's catch-all parser
 * does not read it). Files are held in memory, each at most `maxFileBytes`: the limits keep
 * that small, and the attachment store needs the whole file to sniff and re-encode it anyway.
 * Anything over a limit is 413 without reading further than needed.
 */
export function readMultipart(req: HttpRequest, limits: UploadLimits): Promise<MultipartBody> {
  const stream = ((req as { raw?: IncomingMessage }).raw ?? req) as IncomingMessage;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxRequestBytes) return Promise.reject(requestTooLarge(limits));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 50, fieldSize: MAX_COMPLAINT_BODY_BYTES, parts: limits.maxFiles + 50 },
      });
    } catch {
      reject(new AttachmentRejected(422, 'Isi multipart/form-data tidak valid (malformed multipart body).'));
      return;
    }
    const fields: Record<string, string> = {};
    const files: IncomingFile[] = [];
    let received = 0;
    let failure: Error | undefined;
    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      // Stop parsing and throw away the rest of the upload; the answer goes out at once.
      stream.unpipe(parser);
      stream.resume();
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxRequestBytes) fail(requestTooLarge(limits));
    });
    parser.on('field', (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    parser.on('file', (_name, file, info) => {
      const chunks: Buffer[] = [];
      file.on('data', (chunk: Buffer) => chunks.push(chunk));
      file.on('limit', () => fail(tooLarge(limits.maxFileBytes + 1, limits.maxFileBytes)));
      file.on('close', () => {
        const bytes = Buffer.concat(chunks);
        // An empty file input (nothing chosen in the form) arrives as a part with no name and no bytes.
        if (bytes.length === 0 && !info.filename) return;
        files.push({ bytes, name: info.filename || undefined, declaredType: info.mimeType });
      });
    });
    parser.on('filesLimit', () => fail(new AttachmentRejected(413, `Terlalu banyak berkas: paling banyak ${limits.maxFiles} per laporan (too many files).`)));
    parser.on('error', () => fail(new AttachmentRejected(422, 'Isi multipart/form-data tidak valid (malformed multipart body).')));
    parser.on('close', () => {
      if (!failure) resolve({ fields, files });
    });
    stream.pipe(parser);
  });
}

function requestTooLarge(limits: UploadLimits): AttachmentRejected {
  return new AttachmentRejected(413, `Kiriman terlalu besar: semua berkas bersama paling besar ${Math.round(limits.maxRequestBytes / 1024 / 1024)} MB (request too large).`);
}
