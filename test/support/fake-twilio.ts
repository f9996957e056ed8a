import { randomBytes } from 'node:crypto';
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
 * A local stand-in for Twilio's REST API (POST /2010-04-01/Accounts/{sid}/Messages.json),
 * for the real twilio client with TWILIO_API_BASE_URL pointing here. By default it
 * accepts every message (201, like Twilio); `failNext` queues error answers (400 21211,
 * 429 with Retry-After, 500...). Recorded failures are in `attempts`, accepted ones in `messages`.
 */
export class FakeTwilio {
  readonly messages: FakeTwilioMessage[] = [];
  readonly attempts: { params: Record<string, string>; status: number }[] = [];
  private readonly queued: { match: (params: Record<string, string>) => boolean; reply: FakeTwilioReply }[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next message matching `to` (or any) gets this answer instead of 201. */
  failNext(reply: FakeTwilioReply, to?: string): void {
    this.queued.push({ match: (p) => !to || p.To === to, reply });
  }

  /** Twilio's error body, as its API returns it. */
  static error(status: number, code: number, message: string, headers?: Record<string, string>): FakeTwilioReply {
    return { status, headers, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
  }

  to(number: string): FakeTwilioMessage[] {
    return this.messages.filter((m) => m.params.To === number);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !match) return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const i = this.queued.findIndex((q) => q.match(params));
    if (i >= 0) {
      const [{ reply }] = this.queued.splice(i, 1);
      this.attempts.push({ params, status: reply.status });
      return send(reply.status, reply.body ?? {}, reply.headers);
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const authUser = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')[0];
    this.attempts.push({ params, status: 201 });
    this.messages.push({ sid, accountSid: match[1], authUser, params, at: new Date() });
    const now = new Date().toUTCString();
    send(201, {
      sid,
      account_sid: match[1],
      to: params.To,
      from: params.From ?? null,
      messaging_service_sid: params.MessagingServiceSid ?? null,
      body: params.Body,
      status: 'queued',
      num_segments: '1',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      date_created: now,
      date_updated: now,
      uri: `/2010-04-01/Accounts/${match[1]}/Messages/${sid}.json`,
    });
  }
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

/** An inbound SMS webhook's parameters, as Twilio posts them. */
export function inboundSms(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  const sid = extra.MessageSid ?? messageSid();
  return {
    ToCountry: 'ID',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: body,
    FromCountry: 'ID',
    To: '1708',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: 'AC00000000000000000000000000000000',
    From: from,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}
