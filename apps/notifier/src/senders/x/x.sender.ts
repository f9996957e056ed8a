import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@lapor/runtime/config';
import { APP_CONFIG } from '@lapor/runtime/tokens';
import { ApiRequestError, ApiResponseError, TwitterApi, TwitterApiv2 } from 'twitter-api-v2';
import { ChannelSender, OutboundMessage, PermanentSendError, RetryLaterError, SendResult, transportFailure } from '../channel-sender';

/** The notifier's address for a public reply under a post (see `publicReplyAddress`); any other X address is a user id, answered by DM. */
const PUBLIC_REPLY = /^post:(\d{1,30})$/;

/** How the notifier addresses "a public reply under post N" in its outbox. */
export function publicReplyAddress(postId: string): string {
  return `post:${postId}`;
}

/** twitter-api-v2's v2 client on another API root (its cloneWithPrefix calls the class without `new`). */
class PrefixedV2 extends TwitterApiv2 {
  constructor(base: TwitterApi, prefix: string) {
    super(base);
    this.setPrefix(prefix);
  }
}

/**
 * X through twitter-api-v2 (OAuth 1.0a user context of the LAPOR! account): status
 * changes by DM to the complainant's user id, and the one public reply under a mention
 * (address `post:<tweet id>`). Without all four keys, messages go to OUTBOX_DIR/x.
 *
 * - 429: retried when the rate-limit window resets (x-rate-limit-reset).
 * - 403 (the user does not accept our DMs, or blocked us) and 404 (user or post gone):
 *   PermanentSendError; the address is marked unreachable until the person writes again.
 * https://docs.x.com/x-api/direct-messages/manage/introduction, https://docs.x.com/x-api/fundamentals/rate-limits
 */
@Injectable()
export class XDmSender implements ChannelSender {
  readonly channel = 'x' as const;
  readonly vendor = 'x-api';
  private readonly client?: TwitterApiv2;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET, X_API_ROOT, X_API_CA_FILE } = config.env;
    if (!X_CONSUMER_KEY || !X_CONSUMER_SECRET || !X_ACCESS_TOKEN || !X_ACCESS_SECRET) return;
    const api = new TwitterApi(
      { appKey: X_CONSUMER_KEY, appSecret: X_CONSUMER_SECRET, accessToken: X_ACCESS_TOKEN, accessSecret: X_ACCESS_SECRET },
      X_API_CA_FILE ? { httpAgent: new Agent({ ca: readFileSync(X_API_CA_FILE), keepAlive: true }) } : {},
    );
    this.client = new PrefixedV2(api, `${X_API_ROOT.replace(/\/$/, '')}/2/`);
  }

  get configured(): boolean {
    return !!this.client;
  }

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    const post = PUBLIC_REPLY.exec(to)?.[1];
    if (!this.client) throw new Error('X is not configured (X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET)');
    try {
      if (post) {
        const reply = await this.client.reply(message.body, post);
        return { externalId: `tweet:${reply.data.id}` };
      }
      const dm = await this.client.sendDmToParticipant(to, { text: message.body });
      // The API answers {data: {dm_event_id}}; the library's type says the fields are at the top.
      const sent = (dm as unknown as { data?: typeof dm }).data ?? dm;
      return { externalId: `dm:${sent.dm_event_id}` };
    } catch (error) {
      if (error instanceof ApiRequestError) throw transportFailure('X', error); // no answer: X may have sent it
      if (!(error instanceof ApiResponseError)) throw error;
      if (error.code === 429) {
        const resetMs = (error.rateLimit?.reset ?? 0) * 1000 - Date.now();
        throw new RetryLaterError(`X 429: rate limited`, Math.max(1000, Number.isFinite(resetMs) ? resetMs : 60_000));
      }
      if (error.code === 403 || error.code === 404) {
        throw new PermanentSendError(`X ${error.code}: ${describe(error)}`, true, String(error.code));
      }
      throw error;
    }
  }
}

function describe(error: ApiResponseError): string {
  const data = error.data as { detail?: string; title?: string; errors?: Array<{ message?: string }> };
  return (data?.detail ?? data?.errors?.[0]?.message ?? data?.title ?? error.message).slice(0, 300);
}
