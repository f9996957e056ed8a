import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ApiError, ApplyActionRequest, ComplaintAction, ComplaintView, PublicComplaintList, PublicComplaintQueryParams } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';

/** The reporter's actions the status page offers directly (their answer to a question goes over the bus, threaded). */
export type ReporterPageAction = Extract<ComplaintAction, { action: 'object' | 'close' | 'forward-ombudsman' }>;

export type ActionOutcome = { ok: true } | { ok: false; status: 404 | 409 | 400; message: string };

/**
 * Talks to the router, which owns the record (intake services never touch the database):
 * reads a complaint for the citizen, and applies the reporter's objection or confirmation
 * from the status page through the router's internal action API. ROUTER_URL points at the
 * router service; in embedded mode at this process.
 */
@Injectable()
export class ComplaintReader {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get base(): string {
    return (this.config.env.ROUTER_URL ?? `http://127.0.0.1:${this.config.port('ROUTER_PORT', 3002)}`).replace(/\/$/, '');
  }

  async get(trackingId: string): Promise<ComplaintView | null> {
    const res = await this.call(`/internal/v1/complaints/${encodeURIComponent(trackingId)}`);
    if (res.status === 404) return null;
    if (!res.ok) throw new ServiceUnavailableException(`Status laporan belum dapat dibaca, coba lagi (router answered ${res.status})`);
    return ComplaintView.parse(await res.json());
  }

  /** The router's public query (Open311's lists and reads): never Rahasia, never the reporter. */
  async listPublic(query: PublicComplaintQueryParams): Promise<PublicComplaintList> {
    const params = new URLSearchParams(Object.entries(query).flatMap(([name, value]): [string, string][] => (value === undefined ? [] : [[name, String(value)]])));
    const res = await this.call(`/internal/v1/public/complaints?${params}`);
    if (!res.ok) throw new ServiceUnavailableException(`Daftar laporan belum dapat dibaca, coba lagi (router answered ${res.status})`);
    return PublicComplaintList.parse(await res.json());
  }

  /**
   * Applies the reporter's action as the reporter (the tracking id of a web/mobile complaint
   * is its reporter's key). `idempotencyKey` makes a double submit apply once.
   */
  async applyReporterAction(trackingId: string, action: ReporterPageAction, idempotencyKey: string): Promise<ActionOutcome> {
    const request: ApplyActionRequest = { action, actor: { kind: 'reporter' }, idempotencyKey: `web:${idempotencyKey}` };
    const res = await this.call(`/internal/v1/complaints/${encodeURIComponent(trackingId)}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
    if (res.ok) return { ok: true };
    if (res.status === 404 || res.status === 409 || res.status === 400) {
      const body = ApiError.safeParse(await res.json().catch(() => ({})));
      return { ok: false, status: res.status, message: body.success ? body.data.message : `router answered ${res.status}` };
    }
    throw new ServiceUnavailableException(`Permintaan belum dapat diproses, coba lagi (router answered ${res.status})`);
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
    } catch (error) {
      throw new ServiceUnavailableException(`Laporan belum dapat diproses, coba lagi (router unreachable: ${(error as Error).message})`);
    }
  }
}
