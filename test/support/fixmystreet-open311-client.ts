import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A stand-in for FixMyStreet's Open311 client (mysociety/fixmystreet, perllib/Open311.pm),
 * written here after its public source: the requests it sends and the way it reads the
 * answers, so our server is tested against what a real client does, not what we think.
 *
 * What it does, as in Open311.pm:
 * - `_request`: `jurisdiction_id` is added to every call when configured, `api_key` only to
 *   POSTs; GET parameters go in the query string, POST ones form-encoded
 *   (application/x-www-form-urlencoded; a list is sent as repeated fields).
 * - `_get_xml_object`: XML::Simple with ForceArray and GroupTags on services/service,
 *   attributes/attribute, values/value, service_requests/request, errors/error,
 *   service_request_updates/request_update, groups/group, and the root element dropped.
 * - `send_service_request`: the id is `{request}[0]{service_request_id}` when it is a plain
 *   value; else a `token` is exchanged through `tokens/{token}.xml`.
 * - `get_service_requests`: `report_ids` become one comma-separated `service_request_id`.
 * - `_process_error`: an error answer reads as "code: description" lines.
 */
export interface FmsClientOptions {
  endpoint: string;
  jurisdiction?: string;
  api_key?: string;
}

export type Params = Record<string, string | string[] | undefined>;

/** The XML::Simple options of `_get_xml_object`: group element → item element. */
const GROUP_TAGS: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  errors: 'error',
  service_request_updates: 'request_update',
  groups: 'group',
};
const FORCE_ARRAY = new Set(Object.values(GROUP_TAGS));

export interface FmsResponse {
  status: number;
  contentType: string;
  body: string;
}

export class FmsOpen311Client {
  /** What the last failed call left in `$self->error` (its `_process_error` text). */
  error = '';
  success = false;
  /** The last request, as FixMyStreet's tests read it back (`test_req_used`). */
  lastRequest?: { method: string; url: string; body?: string };

  constructor(private readonly options: FmsClientOptions) {}

  async getServiceList(): Promise<Record<string, unknown> | undefined> {
    return this.xmlObject(await this.get('services.xml'));
  }

  async getServiceMetaInfo(code: string): Promise<Record<string, unknown> | undefined> {
    return this.xmlObject(await this.get(`services/${code}.xml`));
  }

  /** `send_service_request`: the service_request_id, or 0 (with `error` set). */
  async sendServiceRequest(params: Params): Promise<string | 0> {
    const xml = await this.post('requests.xml', params);
    const request = (this.xmlObject(xml)?.request as Record<string, unknown>[] | undefined)?.[0];
    if (typeof request?.service_request_id === 'string' && request.service_request_id) return request.service_request_id;
    if (typeof request?.token === 'string' && request.token) {
      const id = await this.getServiceRequestIdFromToken(request.token);
      if (id) return id;
      this.error += `Timed out while trying to fetch service_request_id for token ${request.token}`;
    }
    return 0;
  }

  async getServiceRequestIdFromToken(token: string): Promise<string | 0> {
    const request = (this.xmlObject(await this.get(`tokens/${token}.xml`))?.request as Record<string, unknown>[] | undefined)?.[0];
    return typeof request?.service_request_id === 'string' && request.service_request_id ? request.service_request_id : 0;
  }

  /** `get_service_requests`: `{request}` of the answer (undefined when none or on failure). */
  async getServiceRequests(args: Params & { report_ids?: string[] } = {}): Promise<Record<string, unknown>[] | undefined> {
    const { report_ids, ...rest } = args;
    const params: Params = { ...(report_ids ? { service_request_id: report_ids.join(',') } : {}), ...rest };
    return this.xmlObject(await this.get('requests.xml', params))?.request as Record<string, unknown>[] | undefined;
  }

  /** Any call, for the error cases: the raw answer (`_request` keeps only successful bodies). */
  async raw(method: 'GET' | 'POST', path: string, params: Params = {}): Promise<FmsResponse> {
    const { url, init } = this.build(method, path, params);
    const res = await fetch(url, init);
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
  }

  get(path: string, params: Params = {}): Promise<string | undefined> {
    return this.request('GET', path, params);
  }

  post(path: string, params: Params): Promise<string | undefined> {
    return this.request('POST', path, params);
  }

  /** `_request`: the body of a 2xx, else undefined with `error` = "request failed: <status>\nerror: <_process_error>". */
  private async request(method: 'GET' | 'POST', path: string, params: Params): Promise<string | undefined> {
    const res = await this.raw(method, path, params);
    this.success = res.status >= 200 && res.status < 300;
    if (this.success) return res.body;
    this.error = `request failed: ${res.status}\nerror: ${processError(res.body)}\n`;
    return undefined;
  }

  private build(method: 'GET' | 'POST', path: string, params: Params): { url: string; init: RequestInit } {
    const all: Params = { ...params };
    if (this.options.jurisdiction) all.jurisdiction_id = this.options.jurisdiction;
    if (method === 'POST' && this.options.api_key) all.api_key = this.options.api_key;
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(all)) for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) form.append(name, v);
    const base = `${this.options.endpoint.replace(/\/$/, '')}/${path}`;
    const url = method === 'GET' && [...form].length ? `${base}?${form}` : base;
    const init: RequestInit =
      method === 'GET' ? { method } : { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
    this.lastRequest = { method, url, body: method === 'POST' ? form.toString() : undefined };
    return { url, init };
  }

  private xmlObject(xml: string | undefined): Record<string, unknown> | undefined {
    return xml === undefined ? undefined : xmlSimple(xml);
  }
}

/**
 * XML::Simple as `_get_xml_object` configures it: the root dropped, item elements always
 * arrays, a group element replaced by its items' array, text kept as strings. Undefined for
 * what is not well-formed XML (its `eval` swallows the parse error).
 */
export function xmlSimple(xml: string): Record<string, unknown> | undefined {
  if (XMLValidator.validate(xml) !== true) return undefined;
  const parser = new XMLParser({ ignoreDeclaration: true, parseTagValue: false, trimValues: true, isArray: (name) => FORCE_ARRAY.has(name) });
  const doc = parser.parse(xml) as Record<string, unknown>;
  const root = Object.values(doc)[0];
  return typeof root === 'object' && root !== null ? (collapseGroups(root) as Record<string, unknown>) : undefined;
}

function collapseGroups(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(collapseGroups);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      const item = GROUP_TAGS[key];
      if (item && typeof value === 'object' && value !== null && !Array.isArray(value) && item in value) return [key, collapseGroups((value as Record<string, unknown>)[item])];
      return [key, collapseGroups(value)];
    }),
  );
}

/** `map_state` (extended_statuses off): the FixMyStreet state an Open311 status becomes. */
export function mapState(status: string): string {
  const state = status.toLowerCase().replace(/_/g, ' ');
  const map: Record<string, string> = { fixed: 'fixed - council', 'not councils responsibility': 'not responsible', 'no further action': 'unable to fix', open: 'confirmed', closed: 'fixed - council' };
  return map[state] ?? state;
}

/** `_process_error`: "code: description\n" per error, else "unknown error". */
export function processError(body: string): string {
  const errors = xmlSimple(body)?.error as { code?: string; description?: string }[] | undefined;
  const text = (errors ?? []).map((e) => `${e.code || '???'}: ${e.description || 'unknown error'}\n`).join('');
  return text || 'unknown error';
}
