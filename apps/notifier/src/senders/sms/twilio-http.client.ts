import { Agent } from 'node:http';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { RetryLaterError } from '../channel-sender';

/**
 * twilio's own HTTP client with two additions. (1) A 429 or 5xx that carries Retry-After
 * becomes a RetryLaterError with that delay (the SDK's exceptions drop the headers).
 * (2) With an API base URL (tests, local stand-ins) every call goes there instead of
 * https://*.twilio.com: `region`/`edge` can only pick another Twilio host. Connections are
 * reused: the SDK's https agent keeps them alive (keepAlive defaults to true), and a plain
 * http base URL gets a keep-alive agent too, so a burst of sends does not open a socket each.
 */
export class TwilioHttpClient extends twilio.RequestClient {
  constructor(private readonly apiBaseUrl?: string) {
    super({ timeout: 15_000, keepAlive: true });
    if (apiBaseUrl?.startsWith('http:')) this.axios.defaults.httpAgent = new Agent({ keepAlive: true, timeout: 15_000 });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    if (this.apiBaseUrl) opts = { ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, this.apiBaseUrl.replace(/\/+$/, '')) };
    const response = await super.request<TData>(opts);
    if (response.statusCode === 429 || response.statusCode >= 500) {
      const delayMs = retryAfterMs(headerValue(response.headers, 'retry-after'));
      if (delayMs !== undefined) throw new RetryLaterError(`Twilio answered HTTP ${response.statusCode}, Retry-After ${Math.ceil(delayMs / 1000)} s`, delayMs);
    }
    return response;
  }
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const value = typeof h.get === 'function' ? h.get(name) : h[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
