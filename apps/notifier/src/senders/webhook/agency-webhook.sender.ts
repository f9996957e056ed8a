import { Inject, Injectable, Logger } from '@nestjs/common';
import { AGENCY_WEBHOOK_HEADERS, agencyWebhookKey, signAgencyWebhook } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { ChannelSender, OutboundMessage, PermanentSendError, RetryLaterError, SendResult, transportFailure } from '../channel-sender';

const H = AGENCY_WEBHOOK_HEADERS;
/** A receiver that neither answers nor refuses within this time is retried with backoff. */
const TIMEOUT_MS = 10_000;
/** 4xx that mean "not now" rather than "never": request timeout and rate limiting. */
const RETRYABLE_4XX = new Set([408, 429]);

/**
 * POSTs an agency notice to the body's own system (docs/agency-desk.md, "Agency webhook"):
 * the JSON body exactly as stored, `X-Lapor-Signature: sha256=<hex HMAC-SHA256 of that raw
 * body>` with the body's key of the notice's key version (derived from
 * AGENCY_WEBHOOK_SECRET, the same function the desk uses to show the key), and the event,
 * delivery id (the same on every retry, so the receiver can drop repeats), key version,
 * body and attempt time.
 *
 * 2xx: sent. 4xx except 408/429: permanent for this notice (the URL itself is not marked
 * dead: the agency may fix its endpoint for the next one). Anything else, a timeout or no
 * connection: retried with backoff; 429 after its Retry-After. Redirects are not followed.
 * A webhook cannot be asked what it received, so a retry after a lost answer is a possible
 * duplicate: the unchanged X-Lapor-Delivery lets the receiver drop it.
 */
@Injectable()
export class AgencyWebhookSender implements ChannelSender {
  readonly channel = 'webhook' as const;
  readonly vendor = 'agency-webhook';
  private readonly log = new Logger(AgencyWebhookSender.name);
  private readonly secret?: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = config.env.AGENCY_WEBHOOK_SECRET;
    if (!this.secret) this.log.log('AGENCY_WEBHOOK_SECRET is not set: agency webhooks are off (officials still get e-mail)');
  }

  async send(url: string, message: OutboundMessage): Promise<SendResult> {
    if (!this.secret) throw new PermanentSendError('agency webhooks are off: AGENCY_WEBHOOK_SECRET is not set', false);
    const bodyCode = message.headers[H.body];
    const version = Number(message.headers[H.keyVersion]);
    const delivery = message.headers[H.delivery];
    if (!bodyCode || !Number.isInteger(version) || version < 1 || !delivery) throw new PermanentSendError(`webhook message without ${H.body}, ${H.keyVersion} or ${H.delivery}`, false);
    const key = agencyWebhookKey(this.secret, bodyCode, version);
    return postSignedWebhook(url, message, key, {
      [H.event]: message.headers[H.event] ?? '',
      [H.delivery]: delivery,
      [H.keyVersion]: String(version),
      [H.body]: bodyCode,
    });
  }
}

/**
 * One signed POST: the JSON body exactly as stored, X-Lapor-Signature over those raw bytes
 * with `key`, the given headers and the attempt time; the answer classified for the
 * dispatcher (2xx sent; 4xx except 408/429 permanent for this message; 429 after its
 * Retry-After; anything else, a timeout or no connection retried with backoff). Shared by
 * the agencies' webhooks and Ombudsman RI's intake (OmbudsmanWebhookSender).
 */
export async function postSignedWebhook(url: string, message: OutboundMessage, key: string, headers: Record<string, string>): Promise<SendResult> {
  const delivery = headers[H.delivery];
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body: message.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'lapor-gateway-webhook/1',
        [H.signature]: signAgencyWebhook(key, message.body),
        ...headers,
        [H.timestamp]: String(Math.floor(Date.now() / 1000)),
        ...(message.headers['X-Lapor-Tracking-Id'] ? { 'X-Lapor-Tracking-Id': message.headers['X-Lapor-Tracking-Id'] } : {}),
      },
    });
  } catch (error) {
    // No answer: the receiver may have stored it (a possible duplicate, which X-Lapor-Delivery lets it drop); a refused connection is a plain retry.
    throw transportFailure(`webhook ${url}`, error);
  }
  await res.arrayBuffer().catch(() => undefined); // drain, so the connection is reused
  if (res.status >= 200 && res.status < 300) return { externalId: `${delivery}@${res.status}` };
  const what = `webhook ${url} answered HTTP ${res.status}`;
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after'));
    if (Number.isFinite(after) && after > 0) throw new RetryLaterError(what, Math.min(after, 3600) * 1000);
  }
  if (res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status)) throw new PermanentSendError(what, false, String(res.status));
  throw new Error(what);
}
