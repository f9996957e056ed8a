import { AddressInfo } from 'node:net';
import { Body, Controller, Get, Header, HttpCode, INestApplication, Module, Post, Req, Res, UseGuards } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { MAX_COMPLAINT_BODY_BYTES } from '@lapor/contracts';
import { z } from 'zod';
import { createService, HttpPlatform } from './bootstrap';
import { loadConfig } from './config';
import { headerOf, HttpRequest, HttpResponse, RequireJson, ZodBody } from './http';
import { RuntimeModule } from './runtime.module';

const Shape = z.object({ text: z.string().min(3) });

/** The kinds of route the intake apps have: a JSON API, a signed form webhook, a raw-body webhook, a page. */
@Controller()
class ProbeController {
  @Post('json')
  @HttpCode(202)
  @UseGuards(RequireJson)
  json(@Body(new ZodBody(Shape)) body: z.infer<typeof Shape>) {
    return { got: body.text };
  }

  @Post('form')
  @HttpCode(200)
  form(@Req() req: HttpRequest, @Body() body: Record<string, string> | undefined) {
    return { body: body ? { ...body } : null, url: req.originalUrl, protocol: req.protocol, signature: headerOf(req, 'x-signature') ?? null };
  }

  @Post('raw')
  @HttpCode(200)
  raw(@Req() req: HttpRequest) {
    return { raw: req.rawBody?.toString('utf8') ?? null };
  }

  @Get('page')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page() {
    return '<p>halo</p>';
  }

  @Post('redirect')
  redirect(@Res() res: HttpResponse) {
    res.status(303).header('Location', '/page').send();
  }
}

async function start(http: HttpPlatform): Promise<{ app: INestApplication; url: string }> {
  const bus = new InProcessBus();
  @Module({ imports: [RuntimeModule.forRoot(loadConfig({ LOG_LEVEL: 'error' } as NodeJS.ProcessEnv), { clientId: 'probe', bus })], controllers: [ProbeController] })
  class ProbeModule {}
  const app = await createService(ProbeModule, { consumesEvents: false, http });
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

const json = { 'content-type': 'application/json' };
const CASES: { name: string; path: string; init: RequestInit }[] = [
  { name: 'valid JSON', path: '/json', init: { method: 'POST', headers: json, body: '{"text":"jalan rusak"}' } },
  { name: 'JSON with a charset', path: '/json', init: { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"text":"jalan rusak"}' } },
  { name: 'malformed JSON', path: '/json', init: { method: 'POST', headers: json, body: '{"text":' } },
  { name: 'an empty JSON body', path: '/json', init: { method: 'POST', headers: json, body: '' } },
  { name: 'JSON failing the schema', path: '/json', init: { method: 'POST', headers: json, body: '{"text":"x"}' } },
  { name: 'text/plain to the JSON API', path: '/json', init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'jalan rusak' } },
  { name: 'XML to the JSON API', path: '/json', init: { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' } },
  { name: 'a body over the limit', path: '/json', init: { method: 'POST', headers: json, body: JSON.stringify({ text: 'x'.repeat(MAX_COMPLAINT_BODY_BYTES) }) } },
  { name: 'a form', path: '/form?x=1', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': 'abc' }, body: 'Body=CEK+123&From=%2B62812&Body2=a%26b' } },
  { name: 'a form with a repeated field', path: '/form', init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&a=2' } },
  { name: 'XML to the form webhook (left unparsed)', path: '/form', init: { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' } },
  { name: 'the raw bytes of a JSON body', path: '/raw', init: { method: 'POST', headers: json, body: '{"b": 1,  "a":"é"}' } },
  { name: 'a page', path: '/page', init: { method: 'GET' } },
  { name: 'a redirect', path: '/redirect', init: { method: 'POST', redirect: 'manual' } },
  { name: 'an unknown route', path: '/nope', init: { method: 'GET' } },
];

/**
 * The intake apps run on Fastify and `npm start` runs the same controllers on Express: both
 * must answer every kind of request alike (status, content type, body), including the errors.
 */
describe(createService.name, () => {
  const servers: Record<HttpPlatform, { app: INestApplication; url: string } | undefined> = { express: undefined, fastify: undefined };

  beforeAll(async () => {
    servers.express = await start('express');
    servers.fastify = await start('fastify');
  });
  afterAll(async () => {
    await servers.express?.app.close();
    await servers.fastify?.app.close();
  });

  const answer = async (http: HttpPlatform, path: string, init: RequestInit) => {
    const res = await fetch(servers[http]!.url + path, init);
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), location: res.headers.get('location'), body: text ? (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) : '' };
  };

  it.each(CASES)('should answer $name on Fastify exactly as on Express', async ({ path, init }) => {
    const express = await answer('express', path, init);
    const fastify = await answer('fastify', path, init);
    expect(fastify).toEqual(express);
    expect(express.status).toBeLessThan(500);
  });

  it('should give both the error shapes the README documents', async () => {
    for (const http of ['express', 'fastify'] as const) {
      expect(await answer(http, '/json', CASES[2].init)).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'JSON tidak valid (malformed JSON body)' } });
      expect(await answer(http, '/json', CASES[5].init)).toMatchObject({ status: 415, body: { statusCode: 415, message: expect.stringMatching(/application\/json/) } });
      expect(await answer(http, '/json', CASES[7].init)).toMatchObject({ status: 413, body: { statusCode: 413, message: `Isi permintaan terlalu besar (body larger than ${MAX_COMPLAINT_BODY_BYTES} bytes)` } });
      expect(await answer(http, '/raw', CASES[11].init)).toMatchObject({ status: 200, body: { raw: '{"b": 1,  "a":"é"}' } });
    }
  });
});
