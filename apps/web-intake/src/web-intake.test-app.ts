import { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { InProcessBus } from '@lapor/bus';
import { loadConfig } from '@lapor/runtime';
import { createWebIntakeApp } from './web-intake.app';

/**
 * web-intake as its own service (Fastify) on an in-process bus, for specs of its pages and API
 * that never need the router: ROUTER_URL points nowhere, so anything that would read a
 * complaint answers 503.
 */
export async function startWebIntakeAlone(): Promise<{ app: INestApplication; url: string }> {
  const bus = new InProcessBus();
  await bus.start();
  const app = await createWebIntakeApp(loadConfig({ LOG_LEVEL: 'error', ROUTER_URL: 'http://127.0.0.1:9' } as NodeJS.ProcessEnv), { bus });
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}
