import type { Attachment } from '@lapor/contracts';
import { AttachmentRejected, AttachmentStore, tooLarge } from './attachment-store';

export interface MediaFetch {
  url: string;
  /** Authorization and the like (Twilio's Basic auth for media); Node's fetch drops it on a redirect to another host. */
  headers?: Record<string, string>;
  name?: string;
  declaredType?: string;
  /** The channel's own limit when lower than the store's (Twilio MMS: 5 MB). */
  maxBytes?: number;
  /** Per try (default 10 s): the platform waits for our answer, so the whole fetch must stay well under its timeout. */
  timeoutMs?: number;
  /** Tries on a network error or 5xx (default 2). */
  tries?: number;
}

/**
 * Fetches a platform's media (a Telegram file link, a Twilio MediaUrl) into the attachment
 * store: bounded in time, size and tries. Only http(s): a local Bot API server's file:// link
 * is never read. Throws AttachmentRejected for what the store refuses and Error for what
 * could not be fetched; callers keep the platform reference then (see `storePlatformMedia`).
 */
export async function fetchIntoStore(store: AttachmentStore, media: MediaFetch): Promise<Attachment> {
  const url = new URL(media.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`not fetching ${url.protocol} media`);
  const maxBytes = Math.min(media.maxBytes ?? store.maxBytes, store.maxBytes);
  const tries = media.tries ?? 2;
  for (let attempt = 1; ; attempt++) {
    try {
      const bytes = await download(url, media.headers ?? {}, maxBytes, media.timeoutMs ?? 10_000);
      return (await store.store({ bytes, name: media.name, declaredType: media.declaredType }, { maxBytes })).attachment;
    } catch (error) {
      const retriable = !(error instanceof AttachmentRejected) && !(error instanceof HttpRefusal && error.status < 500);
      if (!retriable || attempt >= tries) throw error;
    }
  }
}

/**
 * The attachment with its stored file, or — when the fetch or the checks fail — the platform
 * reference as it came, with the reason logged: a complaint is never lost or delayed past
 * its channel's answer because of its photo.
 */
export async function storePlatformMedia(store: AttachmentStore, attachment: Attachment, media: MediaFetch, warn: (message: string) => void): Promise<Attachment> {
  try {
    const stored = await fetchIntoStore(store, media);
    // The stored file's detected type and size replace the platform's claims; its reference stays for tracing.
    return { ...attachment, ...stored, name: stored.name ?? attachment.name };
  } catch (error) {
    warn(`attachment not stored, keeping the platform reference: ${error instanceof AttachmentRejected ? error.reason : (error as Error).message}`);
    return attachment;
  }
}

class HttpRefusal extends Error {
  constructor(readonly status: number) {
    super(`media fetch answered ${status}`);
  }
}

async function download(url: URL, headers: Record<string, string>, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  if (!res.ok) {
    await res.body?.cancel();
    throw new HttpRefusal(res.status);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(declared, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
