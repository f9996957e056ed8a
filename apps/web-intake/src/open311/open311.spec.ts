import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningSystem, startEmbedded } from '../../../../test/support/system';
import { waitFor } from '../../../../test/support/wait-for';

const KEY = 'kunci-uji-fixmystreet-0123456789';

/**
 * Open311 GeoReport v2 as FixMyStreet's Open311 client (perllib/Open311.pm) uses it: a
 * form-encoded POST to requests.xml with api_key, service_code, lat/long, description and the
 * reporter's names, the answer read as service_requests/request/service_request_id; then
 * GET requests/{id}.xml for status updates. Fixtures are written here, after its field names.
 */
describe('Open311 GeoReport v2', () => {
  let system: RunningSystem;
  const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const FMS_REQUEST = {
    api_key: KEY,
    service_code: 'jalan-lokal',
    lat: '-6.9175',
    long: '107.6191',
    address_string: 'Jl. Braga, Kota Bandung',
    description: 'Jalan berlubang besar di Jl. Braga Kota Bandung, berbahaya bagi pengendara motor',
    email: 'warga@example.com',
    first_name: 'Siti',
    last_name: 'Aminah',
    phone: '+6281234567890',
    'attribute[client_request_id]': 'fms-report-1001',
  };

  beforeAll(async () => {
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-open311-')), OPEN311_API_KEYS: `fixmystreet:${KEY}` });
  }, 120_000);
  afterAll(() => system?.stop());

  it('should answer discovery and list the services in JSON and XML', async () => {
    const discovery = (await (await fetch(`${system.baseUrl}/open311/v2/discovery.json`)).json()) as { endpoints: { specification: string; formats: string[] }[] };
    expect(discovery.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json', 'text/xml'] });
    const services = (await (await fetch(`${system.baseUrl}/open311/v2/services.json`)).json()) as { service_code: string; metadata: boolean; type: string }[];
    expect(services).toContainEqual(expect.objectContaining({ service_code: 'jalan-lokal', metadata: false, type: 'realtime' }));
    const xml = await fetch(`${system.baseUrl}/open311/v2/services.xml`);
    expect(xml.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await xml.text()).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><services><service><service_code>/);
  });

  it('should create a request from FixMyStreet\'s XML POST, dedupe its retry, and read it back by token and id without names', async () => {
    const res = await fetch(`${system.baseUrl}/open311/v2/requests.xml`, form(FMS_REQUEST));
    expect(res.status).toBe(201);
    const xml = await res.text();
    const id = /<service_requests><request><service_request_id>([A-Z0-9]+)<\/service_request_id>/.exec(xml)?.[1];
    expect(id).toBeDefined();
    // FixMyStreet retries a send that timed out: the same client request id is the same complaint.
    const again = await (await fetch(`${system.baseUrl}/open311/v2/requests.json`, form(FMS_REQUEST))).json();
    expect(again).toEqual([expect.objectContaining({ service_request_id: id })]);

    const read = await waitFor(
      async () => {
        const r = await fetch(`${system.baseUrl}/open311/v2/requests/${id}.json`);
        return r.status === 200 ? ((await r.json()) as Record<string, unknown>[]) : null;
      },
      { timeoutMs: 60_000, what: 'the request to be registered' },
    );
    expect(read[0]).toMatchObject({ service_request_id: id, status: 'open', requested_datetime: expect.stringMatching(/[+-]\d\d:\d\d$/) });
    expect(JSON.stringify(read)).not.toMatch(/Siti|Aminah|warga@example.com|6281234567890/);
    const token = (await (await fetch(`${system.baseUrl}/open311/v2/tokens/${id}.json`)).json()) as Record<string, unknown>[];
    expect(token).toEqual([{ token: id, service_request_id: id }]);
    const single = await (await fetch(`${system.baseUrl}/open311/v2/requests/${id}.xml`)).text();
    expect(single).toContain(`<request><service_request_id>${id}</service_request_id><status>open</status>`);
  }, 90_000);

  it.each([
    ['no api_key', { ...FMS_REQUEST, api_key: '' }, 403, /api_key/],
    ['an unknown service_code', { ...FMS_REQUEST, service_code: 'tidak-ada' }, 400, /service_code/],
    ['a description too short', { ...FMS_REQUEST, description: 'rusak', address_string: '' }, 400, /minimal 10 karakter/],
  ])('should refuse a POST with %s in the spec\'s error format', async (_what, fields, status, reason) => {
    const res = await fetch(`${system.baseUrl}/open311/v2/requests.json`, form(fields as Record<string, string>));
    expect(res.status).toBe(status);
    const body = (await res.json()) as { code: number; description: string }[];
    expect(body).toEqual([{ code: status, description: expect.stringMatching(reason) }]);
  });

  it('should never show a Rahasia complaint, by id or by token', async () => {
    const res = await fetch(`${system.baseUrl}/api/v1/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Pungli di kantor kelurahan Braga Kota Bandung saat mengurus surat', confidential: true }) });
    const { trackingId } = (await res.json()) as { trackingId: string };
    // The reporter's own status view has it: it is registered, and still Open311 does not show it.
    await waitFor(async () => (await fetch(`${system.baseUrl}/api/v1/complaints/${trackingId}`)).status === 200 || null, { timeoutMs: 60_000, what: 'registration' });
    for (const path of [`requests/${trackingId}.json`, `tokens/${trackingId}.json`, `requests/${trackingId}.xml`]) {
      expect((await fetch(`${system.baseUrl}/open311/v2/${path}`)).status).toBe(404);
    }
  }, 90_000);
});
