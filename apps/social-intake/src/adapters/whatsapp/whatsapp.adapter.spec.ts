import { mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@lapor/runtime';
import { createSocialIntakeApp } from '../../social-intake.app';
import { CapturingBus } from '../../testing/capturing-bus';
import { WhatsAppCloudAdapter } from './whatsapp.adapter';

/** The handshake and the channel switch; payloads, signatures, replays and malformed bodies are the shared harness's (test/channels). */
describe(WhatsAppCloudAdapter.name, () => {
  const start = async (env: Record<string, string>) => {
    const app = await createSocialIntakeApp(loadConfig({ LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(join(tmpdir(), 'wa-')), ...env } as NodeJS.ProcessEnv), { bus: new CapturingBus() });
    await app.listen(0, '127.0.0.1');
    return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
  };
  let app: INestApplication;
  let url: string;
  beforeAll(async () => ({ app, url } = await start({ WHATSAPP_APP_SECRET: 's3cret', WHATSAPP_VERIFY_TOKEN: 'lapor-verify-1708' })));
  afterAll(() => app?.close());

  it('should answer the verification handshake with hub.challenge as plain text', async () => {
    const res = await fetch(`${url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=lapor-verify-1708`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it.each([
    ['a wrong verify token', 'hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess'],
    ['no verify token', 'hub.mode=subscribe&hub.challenge=1'],
    ['another mode', 'hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=lapor-verify-1708'],
  ])('should refuse the handshake with %s (403)', async (_name, query) => {
    expect((await fetch(`${url}/webhooks/whatsapp?${query}`)).status).toBe(403);
  });

  it('should answer 503 with the reason while the channel is off', async () => {
    const off = await start({});
    try {
      const res = await fetch(`${off.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/WHATSAPP_APP_SECRET/);
    } finally {
      await off.app.close();
    }
  });
});
