import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseForm } from 'qs';
import twilio from 'twilio';
import { CreateComplaintRequest } from '@lapor/contracts';
import { TwilioInboundSms, TwilioStatusCallback } from '../../apps/sms-intake/src/adapters/twilio/twilio-sms.adapter';
import { arbitraryOf } from './zod-arbitrary';
import { contentType, formBody, FuzzRequest, jsonBody, pathValue } from './mutations';

/** The secrets the target was started with, so requests are validly signed where a route checks. */
export interface FuzzSecrets {
  publicBaseUrl: string;
  twilioAuthToken: string;
  telegramSecret: string;
  xConsumerSecret: string;
  xAccountId: string;
  /** WhatsApp's app secret; without it the WhatsApp route is not fuzzed. */
  whatsappAppSecret?: string;
  /** An Open311 api_key the target accepts (OPEN311_API_KEYS); without it only Open311's reads are fuzzed. */
  open311ApiKey?: string;
}

/** One public route and the requests to try on it. */
export interface FuzzRoute {
  name: string;
  /** Share of the requests. */
  weight: number;
  requests: fc.Arbitrary<FuzzRequest>;
}

const FIXTURES = join(__dirname, '..', '..', 'apps');
const fixture = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
const telegramFixtures = ['message', 'command-cek', 'command-start', 'command-lapor-with-text', 'location', 'photo', 'document', 'edited-message', 'group-message'].map((n) =>
  fixture(`social-intake/src/adapters/telegram/__fixtures__/${n}.json`),
);
const xFixtures = ['direct-message', 'direct-message-command', 'direct-message-own', 'mention', 'favorite'].map((n) => fixture(`social-intake/src/adapters/x/__fixtures__/${n}.json`));

/** Telegram updates: real fixtures with generated ids, texts and chats, or anything shaped like an update. */
function telegramUpdate(): fc.Arbitrary<unknown> {
  const text = fc.oneof(fc.string({ maxLength: 200, unit: 'grapheme' }), fc.constantFrom('/start', '/cek', '/cek 7KQ4M9XWRTC', '/lapor', '/bantuan', '/berhenti', '/mulai', ''));
  return fc.oneof(
    fc.tuple(fc.constantFrom(...telegramFixtures), fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), text).map(([f, updateId, chatId, t]) => {
      const u = structuredClone(f) as Record<string, Record<string, Record<string, unknown>> | number>;
      u.update_id = updateId;
      const m = (u.message ?? u.edited_message) as Record<string, Record<string, unknown> | unknown> | undefined;
      if (m && typeof m === 'object') {
        (m.chat as Record<string, unknown>).id = chatId;
        if (m.from) (m.from as Record<string, unknown>).id = chatId;
        if ('text' in m) m.text = t;
      }
      return u;
    }),
    fc.record({ update_id: fc.integer({ min: 0, max: 2 ** 31 }), message: fc.anything({ maxDepth: 3 }) }),
    fc.record({ update_id: fc.integer({ min: 0, max: 2 ** 31 }), callback_query: fc.jsonValue({ maxDepth: 2 }), channel_post: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['update_id'] }),
  );
}

/** X Account Activity events: real fixtures with generated ids and texts, or arbitrary event lists. */
function xActivity(accountId: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...xFixtures), fc.bigInt({ min: 1n, max: 2n ** 62n }), fc.string({ maxLength: 300, unit: 'grapheme' })).map(([f, id, text]) => {
      const e = structuredClone(f) as Record<string, unknown>;
      const dms = e.direct_message_events as Record<string, unknown>[] | undefined;
      if (dms?.[0]) {
        dms[0].id = String(id);
        dms[0].created_timestamp = String(Date.now());
        ((dms[0].message_create as Record<string, Record<string, unknown>>).message_data).text = text;
      }
      const tweets = e.tweet_create_events as Record<string, unknown>[] | undefined;
      if (tweets?.[0]) Object.assign(tweets[0], { id_str: String(id), text, timestamp_ms: String(Date.now()) });
      return e;
    }),
    fc.record({ for_user_id: fc.oneof(fc.constant(accountId), fc.string()), direct_message_events: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }), tweet_create_events: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }) }, { requiredKeys: [] }),
  );
}

/**
 * Twilio signs the URL and the POST parameters; signed here over the parameters as the
 * service will parse them (body-parser's urlencoded parser: qs, not nested), so a mutated
 * body still carries a valid signature and reaches the handler.
 */
function twilioSignature(secrets: FuzzSecrets, path: string, body: Buffer): string {
  const params = parseForm(body.toString('utf8'), { allowPrototypes: true, depth: 0, parameterLimit: 1000, arrayLimit: 1000 }) as Record<string, string | string[]>;
  return twilio.getExpectedTwilioSignature(secrets.twilioAuthToken, `${secrets.publicBaseUrl}${path}`, params as Record<string, string>);
}

/** Form fields as strings, the way a form posts them. */
const asForm = (value: unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : v === undefined ? undefined : String(v)]));

/**
 * Every public route of the gateway: the complaint API and web form (web-intake), Twilio's
 * two webhooks (sms-intake), the Telegram and X webhooks and X's CRC check (social-intake).
 * Signed requests are signed validly, so the payload reaches the handler.
 */
export function publicRoutes(secrets: FuzzSecrets): FuzzRoute[] {
  const complaint = arbitraryOf(CreateComplaintRequest);
  const idempotencyKey = fc.oneof(fc.uuid(), fc.string({ maxLength: 250, unit: 'grapheme' }), fc.constant(undefined));
  const formFields = fc.record(
    {
      text: fc.string({ maxLength: 400, unit: 'grapheme' }),
      lokasi: fc.string({ maxLength: 60 }),
      name: fc.string({ maxLength: 60 }),
      email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 40 })),
      phone: fc.string({ maxLength: 25 }),
      anonymous: fc.constantFrom('on', '1', 'true', ''),
      confidential: fc.constantFrom('on', ''),
      idempotencyKey: fc.oneof(fc.uuid(), fc.string({ maxLength: 250 })),
    },
    { requiredKeys: [] },
  );
  const headers = (type: string | undefined, extra: Record<string, string> = {}) => ({ ...(type ? { 'Content-Type': type } : {}), ...extra });

  return [
    {
      name: 'POST /api/v1/complaints',
      weight: 30,
      requests: fc.tuple(jsonBody(complaint), contentType('application/json'), idempotencyKey, fc.constantFrom(undefined, 'mobile', 'web', '\u0000')).map(([b, type, key, client]) => ({
        method: 'POST' as const,
        path: '/api/v1/complaints',
        headers: headers(type, { ...(key !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(key) ? { 'Idempotency-Key': key } : {}), ...(client && client !== '\u0000' ? { 'X-Client-Channel': client } : {}) }),
        body: b.body,
        mutation: b.mutation,
      })),
    },
    {
      name: 'GET /api/v1/complaints/:id',
      weight: 5,
      requests: pathValue.map((id) => ({ method: 'GET' as const, path: `/api/v1/complaints/${id || 'x'}`, headers: {}, mutation: 'id' })),
    },
    {
      name: 'POST /lapor (web form)',
      weight: 10,
      requests: fc.tuple(formBody(formFields), contentType('application/x-www-form-urlencoded')).map(([b, type]) => ({ method: 'POST' as const, path: '/lapor', headers: headers(type), body: b.body, mutation: b.mutation })),
    },
    {
      name: 'GET /lapor/cek?id=',
      weight: 4,
      requests: pathValue.map((id) => ({ method: 'GET' as const, path: `/lapor/cek?id=${id}`, headers: {}, mutation: 'id' })),
    },
    {
      name: 'GET /lapor/diterima/:id',
      weight: 2,
      requests: pathValue.map((id) => ({ method: 'GET' as const, path: `/lapor/diterima/${id || 'x'}`, headers: {}, mutation: 'id' })),
    },
    {
      name: 'POST /webhooks/twilio/sms',
      weight: 20,
      requests: fc.tuple(formBody(arbitraryOf(TwilioInboundSms).map(asForm)), contentType('application/x-www-form-urlencoded')).map(([b, type]) => ({
        method: 'POST' as const,
        path: '/webhooks/twilio/sms',
        headers: headers(type, { 'X-Twilio-Signature': twilioSignature(secrets, '/webhooks/twilio/sms', b.body) }),
        body: b.body,
        mutation: b.mutation,
      })),
    },
    {
      name: 'POST /webhooks/twilio/status',
      weight: 6,
      requests: fc.tuple(formBody(arbitraryOf(TwilioStatusCallback).map(asForm)), contentType('application/x-www-form-urlencoded'), fc.constantFrom('', '?attempt=00000000-0000-0000-0000-000000000000.1', '?attempt=%00')).map(([b, type, query]) => ({
        method: 'POST' as const,
        path: `/webhooks/twilio/status${query}`,
        headers: headers(type, { 'X-Twilio-Signature': twilioSignature(secrets, `/webhooks/twilio/status${query}`, b.body) }),
        body: b.body,
        mutation: b.mutation,
      })),
    },
    {
      name: 'POST /webhooks/telegram',
      weight: 12,
      requests: fc.tuple(jsonBody(telegramUpdate()), contentType('application/json')).map(([b, type]) => ({
        method: 'POST' as const,
        path: '/webhooks/telegram',
        headers: headers(type, { 'X-Telegram-Bot-Api-Secret-Token': secrets.telegramSecret }),
        body: b.body,
        mutation: b.mutation,
      })),
    },
    {
      name: 'POST /webhooks/x',
      weight: 9,
      requests: fc.tuple(jsonBody(xActivity(secrets.xAccountId)), contentType('application/json')).map(([b, type]) => ({
        method: 'POST' as const,
        path: '/webhooks/x',
        headers: headers(type, { 'x-twitter-webhooks-signature': `sha256=${createHmac('sha256', secrets.xConsumerSecret).update(b.body).digest('base64')}` }),
        body: b.body,
        mutation: b.mutation,
      })),
    },
    ...(secrets.whatsappAppSecret ? [whatsappRoute(secrets.whatsappAppSecret)] : []),
    ...open311Routes(secrets.open311ApiKey),
    {
      name: 'POST /lapor/cek/:id/{informasi,keberatan,selesai,ombudsman} (status page)',
      weight: 3,
      requests: fc
        .tuple(pathValue, fc.constantFrom('informasi', 'keberatan', 'selesai', 'ombudsman'), formBody(fc.record({ text: fc.string({ maxLength: 300, unit: 'grapheme' }), reason: fc.string({ maxLength: 100 }) }, { requiredKeys: [] })), contentType('application/x-www-form-urlencoded'))
        .map(([id, action, b, type]) => ({ method: 'POST' as const, path: `/lapor/cek/${id || 'x'}/${action}`, headers: headers(type), body: b.body, mutation: `${action} ${b.mutation}` })),
    },
    {
      name: 'GET /webhooks/x?crc_token=',
      weight: 2,
      requests: fc.tuple(pathValue, fc.constantFrom('crc_token', 'crc_token', 'crc_token', 'crc_token[]', 'crc_token[a]', 'other'), fc.boolean()).map(([token, name, twice]) => ({
        method: 'GET' as const,
        path: `/webhooks/x?${name}=${token}${twice ? `&${name}=${token}` : ''}`,
        headers: {},
        mutation: twice ? `${name} twice` : name,
      })),
    },
  ];
}

/** A kept-alive connection the server closed just as the request went out: the request never reached a handler. */
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * Sends one request; resolves with the status, or rejects when there is no answer (a
 * crash). A request that met a stale kept-alive connection is sent once more on a new one.
 */
export async function send(base: string, req: FuzzRequest, timeoutMs = 30_000): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      return res.status;
    } catch (error) {
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      if (attempt > 0 || !code || !STALE_CONNECTION.has(code)) throw error;
    }
  }
}

/** What to print of a failing request: the route, the mutation, the body as text (escaped) and its size. */
export function describeRequest(req: FuzzRequest): string {
  const body = req.body ? JSON.stringify(req.body.subarray(0, 600).toString('latin1')) + (req.body.length > 600 ? ` … (${req.body.length} bytes)` : '') : '(no body)';
  return `${req.method} ${req.path.slice(0, 200)} [${req.mutation}] headers ${JSON.stringify(req.headers).slice(0, 300)} body ${body}`;
}

/**
 * Open311 GeoReport v2 (apps/web-intake/src/open311): the form-encoded create as
 * FixMyStreet's client posts it (api_key, service_code, lat/long, description, attribute[...]),
 * and the reads: services, discovery, tokens, single request and the filtered list.
 */
function open311Routes(apiKey: string | undefined): FuzzRoute[] {
  const field = fc.oneof(fc.string({ maxLength: 80, unit: 'grapheme' }), fc.constantFrom('', '-6.9147', '107.6098', '1e308', 'NaN', '2026-12-03T10:00:00+07:00', 'open,closed', '__proto__'));
  const createFields = fc.record(
    {
      api_key: fc.oneof(fc.constant(apiKey ?? 'no-key'), fc.string({ maxLength: 40 })),
      service_code: fc.oneof(fc.constantFrom('jalan-rusak', 'sampah', 'air-bersih', 'x'), fc.string({ maxLength: 40 })),
      lat: field,
      long: field,
      address_string: field,
      description: fc.string({ maxLength: 600, unit: 'grapheme' }),
      email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 40 })),
      first_name: field,
      last_name: field,
      phone: field,
      jurisdiction_id: field,
      'attribute[anonymous]': fc.constantFrom('true', 'false', '1', ''),
      'attribute[confidential]': fc.constantFrom('true', 'false', ''),
      media_url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 60 })),
    },
    { requiredKeys: [] },
  );
  const query = fc
    .record({ service_request_id: field, service_code: field, start_date: field, end_date: field, status: field, jurisdiction_id: field, page: field, page_size: field }, { requiredKeys: [] })
    .map((q) => new URLSearchParams(q as Record<string, string>).toString());
  return [
    {
      name: 'POST /open311/v2/requests.{json,xml}',
      weight: 6,
      requests: fc.tuple(formBody(createFields), contentType('application/x-www-form-urlencoded'), fc.constantFrom('json', 'xml')).map(([b, type, format]) => ({
        method: 'POST' as const,
        path: `/open311/v2/requests.${format}`,
        headers: (type ? { 'Content-Type': type } : {}) as Record<string, string>,
        body: b.body,
        mutation: b.mutation,
      })),
    },
    {
      name: 'GET /open311/v2 reads (services, discovery, tokens, requests)',
      weight: 4,
      requests: fc.tuple(pathValue, query, fc.constantFrom('json', 'xml'), fc.constantFrom('token', 'request', 'list', 'services', 'service', 'discovery')).map(([id, q, format, kind]) => {
        const path = {
          token: `/open311/v2/tokens/${id || 'x'}.${format}`,
          request: `/open311/v2/requests/${id || 'x'}.${format}`,
          list: `/open311/v2/requests.${format}?${q}`,
          services: `/open311/v2/services.${format}?${q}`,
          service: `/open311/v2/services/${id || 'x'}.${format}`,
          discovery: `/open311/v2/discovery.${format}`,
        }[kind];
        return { method: 'GET' as const, path, headers: {}, mutation: kind };
      }),
    },
  ];
}

/** POST /webhooks/whatsapp: the channel's real fixtures, mutated, signed as Meta signs (X-Hub-Signature-256 over the raw body). */
function whatsappRoute(appSecret: string): FuzzRoute {
  const dir = join(__dirname, '../../apps/social-intake/src/adapters/whatsapp/__fixtures__');
  const fixtures = Object.keys(JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'))).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
  return {
    name: 'POST /webhooks/whatsapp',
    weight: 9,
    requests: fc.tuple(jsonBody(fc.constantFrom(...fixtures)), contentType('application/json')).map(([b, type]) => ({
      method: 'POST' as const,
      path: '/webhooks/whatsapp',
      headers: { ...(type ? { 'Content-Type': type } : {}), 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(b.body).digest('hex')}` },
      body: b.body,
      mutation: b.mutation,
    })),
  };
}
