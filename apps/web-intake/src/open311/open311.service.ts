import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  checkTrackingId,
  CreateComplaintRequest,
  OPEN311_MAX_REQUESTS,
  Open311Attribute,
  Open311CreatedRequest,
  Open311CreateForm,
  Open311Discovery,
  Open311Service as Open311ServiceEntry,
  Open311ServiceDefinition,
  Open311ServiceRequest,
  Open311Token,
  PublicComplaint,
} from '@lapor/contracts';
import { issueMessage } from '@lapor/i18n';
import { complaintCategories } from '@lapor/routing';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { ComplaintReader } from '../clients/complaint-reader';
import { WebIntakeService } from '../services/web-intake.service';
import { Open311Error } from './open311-error';
import { publicQueryOf, QueryValue, single } from './open311-query';

export { Open311Error } from './open311-error';

const CHANGESET = '2026-12-03T00:00:00Z';
const YES_NO = [
  { key: 'true', name: 'Ya (yes)' },
  { key: 'false', name: 'Tidak (no)' },
];

/**
 * What every category accepts as `attribute[code]` (GET services/{code}): the reporter's two
 * LAPOR! choices and the client's own id for dedupe. FixMyStreet fetches these when a
 * service says `metadata: true` (Open311::PopulateServiceList) and sends them back as
 * `attribute[...]` form fields.
 */
const ATTRIBUTES: Open311Attribute[] = [
  {
    variable: true,
    code: 'anonim',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: 'true atau false (true or false)',
    order: 1,
    description: 'Anonim: identitas pelapor tidak ditunjukkan kepada instansi (the reporter is not named to the agency)',
    values: YES_NO,
  },
  {
    variable: true,
    code: 'rahasia',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: 'true atau false (true or false)',
    order: 2,
    description: 'Rahasia: laporan tidak pernah tampil di daftar atau halaman publik (never shown publicly)',
    values: YES_NO,
  },
  {
    variable: true,
    code: 'client_request_id',
    datatype: 'string',
    required: false,
    datatype_description: 'ID laporan di aplikasi Anda (your own report id)',
    order: 3,
    description: 'Kiriman ulang dengan ID yang sama menjadi satu laporan (a retry with the same id registers once)',
  },
];

/**
 * Open311 GeoReport v2 over the normal intake and the router's public query. A POSTed
 * request becomes the same inbound event as the web form's (same validation, same durability
 * before the answer, dedupe by api_key + the client's own id). Reads and lists go through
 * the router's public query, which never returns a Rahasia complaint (so it is 404, as if
 * unknown) and carries no text, position or reporter: no Open311 answer can show them.
 */
@Injectable()
export class Open311Service {
  private services?: Open311ServiceEntry[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: WebIntakeService,
    private readonly reader: ComplaintReader,
  ) {}

  discovery(jurisdictionId: QueryValue): Open311Discovery {
    this.jurisdiction(jurisdictionId);
    const base = `${(this.config.env.PUBLIC_BASE_URL ?? '').replace(/\/$/, '')}/open311/v2/`;
    return {
      changeset: CHANGESET,
      contact: 'SP4N-LAPOR! — https://www.lapor.go.id',
      key_service: 'API key diterbitkan oleh admin nasional LAPOR! (api_key issued by the national administrator)',
      max_requests: OPEN311_MAX_REQUESTS,
      endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: CHANGESET, type: 'production', formats: ['application/json', 'text/xml'] }],
    };
  }

  /** The complaint categories: the routing catalogue's rules (service_code = rule id), each with the attributes above. */
  listServices(jurisdictionId?: QueryValue): Open311ServiceEntry[] {
    this.jurisdiction(jurisdictionId);
    this.services ??= complaintCategories(this.config.env.ROUTING_RULES_FILE).map((r) => ({
      service_code: r.id,
      service_name: r.id.replace(/-/g, ' '),
      description: r.description ?? r.id,
      metadata: true,
      type: 'realtime',
      keywords: r.id.split('-').join(','),
      group: r.level,
    }));
    return this.services;
  }

  serviceDefinition(code: string, jurisdictionId: QueryValue): Open311ServiceDefinition {
    if (!this.listServices(jurisdictionId).some((s) => s.service_code === code)) throw new Open311Error(404, `service_code tidak ditemukan: ${code} (unknown service_code)`);
    return { service_code: code, attributes: ATTRIBUTES };
  }

  async create(body: unknown, idempotencyKey: string | undefined): Promise<Open311CreatedRequest> {
    const parsedForm = Open311CreateForm.safeParse(body ?? {});
    if (!parsedForm.success) throw new Open311Error(400, `kirim sebagai formulir (application/x-www-form-urlencoded): ${parsedForm.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const form = parsedForm.data;
    this.jurisdiction(form.jurisdiction_id);
    const field = (name: string) => single(form[name])?.trim() || undefined;
    const client = this.client(field('api_key'));
    const code = field('service_code');
    if (!code || !this.isServiceCode(code)) throw new Open311Error(400, `service_code tidak dikenal: ${code ?? '(kosong)'} (unknown service_code)`);
    const lat = field('lat') !== undefined ? Number(field('lat')) : undefined;
    const lon = field('long') !== undefined ? Number(field('long')) : undefined;
    const address = field('address_string');
    const text = [field('description'), address ? `Lokasi: ${address}` : ''].filter(Boolean).join('\n');
    const name = [field('first_name'), field('last_name')].filter(Boolean).join(' ');
    const reporter = Object.fromEntries(Object.entries({ name: name || undefined, email: field('email'), phone: field('phone') }).filter(([, v]) => v));
    const parsed = CreateComplaintRequest.safeParse({
      text,
      category: code,
      ...(lat !== undefined && lon !== undefined ? { location: { lat, lon } } : {}),
      ...(Object.keys(reporter).length ? { reporter } : {}),
      anonymous: yesNo('anonim', field('attribute[anonim]')),
      confidential: yesNo('rahasia', field('attribute[rahasia]')),
    });
    // Said from the validation catalogue (the schema's messages are its keys), in Bahasa Indonesia: Open311 has no language negotiation.
    if (!parsed.success) throw new Open311Error(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'description'}: ${issueMessage(i, 'id')}`).join('; '));
    // One client's retry is one complaint: its own request id (Idempotency-Key, or attribute[client_request_id]), scoped by its api_key.
    const clientId = idempotencyKey ?? field('attribute[client_request_id]');
    const key = clientId ? `open311:${client}:${createHash('sha256').update(clientId).digest('hex').slice(0, 32)}` : undefined;
    const { trackingId } = await this.intake.accept(parsed.data, { channel: 'web', idempotencyKey: key });
    return { service_request_id: trackingId, service_notice: 'Laporan diterima dan diteruskan ke instansi yang berwenang.' };
  }

  /** GET requests with the spec's filters (open311-query.ts). */
  async listRequests(params: Record<string, QueryValue>): Promise<Open311ServiceRequest[]> {
    this.jurisdiction(params.jurisdiction_id);
    const query = publicQueryOf(params, (code) => this.isServiceCode(code));
    if (!query) return [];
    return (await this.reader.listPublic(query)).complaints.map((c) => this.toOpen311Request(c));
  }

  /** A public read of one request: unknown, mistyped and Rahasia alike are 404. */
  async request(id: string, jurisdictionId: QueryValue): Promise<Open311ServiceRequest> {
    this.jurisdiction(jurisdictionId);
    const check = checkTrackingId(id);
    const found = check.ok ? (await this.reader.listPublic({ ids: check.trackingId })).complaints[0] : undefined;
    if (!found) throw new Open311Error(404, `service_request_id tidak ditemukan: ${id} (not found)`);
    return this.toOpen311Request(found);
  }

  /** The spec's token flow: our id is known at once, so a token is the service_request_id itself. */
  async token(token: string, jurisdictionId: QueryValue): Promise<Open311Token> {
    const request = await this.request(token, jurisdictionId);
    return { token, service_request_id: request.service_request_id };
  }

  /** The client application of an api_key (OPEN311_API_KEYS: `name:key,name:key`), or a 403. */
  private client(apiKey: string | undefined): string {
    const keys = (this.config.env.OPEN311_API_KEYS ?? '').split(',').map((e) => e.trim()).filter(Boolean).map((e) => e.split(':') as [string, string]);
    const match = apiKey ? keys.find(([, key]) => key === apiKey) : undefined;
    if (!match) throw new Open311Error(403, 'api_key tidak dikenal atau dicabut (invalid api_key)');
    return match[0];
  }

  /** One jurisdiction is served: a client may name it (FixMyStreet sends its configured one on every call) or leave it out. */
  private jurisdiction(value: QueryValue): void {
    const id = single(value)?.trim();
    if (id && id !== this.config.env.OPEN311_JURISDICTION_ID) throw new Open311Error(404, `jurisdiction_id tidak dikenal: ${id} (unknown jurisdiction_id)`);
  }

  private isServiceCode(code: string): boolean {
    return this.listServices().some((s) => s.service_code === code);
  }

  /** A public complaint as a service request: open/closed, the LAPOR! status as extended, the body's public answer. */
  private toOpen311Request(c: PublicComplaint): Open311ServiceRequest {
    const service = c.category ? this.listServices().find((s) => s.service_code === c.category) : undefined;
    return {
      service_request_id: c.trackingId,
      status: c.state,
      extended_status: c.status,
      status_notes: c.response ?? c.statusLabel,
      ...(service ? { service_code: service.service_code, service_name: service.service_name } : {}),
      ...(c.body ? { agency_responsible: c.body } : {}),
      service_notice: c.statusLabel,
      requested_datetime: w3cSeconds(c.registeredAt),
      updated_datetime: w3cSeconds(c.updatedAt),
    };
  }
}

/** `attribute[anonim]` / `attribute[rahasia]`: the definition's values, true or false; absent is false. */
function yesNo(code: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') throw new Open311Error(400, `attribute[${code}] harus true atau false (must be true or false)`);
  return v === 'true';
}

/** Whole seconds with the offset, as FixMyStreet's own server writes W3C-DTF times. */
function w3cSeconds(zoned: string): string {
  return zoned.replace(/\.\d+(?=[+-]\d\d:\d\d$|Z$)/, '');
}
