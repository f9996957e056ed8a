import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import type { Attachment } from '@lapor/contracts';
import type { AppConfig } from '@lapor/runtime/config';
import { AttachmentRejected, AttachmentStore } from '@lapor/storage';
import { TwitterApi } from 'twitter-api-v2';

/** X's DM media host (ton.twitter.com/1.1/ton/data/dm/...): only the account's own OAuth 1.0a user context may read it. */
const DM_MEDIA_HOST = 'ton.twitter.com';
const DM_MEDIA_TIMEOUT_MS = 10_000;

/**
 * A DM's photo → the file in the attachment store, fetched before the event is acknowledged, as
 * Telegram's, WhatsApp's and Twilio's are. DM media is private: the download is signed with the
 * account's OAuth 1.0a user context (all four X keys), which twitter-api-v2's downloadDmImage does
 * (https://docs.x.com/x-api/direct-messages/... "Retrieving media"). Signed requests go only to
 * ton.twitter.com, or to X_API_ROOT's host (a local stand-in, trusted with X_API_CA_FILE). Without
 * the keys, for another host, or when the download or the store's checks fail, the URL stays on the
 * complaint and it goes on.
 */
export class XDmMedia {
  private readonly api?: TwitterApi;
  private readonly hosts: Set<string>;

  constructor(env: AppConfig['env']) {
    const { X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET, X_API_ROOT, X_API_CA_FILE } = env;
    this.hosts = new Set([DM_MEDIA_HOST, new URL(X_API_ROOT).host]);
    if (!X_CONSUMER_KEY || !X_CONSUMER_SECRET || !X_ACCESS_TOKEN || !X_ACCESS_SECRET) return;
    this.api = new TwitterApi(
      { appKey: X_CONSUMER_KEY, appSecret: X_CONSUMER_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET },
      X_API_CA_FILE ? { httpAgent: new Agent({ ca: readFileSync(X_API_CA_FILE) }) } : {},
    );
  }

  async store(store: AttachmentStore, attachment: Attachment, warn: (message: string) => void): Promise<Attachment> {
    if (!this.api || attachment.kind !== 'image' || !attachment.url || !URL.canParse(attachment.url)) return attachment;
    const url = new URL(attachment.url);
    if (url.protocol !== 'https:' || !this.hosts.has(url.host)) return attachment;
    try {
      // X waits for our answer; the download gets at most DM_MEDIA_TIMEOUT_MS (twitter-api-v2 takes no timeout for it).
      const bytes = await Promise.race([this.api.v1.downloadDmImage(url.href), timeout(DM_MEDIA_TIMEOUT_MS)]);
      const stored = await store.store({ bytes, declaredType: 'image/jpeg' });
      return { ...attachment, ...stored.attachment };
    } catch (error) {
      warn(`X DM photo not stored, keeping its URL: ${error instanceof AttachmentRejected ? error.reason : (error as Error).message}`);
      return attachment;
    }
  }
}

function timeout(ms: number): Promise<never> {
  return new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref());
}
