import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Open311CreatedRequest, Open311Discovery, Open311Error, Open311Service, Open311ServiceDefinition, Open311ServiceRequest, Open311Token, trackingIdFor } from '@lapor/contracts';
import { z } from 'zod';
import { inboundSms, postTwilioWebhook } from '../../../../test/support/fake-twilio';
import { FmsOpen311Client, mapState, Params, processError, xmlSimple } from '../../../../test/support/fixmystreet-open311-client';
import { RunningSystem, startEmbedded } from '../../../../test/support/system';
import { waitFor } from '../../../../test/support/wait-for';

const KEY = 'kunci-uji-fixmystreet-0123456789';
const TWILIO_TOKEN = 'twilio-auth-token-uji';
const PUBLIC = 'https://lapor.example.id';
const JURISDICTION = 'lapor.go.id';
const HOUR = 3_600_000;
/** W3C-DTF with whole seconds and an offset, as DateTime::Format::W3CDTF (FixMyStreet) reads and writes it. */
const W3CDTF = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;
const UNKNOWN_ID = trackingIdFor('web', 'tidak-pernah-dikirim');

/**
 * A report as Open311::_populate_service_request_params sends it (perllib/Open311.pm, cases of
 * t/open311.t "posting service request"): the extended description, the user's split name,
 * e-mail and phone, lat/long truncated, attribute[...] from the category's extra fields.
 */
const report = (over: Params = {}): Params => ({
  service_code: 'jalan-lokal',
  description: 'title: Jalan berlubang\n\ndetail: Jalan berlubang besar di Jl. Braga Kota Bandung, berbahaya bagi pengendara motor\n\nurl: https://fixmystreet.example/report/1\n\nSubmitted via FixMyStreet\n',
  first_name: 'Siti',
  last_name: 'Aminah',
  email: 'siti.aminah@example.com',
  phone: '+6281234567890',
  lat: '-6.917500',
  long: '107.619100',
  ...over,
});

/**
 * Open311 GeoReport v2 as FixMyStreet's Open311 client uses it (test/support/fixmystreet-open311-client.ts
 * stands in for perllib/Open311.pm): every call carries its jurisdiction_id, POSTs its api_key,
 * answers are read with its XML::Simple settings. Each case names the FixMyStreet file it follows.
 */
describe('Open311 GeoReport v2 through FixMyStreet\'s client', () => {
  let system: RunningSystem;
  let fms: FmsOpen311Client;
  /**
   * Complaints for the lists: three by SMS (two roads, one closed, and a school), whose service
   * code is the rule routing matched; two by Open311 (one Rahasia), which lists show only to a
   * caller naming their ids (a web complaint's id is its reporter's key).
   */
  const made = {} as Record<'road' | 'school' | 'closedRoad' | 'rahasia' | 'viaOpen311', string>;

  const registered = (id: string) =>
    waitFor(async () => ((await fms.getServiceRequests({ report_ids: [id] })) ?? []).length > 0 || null, { timeoutMs: 60_000, what: `${id} registered` });

  beforeAll(async () => {
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-open311-')), OPEN311_API_KEYS: `fixmystreet:${KEY}`, TWILIO_AUTH_TOKEN: TWILIO_TOKEN, PUBLIC_BASE_URL: PUBLIC });
    fms = new FmsOpen311Client({ endpoint: `${system.baseUrl}/open311/v2`, jurisdiction: JURISDICTION, api_key: KEY });
    const send = async (params: Params) => {
      const id = await fms.sendServiceRequest(params);
      if (!id) throw new Error(`not created: ${fms.error}`);
      return id;
    };
    const sms = async (from: string, text: string) => {
      const params = inboundSms(from, text);
      const res = await postTwilioWebhook({ deliverTo: system.baseUrl, path: '/webhooks/twilio/sms', params, authToken: TWILIO_TOKEN, signedUrl: `${PUBLIC}/webhooks/twilio/sms` });
      if (res.status !== 200) throw new Error(`SMS refused: ${res.status} ${res.text}`);
      return trackingIdFor('sms', params.MessageSid);
    };
    made.road = await sms('+6281200000001', 'Jalan rusak berlubang besar di Jl. Braga Kota Bandung, mohon segera diperbaiki');
    await registered(made.road);
    made.school = await sms('+6281200000002', 'Atap ruang kelas SD Negeri 1 di Kota Bandung bocor dan hampir roboh');
    await registered(made.school);
    made.closedRoad = await sms('+6281200000003', 'Jalan rusak dan berlubang di depan Pasar Kosambi Kota Bandung');
    await registered(made.closedRoad);
    made.viaOpen311 = await send(report({ 'attribute[client_request_id]': 'fms-list-1' }));
    made.rahasia = await send(report({ 'attribute[rahasia]': 'true', 'attribute[client_request_id]': 'fms-list-2' }));
    await registered(made.viaOpen311);
    await waitFor(async () => (await fetch(`${system.baseUrl}/api/v1/complaints/${made.rahasia}`)).status === 200 || null, { timeoutMs: 60_000, what: 'the Rahasia one registered' });
    // An admin closes one (the router's action API, as the desk calls it).
    const closed = await fetch(`${system.baseUrl}/internal/v1/complaints/${made.closedRoad}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: { action: 'close', note: 'Sudah diperbaiki' }, actor: { kind: 'officer', officerId: 'adm-1', role: 'national-admin' } }),
    });
    expect(closed.status).toBe(200);
  }, 180_000);
  afterAll(() => system?.stop());

  describe('discovery and services', () => {
    // FixMyStreet's server answers discovery this way (perllib/FixMyStreet/App/Controller/Open311.pm, get_discovery).
    it('should answer discovery in XML and JSON', async () => {
      const xml = xmlSimple((await fms.get('discovery.xml'))!) as { endpoints: { endpoint: { specification: string; formats: { format: string[] } } }; max_requests: string };
      expect(xml.endpoints.endpoint).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: { format: ['application/json', 'text/xml'] } });
      expect(xml.max_requests).toBe('1000');
      const json = Open311Discovery.parse(JSON.parse((await fms.get('discovery.json'))!));
      expect(json.endpoints[0].url).toMatch(/\/open311\/v2\/$/);
    });

    // Open311::PopulateServiceList (process_service): `{service}` items, lc(metadata) eq 'true' fetches the definition.
    it('should list the services as PopulateServiceList reads them, and in JSON', async () => {
      const list = (await fms.getServiceList())!.service as Record<string, unknown>[];
      // `group` is in its ForceArray list (for <groups><group>), so a single <group> reads as a one-item list (_get_new_groups takes both).
      expect(list).toContainEqual(expect.objectContaining({ service_code: 'jalan-lokal', service_name: 'jalan lokal', metadata: 'true', type: 'realtime', group: ['regency'] }));
      const json = z.array(Open311Service).parse(JSON.parse((await fms.get('services.json'))!));
      expect(json.map((s) => s.service_code)).toEqual(list.map((s) => s.service_code));
    });

    // Open311::PopulateServiceList (_add_meta_to_contact): `{attributes}` must be an ARRAY, sorted by `order`; t/open311/populate-service-list.t's service_definition.
    it('should define each service\'s attributes as _add_meta_to_contact reads them, and in JSON', async () => {
      const meta = (await fms.getServiceMetaInfo('jalan-lokal'))!;
      expect(meta.service_code).toBe('jalan-lokal');
      const attributes = meta.attributes as { code: string; order: string; variable: string; required: string; datatype: string; values?: { key: string }[] }[];
      expect(Array.isArray(attributes)).toBe(true);
      expect(attributes.map((a) => [a.code, a.order, a.variable, a.required, a.datatype])).toEqual([
        ['anonim', '1', 'true', 'false', 'singlevaluelist'],
        ['rahasia', '2', 'true', 'false', 'singlevaluelist'],
        ['client_request_id', '3', 'true', 'false', 'string'],
      ]);
      expect(attributes[0].values!.map((v) => v.key)).toEqual(['true', 'false']);
      expect(Open311ServiceDefinition.parse(JSON.parse((await fms.get('services/jalan-lokal.json'))!)).attributes).toHaveLength(3);
    });
  });

  describe('create', () => {
    // Open311::send_service_request posts form-encoded to requests.xml; t/open311.t: "posting service request",
    // "extra values in service request", "0 extra values handled", "account_id handled correctly", and
    // address_string when the map was not used (_populate_service_request_params).
    it.each<[string, Params]>([
      ['with a location, the reporter and an attribute', report({ 'attribute[title]': 'Jalan berlubang', 'attribute[client_request_id]': 'fms-create-1' })],
      ['without a location: address_string', report({ lat: undefined, long: undefined, address_string: 'Jl. Braga No. 10, Kota Bandung', 'attribute[client_request_id]': 'fms-create-2' })],
      ['with account_id 0 and an empty attribute', report({ account_id: '0', 'attribute[title]': '', 'attribute[client_request_id]': 'fms-create-3' })],
      ['with several media_url (multi_photos), not fetched', report({ media_url: ['https://fixmystreet.example/photo/1.jpeg', 'https://fixmystreet.example/photo/2.jpeg'], 'attribute[client_request_id]': 'fms-create-4' })],
      ['Anonim by attribute', report({ 'attribute[anonim]': 'true', 'attribute[client_request_id]': 'fms-create-5' })],
    ])('should take an XML POST %s and answer the service_request_id', async (_what, params) => {
      const id = await fms.sendServiceRequest(params);
      expect(fms.lastRequest).toMatchObject({ method: 'POST', url: expect.stringMatching(/\/requests\.xml$/), body: expect.stringContaining(`jurisdiction_id=${JURISDICTION}`) });
      expect(id).toMatch(/^[A-Z2-9]{11}$/);
      await registered(id as string);
    }, 90_000);

    // The spec's JSON variant of the same POST (FixMyStreet always asks for XML).
    it('should take a JSON POST and answer [{service_request_id, service_notice}] with 201', async () => {
      const res = await fms.raw('POST', 'requests.json', report({ 'attribute[client_request_id]': 'fms-create-json' }));
      expect(res.status).toBe(201);
      expect(res.contentType).toMatch(/^application\/json/);
      const [created] = z.array(Open311CreatedRequest).length(1).parse(JSON.parse(res.body));
      await registered(created.service_request_id);
    }, 90_000);

    // FixMyStreet resends a report whose send failed (send_fail_count): the same client id is the same complaint.
    it('should answer a resend with the same service_request_id', async () => {
      expect(await fms.sendServiceRequest(report({ 'attribute[client_request_id]': 'fms-list-1' }))).toBe(made.viaOpen311);
    });

    // t/open311.t "post service request that responds with a token, then fetch SR id using token": tokens/{token}.xml.
    it('should exchange a token for the id, in XML and JSON', async () => {
      expect(await fms.getServiceRequestIdFromToken(made.viaOpen311)).toBe(made.viaOpen311);
      expect(z.array(Open311Token).parse(JSON.parse((await fms.get(`tokens/${made.viaOpen311}.json`))!))).toEqual([{ token: made.viaOpen311, service_request_id: made.viaOpen311 }]);
    });
  });

  describe('list and single request', () => {
    const mine = (requests: Record<string, unknown>[] | undefined) =>
      (requests ?? []).map((r) => r.service_request_id as string).filter((id) => Object.values(made).includes(id));
    const at = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString().replace(/\.\d+Z$/, 'Z');
    const yesterday = () => new Date(Date.now() - 30 * HOUR).toISOString().slice(0, 10);

    // Open311::get_service_requests and Open311::GetServiceRequests::format_args (report_ids, start_date/end_date in
    // W3CDTF); the spec's service_code and status filters, comma-delimited; newest first as FixMyStreet's server answers.
    // The Open311-filed ones (web complaints) appear only when named: `mine` would show them anywhere else.
    it.each<[string, () => Params & { report_ids?: string[] }, (keyof typeof made)[]]>([
      ['no filter: the last 90 days', () => ({}), ['closedRoad', 'school', 'road']],
      ['service_code', () => ({ service_code: 'jalan-lokal' }), ['closedRoad', 'road']],
      ['several service_code', () => ({ service_code: 'pendidikan-dasar,jalan-lokal' }), ['closedRoad', 'school', 'road']],
      ['status=open', () => ({ status: 'open' }), ['school', 'road']],
      ['status=closed', () => ({ status: 'closed' }), ['closedRoad']],
      ['status=open,closed', () => ({ status: 'open,closed' }), ['closedRoad', 'school', 'road']],
      ['start_date and end_date around now', () => ({ start_date: at(-HOUR), end_date: at(HOUR) }), ['closedRoad', 'school', 'road']],
      ['start_date after them', () => ({ start_date: at(HOUR) }), []],
      ['end_date before them', () => ({ end_date: at(-HOUR) }), []],
      ['a bare end_date (yesterday)', () => ({ end_date: yesterday() }), []],
      ['report_ids, overriding the other filters', () => ({ report_ids: [made.road, made.rahasia, made.closedRoad], status: 'open', service_code: 'pendidikan-dasar' }), ['closedRoad', 'road']],
      ['report_ids of the ones it filed', () => ({ report_ids: [made.viaOpen311, made.rahasia] }), ['viaOpen311']],
    ])('should list with %s', async (_what, args, expected) => {
      const requests = await fms.getServiceRequests(args());
      expect(fms.success).toBe(true);
      expect(mine(requests)).toEqual(expected.map((name) => made[name]));
      for (const r of requests ?? []) {
        expect(r).toMatchObject({ status: expect.stringMatching(/^(open|closed)$/), requested_datetime: expect.stringMatching(W3CDTF), updated_datetime: expect.stringMatching(W3CDTF) });
      }
    });

    it('should describe each request with the fields GetServiceRequests reads, in XML and JSON alike', async () => {
      const [closedXml] = (await fms.getServiceRequests({ report_ids: [made.closedRoad] }))!;
      expect(closedXml).toEqual({
        service_request_id: made.closedRoad,
        status: 'closed',
        extended_status: 'closed',
        status_notes: 'Selesai',
        service_code: 'jalan-lokal',
        service_name: 'jalan lokal',
        agency_responsible: 'Kota Bandung',
        service_notice: 'Selesai',
        requested_datetime: expect.stringMatching(/\+07:00$/),
        updated_datetime: expect.stringMatching(/\+07:00$/),
      });
      const json = z.array(Open311ServiceRequest).parse(JSON.parse((await fms.get('requests.json', { service_request_id: made.closedRoad }))!));
      expect(json).toEqual([closedXml]);
    });

    // Open311::GetUpdates (update_reports): the reports it sent, polled by report_ids; status through map_state,
    // status_notes taken as the update's text, updated_datetime parsed as W3CDTF (UpdatesBase::process_update).
    it('should let GetUpdates follow a report it sent as the body answers it', async () => {
      const admin = { kind: 'officer', officerId: 'adm-1', role: 'national-admin' };
      for (const action of [{ action: 'accept' }, { action: 'respond', response: 'Atap kelas sudah diperbaiki oleh Dinas Pendidikan.' }]) {
        const res = await fetch(`${system.baseUrl}/internal/v1/complaints/${made.school}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action, actor: admin }) });
        expect(res.status).toBe(200);
      }
      const requests = (await fms.getServiceRequests({ report_ids: [made.school, made.closedRoad] }))!;
      const updates = requests.map((r) => ({ id: r.service_request_id, state: mapState(r.status as string), description: r.status_notes, at: r.updated_datetime }));
      expect(updates).toEqual([
        { id: made.closedRoad, state: 'fixed - council', description: 'Selesai', at: expect.stringMatching(W3CDTF) },
        { id: made.school, state: 'confirmed', description: 'Atap kelas sudah diperbaiki oleh Dinas Pendidikan.', at: expect.stringMatching(W3CDTF) },
      ]);
      expect(requests.find((r) => r.service_request_id === made.school)).toMatchObject({ extended_status: 'responded' });
    });

    // Open311::get_service_requests' parse of a single id, and the spec's GET requests/{id}.
    it('should answer a single request in XML and JSON', async () => {
      const xml = xmlSimple((await fms.get(`requests/${made.school}.xml`))!)!.request as Record<string, string>[];
      expect(xml).toEqual([expect.objectContaining({ service_request_id: made.school, status: 'open', service_code: 'pendidikan-dasar' })]);
      const json = z.array(Open311ServiceRequest).length(1).parse(JSON.parse((await fms.get(`requests/${made.school}.json`))!));
      expect(json[0]).toEqual(xml[0]);
    });
  });

  describe('OpenAPI', () => {
    it('should describe every Open311 route in /api/v1/openapi.json, which redocly lints without errors', async () => {
      const doc = (await (await fetch(`${system.baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      expect(Object.entries(doc.paths).filter(([p]) => p.startsWith('/open311/')).map(([p, ops]) => `${Object.keys(ops).join(',')} ${p}`)).toEqual([
        'get /open311/v2/discovery.json',
        'get /open311/v2/services.json',
        'get /open311/v2/services/{service_code}.json',
        'post,get /open311/v2/requests.json',
        'get /open311/v2/requests/{service_request_id}.json',
        'get /open311/v2/tokens/{token}.json',
      ]);
      const file = join(mkdtempSync(join(tmpdir(), 'open311-openapi-')), 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
      const { stdout } = await promisify(execFile)('npx', ['redocly', 'lint', file, '--format', 'json'], { env, maxBuffer: 10_000_000 }).catch((e) => e as { stdout: string });
      const report = JSON.parse(stdout) as { problems: { severity: string; message: string; location: unknown }[] };
      expect(report.problems.filter((p) => p.severity === 'error').map((p) => `${p.message} ${JSON.stringify(p.location)}`)).toEqual([]);
    }, 120_000);
  });

  describe('errors', () => {
    // Open311::_process_error reads <errors><error><code/><description/></error></errors> (t/open311.t: "400: Service Code cannot be null");
    // the same list in JSON. FixMyStreet's jurisdiction is the one it is configured with (t/open311.t: jurisdiction example.org).
    it.each<[string, 'GET' | 'POST', string, Params, number, RegExp, { jurisdiction?: string; api_key?: string }?]>([
      ['a POST without service_code', 'POST', 'requests', report({ service_code: undefined }), 400, /service_code/],
      ['a POST with a revoked api_key', 'POST', 'requests', report(), 403, /api_key/, { api_key: 'dicabut' }],
      ['a POST whose description is too short', 'POST', 'requests', report({ description: 'rusak' }), 400, /minimal 10 karakter/],
      ['a POST with attribute[anonim] neither true nor false', 'POST', 'requests', report({ 'attribute[anonim]': 'mungkin' }), 400, /attribute\[anonim\]/],
      ['an unknown request', 'GET', `requests/${UNKNOWN_ID}`, {}, 404, /tidak ditemukan/],
      ['a mistyped request id', 'GET', 'requests/ABCDEFGHJKM', {}, 404, /tidak ditemukan/],
      ['an unknown token', 'GET', `tokens/${UNKNOWN_ID}`, {}, 404, /tidak ditemukan/],
      ['an unknown service definition', 'GET', 'services/tidak-ada', {}, 404, /service_code/],
      ['a list with an unknown service_code', 'GET', 'requests', { service_code: 'tidak-ada' }, 400, /service_code/],
      ['a list with an unknown status', 'GET', 'requests', { status: 'pending' }, 400, /status/],
      ['a list over more than 90 days', 'GET', 'requests', { start_date: '2026-01-01T00:00:00Z', end_date: '2026-06-01T00:00:00Z' }, 400, /90/],
      ['a list whose end_date is before its start_date', 'GET', 'requests', { start_date: '2026-06-01T00:00:00Z', end_date: '2026-05-01T00:00:00Z' }, 400, /end_date/],
      ['a list with a date that is not W3C', 'GET', 'requests', { start_date: '01/12/2026' }, 400, /start_date/],
      ['another jurisdiction', 'GET', 'services', {}, 404, /jurisdiction_id/, { jurisdiction: 'example.org' }],
      ['another jurisdiction on a POST', 'POST', 'requests', report(), 404, /jurisdiction_id/, { jurisdiction: 'example.org' }],
    ])('should refuse %s in the spec\'s error format, XML and JSON', async (_what, method, path, params, status, reason, options = {}) => {
      const client = new FmsOpen311Client({ endpoint: `${system.baseUrl}/open311/v2`, jurisdiction: JURISDICTION, api_key: KEY, ...options });
      const xml = await client.raw(method, `${path}.xml`, params);
      expect([xml.status, xml.contentType]).toEqual([status, 'text/xml; charset=utf-8']);
      expect(processError(xml.body)).toMatch(new RegExp(`^${status}: .*${reason.source}.*\\n$`));
      const json = await client.raw(method, `${path}.json`, params);
      expect(json.status).toBe(status);
      expect(z.array(Open311Error).parse(JSON.parse(json.body))).toEqual([{ code: status, description: expect.stringMatching(reason) }]);
    });

    // Open311::_request on a failed call: success 0 and "request failed: ...\nerror: <code>: <description>".
    it('should leave FixMyStreet\'s client a readable error after a failed send', async () => {
      expect(await fms.sendServiceRequest(report({ service_code: 'tidak-ada' }))).toBe(0);
      expect(fms.success).toBe(false);
      expect(fms.error).toMatch(/^request failed: 400\nerror: 400: service_code tidak dikenal: tidak-ada/);
    });
  });
});
