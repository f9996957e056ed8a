import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackingIdFor } from '@lapor/contracts';
import { inboundSms, postTwilioWebhook } from '../../../../test/support/fake-twilio';
import { RunningSystem, startEmbedded } from '../../../../test/support/system';
import { waitFor } from '../../../../test/support/wait-for';

const KEY = 'kunci-uji-privasi-0123456789';
const TWILIO_TOKEN = 'twilio-auth-token-uji';
const PUBLIC = 'https://lapor.example.id';
const SMS_FROM = '+6281299990001';
const REPORTER = { first_name: 'Siti', last_name: 'Aminah', email: 'siti.aminah@example.com', phone: '+6281234567890' };
const TEXT = 'Jalan berlubang besar di Jl. Braga Kota Bandung, berbahaya bagi pengendara motor';
const POINT = { lat: -6.91753, lon: 107.61912 };
/** What no Open311 answer may ever contain: the reporter's name, e-mail, phone, the complaint text, its position. */
const UNKNOWN_ID = trackingIdFor('web', 'tidak-pernah-dikirim');
const PRIVATE = ['Siti', 'Aminah', REPORTER.email, '81234567890', SMS_FROM.slice(3), 'Braga', 'berlubang', '6.9175', '107.619'];

const KINDS = [
  { kind: 'ordinary', anonymous: false, confidential: false },
  { kind: 'Anonim', anonymous: true, confidential: false },
  { kind: 'Rahasia', anonymous: false, confidential: true },
  { kind: 'Anonim+Rahasia', anonymous: true, confidential: true },
] as const;
type Kind = (typeof KINDS)[number]['kind'];
/** Open311 and web API complaints carry their reporter's key as tracking id; an SMS one does not (and has no Anonim/Rahasia). */
const SOURCES = ['Open311 POST', 'web API', 'SMS'] as const;
type Source = (typeof SOURCES)[number];
const kindsOf = (source: Source) => (source === 'SMS' ? KINDS.filter((k) => k.kind === 'ordinary') : KINDS);

/** Every Open311 route that reads: single ones and `byId` lists name the complaint, `browse` lists do not, static ones hold no complaint. */
const ROUTES: [string, 'single' | 'byId' | 'browse' | 'static', (id: string) => string][] = [
  ['GET requests/{id}.json', 'single', (id) => `requests/${id}.json`],
  ['GET requests/{id}.xml', 'single', (id) => `requests/${id}.xml`],
  ['GET tokens/{id}.json', 'single', (id) => `tokens/${id}.json`],
  ['GET tokens/{id}.xml', 'single', (id) => `tokens/${id}.xml`],
  ['GET requests.json', 'browse', () => 'requests.json'],
  ['GET requests.xml', 'browse', () => 'requests.xml'],
  ['GET requests.json?service_request_id={id}', 'byId', (id) => `requests.json?service_request_id=${id}`],
  ['GET requests.xml?service_request_id={id}', 'byId', (id) => `requests.xml?service_request_id=${id}`],
  ['GET requests.json?service_code&status=open', 'browse', () => 'requests.json?service_code=jalan-lokal&status=open'],
  ['GET requests.xml?start_date', 'browse', () => `requests.xml?start_date=${new Date(Date.now() - 86_400_000).toISOString()}`],
  ['GET discovery.json', 'static', () => 'discovery.json'],
  ['GET services.xml', 'static', () => 'services.xml'],
  ['GET services/{code}.json', 'static', () => 'services/jalan-lokal.json'],
];

/**
 * Issue 15's rule on every Open311 route, for each kind of complaint and each way it came in:
 * a Rahasia complaint is never there (404 on a single read, absent from every list), an Anonim
 * one shows no identity, and no answer shows anything about any reporter, nor the text or
 * position (a public list is not the reporter's own status page). A web or app complaint's id
 * (its reporter's key) is in a list only when the caller named it.
 */
describe('Open311: Rahasia and Anonim on every route', () => {
  let system: RunningSystem;
  const ids = {} as Record<Source, Record<Kind, string>>;
  const createAnswers: [Source, Kind, string][] = [];

  beforeAll(async () => {
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-open311-privacy-')), OPEN311_API_KEYS: `aplikasi-warga:${KEY}`, TWILIO_AUTH_TOKEN: TWILIO_TOKEN, PUBLIC_BASE_URL: PUBLIC });
    ids['Open311 POST'] = {} as Record<Kind, string>;
    ids['web API'] = {} as Record<Kind, string>;
    ids.SMS = {} as Record<Kind, string>;
    const params = inboundSms(SMS_FROM, TEXT);
    const sms = await postTwilioWebhook({ deliverTo: system.baseUrl, path: '/webhooks/twilio/sms', params, authToken: TWILIO_TOKEN, signedUrl: `${PUBLIC}/webhooks/twilio/sms` });
    expect(sms.status).toBe(200);
    ids.SMS.ordinary = trackingIdFor('sms', params.MessageSid);
    for (const { kind, anonymous, confidential } of KINDS) {
      const form = new URLSearchParams({
        api_key: KEY, service_code: 'jalan-lokal', description: TEXT, lat: String(POINT.lat), long: String(POINT.lon), ...REPORTER,
        'attribute[anonim]': String(anonymous), 'attribute[rahasia]': String(confidential), 'attribute[client_request_id]': `privasi-${kind}`,
      });
      const created = await fetch(`${system.baseUrl}/open311/v2/requests.xml`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      const xml = await created.text();
      createAnswers.push(['Open311 POST', kind, xml]);
      ids['Open311 POST'][kind] = /<service_request_id>(\w+)<\/service_request_id>/.exec(xml)![1];

      const web = await fetch(`${system.baseUrl}/api/v1/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: TEXT, regionCode: '32.73', location: POINT, category: 'jalan-lokal', anonymous, confidential, reporter: { name: 'Siti Aminah', email: REPORTER.email, phone: REPORTER.phone } }),
      });
      ids['web API'][kind] = ((await web.json()) as { trackingId: string }).trackingId;
    }
    // Registered: the reporter's own status page has each of them (Rahasia ones too).
    for (const source of SOURCES) {
      for (const { kind } of kindsOf(source)) {
        const id = ids[source][kind];
        await waitFor(async () => (await fetch(`${system.baseUrl}/api/v1/complaints/${id}`)).status === 200 || null, { timeoutMs: 60_000, what: `${source} ${kind} ${id} registered` });
      }
    }
  }, 180_000);
  afterAll(() => system?.stop());

  it.each(KINDS.map(({ kind }) => [kind]))('should answer the POST of a %s complaint with its id and nothing about the reporter', (kind) => {
    const [, , xml] = createAnswers.find(([, k]) => k === kind)!;
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><service_requests><request><service_request_id>\w{11}<\/service_request_id><service_notice>[^<]+<\/service_notice><\/request><\/service_requests>$/);
    for (const secret of PRIVATE) expect(xml).not.toContain(secret);
  });

  const cases = ROUTES.flatMap(([route, shape, path]) => SOURCES.flatMap((source) => kindsOf(source).map(({ kind, confidential }) => ({ route, shape, path, source, kind, confidential }))));
  it.each(cases)('$route for a $kind complaint from the $source', async ({ shape, path, source, kind, confidential }) => {
    const id = ids[source][kind];
    const res = await fetch(`${system.baseUrl}/open311/v2/${path(id)}`);
    const body = await res.text();
    for (const secret of PRIVATE) expect(body).not.toContain(secret);
    if (shape === 'single' && confidential) {
      // Exactly what an id that was never sent gets: nothing tells that it exists.
      const unknown = await fetch(`${system.baseUrl}/open311/v2/${path(UNKNOWN_ID)}`);
      expect([res.status, body.replace(id, '<id>')]).toEqual([404, (await unknown.text()).replace(UNKNOWN_ID, '<id>')]);
    } else if (shape === 'single') {
      expect(res.status).toBe(200);
      expect(body).toContain(id);
    } else if (shape === 'byId') {
      expect(res.status).toBe(200);
      expect(body.includes(id)).toBe(!confidential);
    } else if (shape === 'browse') {
      expect(res.status).toBe(200);
      expect(body.includes(id)).toBe(!confidential && source === 'SMS');
    } else {
      expect(res.status).toBe(200);
      expect(body).not.toContain(id);
    }
  });
});
