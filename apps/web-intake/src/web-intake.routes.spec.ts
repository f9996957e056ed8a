import { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { loadConfig } from '@lapor/runtime';
import { createWebIntakeApp } from './web-intake.app';

/** The addresses people type: the form at /lapor as at /, a page (not JSON) for a browser's wrong address, a favicon. */
describe('web-intake routes people type', () => {
  let app: INestApplication;
  let url: string;
  const BROWSER = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

  beforeAll(async () => {
    const bus = new InProcessBus();
    await bus.start();
    app = await createWebIntakeApp(loadConfig({ LOG_LEVEL: 'error', ROUTER_URL: 'http://127.0.0.1:9' } as NodeJS.ProcessEnv), { bus });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => app?.close());

  it.each(['/', '/lapor', '/lapor/'])('GET %s shows the form', async (path) => {
    const res = await fetch(`${url}${path}`, { headers: BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<form id="report" method="post" action="/lapor"');
  });

  it.each([['/laporan'], ['/lapor/cek/salah/alamat'], ['/api/v1/tidak-ada']])('a browser asking for %s gets a 404 page with the way back', async (path) => {
    const res = await fetch(`${url}${path}`, { headers: { ...BROWSER, 'Accept-Language': 'id' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('Halaman tidak ditemukan');
    expect(html).toContain('href="/lapor"');
    expect(html).toContain('href="/lapor/cek"');
  });

  it('an API client asking for a wrong address keeps the JSON 404', async () => {
    const res = await fetch(`${url}/laporan`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('a 404 a controller chose stays JSON for a browser too (an unknown tracking number on the API)', async () => {
    const res = await fetch(`${url}/api/v1/complaints/AOKXYKU4RXD`, { headers: BROWSER });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it.each(['/favicon.ico', '/favicon.svg'])('%s is a small SVG, linked from every page', async (path) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await res.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg.length).toBeLessThan(1024);
    expect(await (await fetch(`${url}/lapor`)).text()).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
  });

  it('remembers a language chosen with the switch link in a cookie', async () => {
    const chosen = await fetch(`${url}/lapor?lang=en`);
    expect(chosen.headers.get('set-cookie')).toMatch(/^lang=en; Path=\/; Max-Age=\d+; SameSite=Lax/);
    expect(await chosen.text()).toContain('<html lang="en">');
    const next = await fetch(`${url}/lapor/cek`, { headers: { Cookie: 'lang=en', 'Accept-Language': 'id' } });
    expect(await next.text()).toContain('<html lang="en">');
    const switchBack = await (await fetch(`${url}/lapor/cek?id=AOKXYKU4RXD`, { headers: { Cookie: 'lang=en' } })).text();
    expect(switchBack).toContain('href="/lapor/cek?id=AOKXYKU4RXD&amp;lang=id" hreflang="id" lang="id"');
  });
});
