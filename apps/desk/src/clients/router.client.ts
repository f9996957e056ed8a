import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Actor, AgencyComplaintView, ApplyActionRequest, ReporterIdentity } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';

export type ActionOutcome =
  | { kind: 'applied'; view: AgencyComplaintView }
  | { kind: 'not-found' }
  | { kind: 'conflict'; reason: string }
  | { kind: 'invalid'; reason: string };

/**
 * The router's internal API (docs/agency-desk.md, "Interfaces"): the record's owner applies
 * actions and serves details. The desk has checked role and scope before it calls; the
 * router checks the lifecycle. ROUTER_URL points at the router (embedded: this process).
 */
@Injectable()
export class RouterClient {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get base(): string {
    return (this.config.env.ROUTER_URL ?? `http://127.0.0.1:${this.config.port('ROUTER_PORT', 3002)}`).replace(/\/$/, '');
  }

  async view(trackingId: string): Promise<AgencyComplaintView | null> {
    const res = await this.call('GET', `/internal/v1/agency/complaints/${encodeURIComponent(trackingId)}`);
    if (res.status === 404) return null;
    if (!res.ok) throw new ServiceUnavailableException(`Detail laporan belum dapat dibaca, coba lagi (router answered ${res.status})`);
    return AgencyComplaintView.parse(await res.json());
  }

  async apply(trackingId: string, request: ApplyActionRequest): Promise<ActionOutcome> {
    const res = await this.call('POST', `/internal/v1/complaints/${encodeURIComponent(trackingId)}/actions`, request);
    if (res.ok) return { kind: 'applied', view: AgencyComplaintView.parse(await res.json()) };
    const reason = await reasonOf(res);
    if (res.status === 404) return { kind: 'not-found' };
    if (res.status === 409) return { kind: 'conflict', reason };
    if (res.status === 400 || res.status === 422) return { kind: 'invalid', reason };
    throw new ServiceUnavailableException(`Tindakan belum dapat disimpan, coba lagi (router answered ${res.status}: ${reason})`);
  }

  /** The reporter's identity for the national admin's reasoned reveal (the router logs it too). */
  async reporter(trackingId: string, actor: Actor, reason: string): Promise<ReporterIdentity | null> {
    const officer = actor.kind === 'officer' ? actor.officerId : actor.kind;
    const query = new URLSearchParams({ officer, reason }).toString();
    const res = await this.call('GET', `/internal/v1/complaints/${encodeURIComponent(trackingId)}/reporter?${query}`);
    if (res.status === 404) return null;
    if (!res.ok) throw new ServiceUnavailableException(`Identitas pelapor belum dapat dibaca (router answered ${res.status})`);
    const body = (await res.json()) as { reporter?: unknown } | null;
    const raw = body && typeof body === 'object' && 'reporter' in body ? body.reporter : body;
    return raw ? ReporterIdentity.parse(raw) : null;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers: body ? { 'Content-Type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new ServiceUnavailableException(`Layanan laporan tidak terjangkau, coba lagi (router unreachable: ${(error as Error).message})`);
    }
  }
}

async function reasonOf(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { message?: string | string[] };
    return Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? text);
  } catch {
    return text.slice(0, 500);
  }
}
