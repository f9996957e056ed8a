import { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { AppConfig, loadConfig } from '@lapor/runtime';
import { createEmbeddedApp } from '../../apps/embedded/src/embedded.app';
import { createNotifierApp } from '../../apps/notifier/src/notifier.app';
import { createRouterApp } from '../../apps/router/src/router.app';
import { createWebIntakeApp } from '../../apps/web-intake/src/web-intake.app';

export interface RunningSystem {
  /** Where the public API answers (web-intake, or the single embedded process). */
  baseUrl: string;
  apps: Record<string, INestApplication>;
  stop(): Promise<void>;
}

async function listen(app: INestApplication): Promise<string> {
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function configFrom(env: Record<string, string | undefined>): AppConfig {
  return loadConfig({ LOG_LEVEL: 'warn', ...env } as NodeJS.ProcessEnv);
}

/** router, notifier and web-intake as three separate services, as in production. */
export async function startServices(env: Record<string, string | undefined>): Promise<RunningSystem> {
  const router = await createRouterApp(configFrom(env));
  const routerUrl = await listen(router);
  const notifier = await createNotifierApp(configFrom(env));
  await listen(notifier);
  const web = await createWebIntakeApp(configFrom({ ...env, ROUTER_URL: routerUrl }));
  const baseUrl = await listen(web);
  const apps = { router, notifier, web };
  return { baseUrl, apps, stop: async () => void (await Promise.all([web.close(), notifier.close(), router.close()])) };
}

/** Everything in one process, exactly as `npm start` wires it. */
export async function startEmbedded(env: Record<string, string | undefined>): Promise<RunningSystem> {
  const config = configFrom(env);
  const app = await createEmbeddedApp(config);
  const baseUrl = await listen(app);
  config.env.ROUTER_URL = baseUrl;
  return { baseUrl, apps: { embedded: app }, stop: () => app.close() };
}
