import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { checkTrackingId, ComplaintView, CreateComplaintRequest, isTerminal } from '@lapor/contracts';
import { RulesFileSchema } from '@lapor/routing';
import { defaultRulesFile } from '@lapor/routing/level1/data-paths';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { parse as parseYaml } from 'yaml';
import { ComplaintReader } from '../clients/complaint-reader';
import { WebIntakeService } from '../services/web-intake.service';

export interface Open311ServiceEntry {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

/** An Open311 error, answered as `[{code, description}]` with this HTTP status. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

/**
 * Open311 GeoReport v2 over the normal intake: a POSTed request becomes the same inbound
 * event as the web form's (same validation, same durability before the answer, dedupe by
 * api_key + the client's own id), and reads go through the router's citizen view. What a
 * public API may show: never a Rahasia complaint (404, as if unknown), never a name (the view
 * carries none), positions not at all.
 */
@Injectable()
export class Open311Service {
  private services?: Open311ServiceEntry[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: WebIntakeService,
    private readonly reader: ComplaintReader,
  ) {}

  /** The complaint categories: the routing catalogue's rules (service_code = rule id). */
  listServices(): Open311ServiceEntry[] {
    if (!this.services) {
      const file = this.config.env.ROUTING_RULES_FILE ?? defaultRulesFile();
      const rules = RulesFileSchema.parse(parseYaml(readFileSync(file, 'utf8'))).rules;
      this.services = rules.map((r) => ({
        service_code: r.id,
        service_name: r.id.replace(/-/g, ' '),
        description: r.description ?? r.id,
        metadata: false,
        type: 'realtime',
        keywords: r.id.split('-').join(','),
        group: r.level,
      }));
    }
    return this.services;
  }

  /** The client application of an api_key (OPEN311_API_KEYS: `name:key,name:key`), or a 403. */
  client(apiKey: string | undefined): string {
    const keys = (this.config.env.OPEN311_API_KEYS ?? '').split(',').map((e) => e.trim()).filter(Boolean).map((e) => e.split(':') as [string, string]);
    const match = apiKey ? keys.find(([, key]) => key === apiKey) : undefined;
    if (!match) throw new Open311Error(403, 'api_key tidak dikenal atau dicabut (invalid api_key)');
    return match[0];
  }

  async create(form: Record<string, string | undefined>, idempotencyKey: string | undefined): Promise<{ service_request_id: string; service_notice: string }> {
    const client = this.client(form.api_key);
    const code = form.service_code;
    if (!code || !this.listServices().some((s) => s.service_code === code)) throw new Open311Error(400, `service_code tidak dikenal: ${code ?? '(kosong)'} (unknown service_code)`);
    const lat = form.lat !== undefined ? Number(form.lat) : undefined;
    const lon = form.long !== undefined ? Number(form.long) : undefined;
    const text = [form.description?.trim(), form.address_string?.trim() ? `Lokasi: ${form.address_string.trim()}` : ''].filter(Boolean).join('\n');
    const name = [form.first_name, form.last_name].filter((x) => x?.trim()).join(' ').trim();
    const reporter = Object.fromEntries(Object.entries({ name: name || undefined, email: form.email?.trim() || undefined, phone: form.phone?.trim() || undefined }).filter(([, v]) => v));
    const parsed = CreateComplaintRequest.safeParse({
      text,
      category: code,
      ...(lat !== undefined && lon !== undefined ? { location: { lat, lon } } : {}),
      ...(Object.keys(reporter).length ? { reporter } : {}),
    });
    if (!parsed.success) throw new Open311Error(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'description'}: ${i.message}`).join('; '));
    // One client's retry is one complaint: its own request id (Idempotency-Key, or attribute[client_request_id]), scoped by its api_key.
    const clientId = idempotencyKey ?? form['attribute[client_request_id]'];
    const key = clientId ? `open311:${client}:${createHash('sha256').update(clientId).digest('hex').slice(0, 32)}` : undefined;
    const { trackingId } = await this.intake.accept(parsed.data, { channel: 'web', idempotencyKey: key });
    return { service_request_id: trackingId, service_notice: 'Laporan diterima dan diteruskan ke instansi yang berwenang.' };
  }

  /** A public read of one request: unknown and Rahasia alike are 404. */
  async request(id: string): Promise<Record<string, unknown>> {
    const check = checkTrackingId(id);
    const view = check.ok ? await this.reader.get(check.trackingId) : null;
    if (!view || view.confidential !== false) throw new Open311Error(404, `service_request_id tidak ditemukan: ${id}`);
    return toOpen311Request(view);
  }
}

/** A complaint as an Open311 service request: open/closed, the LAPOR! status as extended, the body's public answer. */
export function toOpen311Request(view: ComplaintView): Record<string, unknown> {
  const last = view.history.at(-1);
  const publicNote = [...view.history].reverse().find((h) => h.message)?.message;
  return {
    service_request_id: view.trackingId,
    status: isTerminal(view.status) ? 'closed' : 'open',
    extended_status: view.status,
    status_notes: publicNote ?? view.statusLabel,
    agency_responsible: view.assignment && view.assignment.kind !== 'triage' ? view.assignment.name : undefined,
    service_notice: view.statusLabel,
    requested_datetime: view.registeredAt,
    updated_datetime: last?.at ?? view.registeredAt,
  };
}
