import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import twilio from 'twilio';

/** One Messages.json call the notifier made, as Twilio would have received it. */
export interface FakeTwilioMessage {
  sid: string;
  accountSid: string;
  /** Basic-auth user (the account SID the client authenticated with). */
  authUser: string;
  params: Record<string, string>;
  at: Date;
}

export interface FakeTwilioReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A local stand-in for Twilio's REST API, for the real twilio client with
 * TWILIO_API_BASE_URL pointing here:
 * - POST /2010-04-01/Accounts/{sid}/Messages.json sends: by default it accepts every
 *   message (201, like Twilio); `failNext` queues error answers (400 21211, 429 with
 *   Retry-After, 500...); `loseAnswerNext` accepts one and drops the connection instead of
 *   answering; `onAccepted` runs after a message is recorded and before the answer (to
 *   kill a notifier process in between, or hold the answer).
 * - GET of the same URL lists what was accepted, newest first, filtered by To, From and
 *   DateSent as Twilio's Read multiple Message resources does, in its page shape.
 *   https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources
 * Recorded failures are in `attempts`, accepted messages in `messages`.
 */
export class FakeTwilio {
  readonly messages: FakeTwilioMessage[] = [];
  readonly attempts: { params: Record<string, string>; status: number }[] = [];
  /** List requests received (their query parameters). */
  readonly lists: Record<string, string>[] = [];
  /** Media downloads (GET .../Messages/{sid}/Media/{sid}) with the Basic-auth user they came with. */
  readonly mediaFetches: { path: string; authUser: string; authorized: boolean }[] = [];
  private readonly media = new Map<string, { bytes: Buffer; contentType: string }>();
  /** Basic-auth credentials media downloads must carry (HTTP Basic Authentication for media, a Twilio account setting); unset: public media. */
  mediaAuth?: { accountSid: string; authToken: string };
  /** Awaited after a message is recorded, before Twilio's answer is sent. */
  onAccepted?: (message: FakeTwilioMessage) => void | Promise<void>;
  private readonly queued: { match: (params: Record<string, string>) => boolean; reply: FakeTwilioReply | 'lose-answer' }[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next message matching `to` (a number, or a test of the parameters; any when absent) gets this answer instead of 201. */
  failNext(reply: FakeTwilioReply, to?: string | ((params: Record<string, string>) => boolean)): void {
    this.queued.push({ match: matcher(to), reply });
  }

  /** The next message matching `to` is accepted (Twilio will send it), but the connection drops before the answer: the client sees a reset. */
  loseAnswerNext(to?: string | ((params: Record<string, string>) => boolean)): void {
    this.queued.push({ match: matcher(to), reply: 'lose-answer' });
  }

  /** Twilio's error body, as its API returns it. */
  static error(status: number, code: number, message: string, headers?: Record<string, string>): FakeTwilioReply {
    return { status, headers, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
  }

  /** Makes an MMS's media downloadable, as Twilio keeps it; returns its MediaUrl. */
  addMedia(accountSid: string, messageSid: string, bytes: Buffer, contentType: string): string {
    return this.addMediaAt(`${this.url}/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}/Media/ME${randomBytes(16).toString('hex')}`, bytes, contentType);
  }

  /** Serves media at the path of a MediaUrl as it came in a webhook (a fixture's api.twilio.com URL, on this stand-in). */
  addMediaAt(mediaUrl: string, bytes: Buffer, contentType: string): string {
    const path = new URL(mediaUrl).pathname;
    this.media.set(path, { bytes, contentType });
    return this.url + path;
  }

  to(number: string): FakeTwilioMessage[] {
    return this.messages.filter((m) => m.params.To === number);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://twilio.invalid');
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (match && req.method === 'GET') return send(200, this.list(match[1], url));
    if (req.method === 'GET' && /\/Messages\/[^/]+\/Media\/[^/]+$/.test(url.pathname)) return this.serveMedia(req, res, url.pathname);
    if (req.method !== 'POST' || !match) return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const i = this.queued.findIndex((q) => q.match(params));
    const queued = i >= 0 ? this.queued.splice(i, 1)[0].reply : undefined;
    if (queued && queued !== 'lose-answer') {
      this.attempts.push({ params, status: queued.status });
      return send(queued.status, queued.body ?? {}, queued.headers);
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const authUser = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')[0];
    const message: FakeTwilioMessage = { sid, accountSid: match[1], authUser, params, at: new Date() };
    this.attempts.push({ params, status: 201 });
    this.messages.push(message);
    await this.onAccepted?.(message);
    if (queued === 'lose-answer') return void req.socket.destroy();
    send(201, { ...resource(message), status: 'queued', date_sent: null });
  }

  private serveMedia(req: IncomingMessage, res: ServerResponse, path: string): void {
    const [authUser, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
    const authorized = !this.mediaAuth || (authUser === this.mediaAuth.accountSid && password === this.mediaAuth.authToken);
    this.mediaFetches.push({ path, authUser: authUser ?? '', authorized });
    const media = this.media.get(path);
    if (!authorized) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Twilio API"' }).end();
    if (!media) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': media.contentType, 'Content-Length': String(media.bytes.length) }).end(media.bytes);
  }

  /** One page of messages, newest first, as Twilio answers GET Messages.json. */
  private list(accountSid: string, url: URL): Record<string, unknown> {
    const q = Object.fromEntries(url.searchParams);
    this.lists.push(q);
    const pageSize = Math.min(1000, Number(q.PageSize ?? 50));
    const page = Number(q.Page ?? 0);
    const matching = this.messages
      .filter((m) => m.accountSid === accountSid && (!q.To || m.params.To === q.To) && (!q.From || m.params.From === q.From))
      .filter((m) => sentOn(m.at, q.DateSent, 'on') && sentOn(m.at, q['DateSent<'], 'before') && sentOn(m.at, q['DateSent>'], 'after'))
      .reverse();
    const base = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    const pageUri = (n: number) => {
      const p = new URLSearchParams(url.searchParams);
      p.set('PageSize', String(pageSize));
      p.set('Page', String(n));
      p.delete('PageToken');
      return `${base}?${p}`;
    };
    const start = page * pageSize;
    const messages = matching.slice(start, start + pageSize).map(resource);
    return {
      first_page_uri: pageUri(0),
      end: start + Math.max(0, messages.length - 1),
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      messages,
      uri: pageUri(page),
      page_size: pageSize,
      start,
      next_page_uri: start + pageSize < matching.length ? pageUri(page + 1) : null,
      page,
    };
  }
}

function matcher(to?: string | ((params: Record<string, string>) => boolean)): (params: Record<string, string>) => boolean {
  if (typeof to === 'function') return to;
  return (p) => !to || p.To === to;
}

/** A Message resource as Twilio's API shows it once sent (dates in RFC 2822, as Twilio writes them). */
function resource(m: FakeTwilioMessage): Record<string, unknown> {
  const date = rfc2822(m.at);
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.params.Body,
    date_created: date,
    date_sent: date,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.params.From ?? null,
    messaging_service_sid: m.params.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: 'sent',
    subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
    to: m.params.To,
    uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
  };
}

function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

/** Twilio's DateSent filters: a day (YYYY-MM-DD, GMT) or an instant; `DateSent<` is on or before, `DateSent>` on or after. */
function sentOn(at: Date, filter: string | undefined, how: 'on' | 'before' | 'after'): boolean {
  if (!filter) return true;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(filter);
  const from = Date.parse(day ? `${filter}T00:00:00Z` : filter);
  const to = day ? from + 86_400_000 : from;
  if (how === 'before') return at.getTime() <= (day ? to : from);
  if (how === 'after') return at.getTime() >= from;
  return day ? at.getTime() >= from && at.getTime() < to : at.getTime() === from;
}

/**
 * POSTs a webhook the way Twilio does: form-urlencoded, signed with the auth token over
 * `signedUrl` (the public URL configured at Twilio) with the real twilio library, but
 * delivered to `deliverTo` (where the service listens in the test).
 */
export async function postTwilioWebhook(opts: {
  deliverTo: string;
  path: string;
  params: Record<string, string>;
  authToken: string;
  signedUrl?: string;
  /** Sent instead of the computed signature (tests of refusal); null sends none. */
  signature?: string | null;
  /** Sent instead of `params` (a body tampered with after signing). */
  body?: Record<string, string>;
}): Promise<{ status: number; contentType: string | null; text: string }> {
  const signed = opts.signedUrl ?? opts.deliverTo + opts.path;
  const signature = opts.signature === undefined ? twilio.getExpectedTwilioSignature(opts.authToken, signed, opts.params) : opts.signature;
  const res = await fetch(opts.deliverTo + opts.path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'TwilioProxy/1.1', ...(signature === null ? {} : { 'X-Twilio-Signature': signature }) },
    body: new URLSearchParams(opts.body ?? opts.params).toString(),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
}

let sidCounter = 0;
/** A fresh, Twilio-shaped MessageSid. */
export function messageSid(): string {
  return `SM${randomBytes(12).toString('hex')}${(sidCounter++).toString(16).padStart(8, '0')}`;
}

/** The real inbound SMS webhook (the adapter's fixture): the one place its parameters are written. */
const INBOUND_SMS: Record<string, string> = JSON.parse(readFileSync(join(__dirname, '../../apps/sms-intake/src/adapters/twilio/__fixtures__/inbound-sms.json'), 'utf8'));

/** An inbound SMS webhook's parameters, as Twilio posts them: the fixture with another sender, text and a fresh MessageSid. */
export function inboundSms(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  const sid = extra.MessageSid ?? messageSid();
  return { ...INBOUND_SMS, SmsMessageSid: sid, SmsSid: sid, MessageSid: sid, From: from, Body: body, ...extra };
}

/** The Twilio settings of an end-to-end system whose SMS go to `fake` and whose webhooks are signed for `publicBaseUrl`. */
export function twilioTestEnv(fake: FakeTwilio, authToken: string, publicBaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-sms-e2e-')),
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_FROM_NUMBER: '1708',
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_BASE_URL: publicBaseUrl,
    NOTIFY_POLL_MS: '100',
    NOTIFY_RETRY_BASE_MS: '200',
    ...extra,
  };
}
