import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ComplaintView } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';

/**
 * Reads a complaint from the router, which owns the record (intake services never touch
 * the database). ROUTER_URL points at the router service; in embedded mode at this process.
 */
@Injectable()
export class ComplaintReader {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get base(): string {
    return (this.config.env.ROUTER_URL ?? `http://127.0.0.1:${this.config.port('ROUTER_PORT', 3002)}`).replace(/\/$/, '');
  }

  async get(trackingId: string): Promise<ComplaintView | null> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/internal/v1/complaints/${encodeURIComponent(trackingId)}`, { signal: AbortSignal.timeout(5000) });
    } catch (error) {
      throw new ServiceUnavailableException(`Status laporan belum dapat dibaca, coba lagi (router unreachable: ${(error as Error).message})`);
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new ServiceUnavailableException(`Status laporan belum dapat dibaca, coba lagi (router answered ${res.status})`);
    return ComplaintView.parse(await res.json());
  }
}

