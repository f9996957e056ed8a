import { Body, Controller, createParamDecorator, ExecutionContext, Get, Headers, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import type { HttpResponse } from '@lapor/runtime';
import { open311Body, Open311Format } from './open311.format';
import type { QueryValue } from './open311-query';
import { Open311Error, Open311Service } from './open311.service';

/** The answer's format, from the path's suffix: `.xml` or (otherwise) `.json`. */
const Format = createParamDecorator((_: unknown, ctx: ExecutionContext): Open311Format => {
  const url: string = ctx.switchToHttp().getRequest<{ url: string }>().url;
  return /\.xml$/.test(url.split('?')[0]) ? 'xml' : 'json';
});

type Query311 = Record<string, QueryValue>;

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) for civic apps and city
 * platforms that already speak it (FixMyStreet's Open311 client among them). Formats by
 * suffix: `.json` or `.xml`. Errors as the spec says: `[{"code": <status>, "description": …}]`
 * or `<errors><error><code/><description/></error></errors>`.
 */
@Controller('open311/v2')
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Get(['discovery.json', 'discovery.xml'])
  discovery(@Format() format: Open311Format, @Query() q: Query311, @Res() res: HttpResponse) {
    return answer(res, format, 'discovery', async () => this.open311.discovery(q.jurisdiction_id));
  }

  @Get(['services.json', 'services.xml'])
  services(@Format() format: Open311Format, @Query() q: Query311, @Res() res: HttpResponse) {
    return answer(res, format, 'services', async () => this.open311.listServices(q.jurisdiction_id));
  }

  @Get('services/:code')
  service(@Param('code') raw: string, @Format() format: Open311Format, @Query() q: Query311, @Res() res: HttpResponse) {
    return answer(res, format, 'service_definition', async () => this.open311.serviceDefinition(withoutSuffix(raw), q.jurisdiction_id));
  }

  @Post(['requests.json', 'requests.xml'])
  create(@Format() format: Open311Format, @Body() form: unknown, @Headers('idempotency-key') key: string | undefined, @Res() res: HttpResponse) {
    return answer(res, format, 'service_requests', async () => [await this.open311.create(form, key)], 201);
  }

  @Get(['requests.json', 'requests.xml'])
  list(@Format() format: Open311Format, @Query() q: Query311, @Res() res: HttpResponse) {
    return answer(res, format, 'service_requests', () => this.open311.listRequests(q));
  }

  @Get('tokens/:token')
  token(@Param('token') raw: string, @Format() format: Open311Format, @Query() q: Query311, @Res() res: HttpResponse) {
    return answer(res, format, 'service_requests', async () => [await this.open311.token(withoutSuffix(raw), q.jurisdiction_id)]);
  }

  @Get('requests/:id')
  request(@Param('id') raw: string, @Format() format: Open311Format, @Query() q: Query311, @Res() res: HttpResponse) {
    return answer(res, format, 'service_requests', async () => [await this.open311.request(withoutSuffix(raw), q.jurisdiction_id)]);
  }
}

function withoutSuffix(raw: string): string {
  return raw.replace(/\.(json|xml)$/, '');
}

/** Runs `work` and answers with its value, or with the spec's error list (every failure, so a client's parser always finds `errors`). */
async function answer(res: HttpResponse, format: Open311Format, root: string, work: () => Promise<unknown>, okStatus = 200): Promise<void> {
  try {
    send(res, okStatus, open311Body(format, root, await work()));
  } catch (error) {
    const failure = open311Failure(error);
    if (!failure) throw error;
    if (failure.code === 503) res.header('Retry-After', '5');
    send(res, failure.code, open311Body(format, 'errors', [failure]));
  }
}

function open311Failure(error: unknown): { code: number; description: string } | null {
  if (error instanceof Open311Error) return { code: error.status, description: error.description };
  if (error instanceof BusUnavailableError) return { code: 503, description: 'Laporan belum dapat disimpan, coba lagi (nothing was stored)' };
  if (error instanceof HttpException) return { code: error.getStatus(), description: error.message };
  return null;
}

function send(res: HttpResponse, status: number, out: { contentType: string; body: string }): void {
  res.status(status).header('Content-Type', out.contentType).send(out.body);
}
