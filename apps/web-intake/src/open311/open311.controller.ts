import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import type { HttpResponse } from '@lapor/runtime';
import { open311Body, Open311Format } from './open311.format';
import { Open311Error, Open311Service } from './open311.service';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) for civic apps and city
 * platforms that already speak it (FixMyStreet's Open311 client among them). Formats by
 * suffix: `.json` or `.xml`. Errors as the spec says: `[{"code": <status>, "description": …}]`.
 */
@Controller('open311/v2')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Get('discovery.json')
  discovery(@Res() res: HttpResponse): void {
    const base = '/open311/v2/';
    send(res, 200, { contentType: 'application/json; charset=utf-8', body: JSON.stringify({
      changeset: '2026-12-03T00:00:00Z',
      contact: 'SP4N-LAPOR! — https://www.lapor.go.id',
      key_service: 'API key diterbitkan oleh admin nasional LAPOR! (api_key issued by the national administrator)',
      endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: '2026-12-03T00:00:00Z', type: 'production', formats: ['application/json', 'text/xml'] }],
    }) });
  }

  @Get('services.json')
  servicesJson(@Res() res: HttpResponse): void {
    send(res, 200, open311Body('json', 'services', this.open311.listServices() as unknown as Record<string, unknown>[]));
  }

  @Get('services.xml')
  servicesXml(@Res() res: HttpResponse): void {
    send(res, 200, open311Body('xml', 'services', this.open311.listServices() as unknown as Record<string, unknown>[]));
  }

  @Post('requests.json')
  createJson(@Body() form: Record<string, string | undefined>, @Headers('idempotency-key') key: string | undefined, @Res() res: HttpResponse) {
    return this.create('json', form, key, res);
  }

  @Post('requests.xml')
  createXml(@Body() form: Record<string, string | undefined>, @Headers('idempotency-key') key: string | undefined, @Res() res: HttpResponse) {
    return this.create('xml', form, key, res);
  }

  /** The spec's token flow: our id is known at once, so a token is the service_request_id itself. */
  @Get('tokens/:token')
  async token(@Param('token') raw: string, @Res() res: HttpResponse) {
    const { id, format } = splitFormat(raw);
    await answer(res, format, 'service_requests', async () => {
      const request = await this.open311.request(id);
      return [{ token: id, service_request_id: request.service_request_id }];
    });
  }

  @Get('requests/:id')
  async request(@Param('id') raw: string, @Res() res: HttpResponse) {
    const { id, format } = splitFormat(raw);
    await answer(res, format, 'service_requests', async () => [await this.open311.request(id)]);
  }

  private async create(format: Open311Format, form: Record<string, string | undefined> | undefined, key: string | undefined, res: HttpResponse) {
    await answer(res, format, 'service_requests', async () => [await this.open311.create(form ?? {}, key)], 201);
  }
}

function splitFormat(raw: string): { id: string; format: Open311Format } {
  const m = /^(.*)\.(json|xml)$/.exec(raw);
  return m ? { id: m[1], format: m[2] as Open311Format } : { id: raw, format: 'json' };
}

async function answer(res: HttpResponse, format: Open311Format, root: string, work: () => Promise<Record<string, unknown>[]>, okStatus = 200): Promise<void> {
  try {
    send(res, okStatus, open311Body(format, root, await work()));
  } catch (error) {
    if (error instanceof Open311Error) return send(res, error.status, open311Body(format, 'errors', [{ code: error.status, description: error.description }]));
    if (error instanceof BusUnavailableError) {
      res.header('Retry-After', '5');
      return send(res, 503, open311Body(format, 'errors', [{ code: 503, description: 'Laporan belum dapat disimpan, coba lagi (nothing was stored)' }]));
    }
    throw error;
  }
}

function send(res: HttpResponse, status: number, out: { contentType: string; body: string }): void {
  res.status(status).header('Content-Type', out.contentType).send(out.body);
}
