import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { AppConfig, loadConfig } from '@lapor/runtime';
import type { Clock } from '../../apps/desk/src/clock';
import { createDeskApp } from '../../apps/desk/src/desk.app';
import { createEmbeddedApp } from '../../apps/embedded/src/embedded.app';
import { createNotifierApp } from '../../apps/notifier/src/notifier.app';
import { createRouterApp } from '../../apps/router/src/router.app';
import { createSmsIntakeApp } from '../../apps/sms-intake/src/sms-intake.app';
import { createSocialIntakeApp } from '../../apps/social-intake/src/social-intake.app';
import { createWebIntakeApp } from '../../apps/web-intake/src/web-intake.app';
import { createTestDatabase } from './database';

export interface RunningSystem {
  /** Where the public API answers (web-intake, or the single embedded process). */
  baseUrl: string;
  /** Where Twilio's webhooks are served (sms-intake, or the embedded process); sms-intake starts only with TWILIO_AUTH_TOKEN. */
  smsIntakeUrl?: string;
  /** Where the Telegram and X webhooks are served (social-intake, or the embedded process); social-intake starts only with TELEGRAM_BOT_TOKEN or X_CONSUMER_SECRET. */
  socialIntakeUrl?: string;
  /** Where the agency desk answers (console /desk, officer API /desk/v1): the desk service, or the embedded process. */
  deskUrl: string;
  apps: Record<string, INestApplication>;
  stop(): Promise<void>;
}

async function listen(app: INestApplication): Promise<string> {
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** What a test may replace in the system it starts. */
export interface SystemOptions {
  /** The desk's clock (its deadline scheduler and timers): a TestClock lets a test make deadlines fall due. */
  deskClock?: Clock;
}

function configFrom(env: Record<string, string | undefined>): AppConfig {
  return loadConfig({ LOG_LEVEL: 'warn', ...env } as NodeJS.ProcessEnv);
}

/** router, notifier, web-intake and the desk as separate services, as in production. */
export async function startServices(env: Record<string, string | undefined>, options: SystemOptions = {}): Promise<RunningSystem> {
  const router = await createRouterApp(configFrom(env));
  const routerUrl = await listen(router);
  const notifier = await createNotifierApp(configFrom(env));
  await listen(notifier);
  const web = await createWebIntakeApp(configFrom({ ...env, ROUTER_URL: routerUrl }));
  const baseUrl = await listen(web);
  const desk = await createDeskApp(configFrom({ ...env, ROUTER_URL: routerUrl }), { clock: options.deskClock });
  const deskUrl = await listen(desk);
  const apps: Record<string, INestApplication> = { router, notifier, web, desk };
  let smsIntakeUrl: string | undefined;
  if (env.TWILIO_AUTH_TOKEN) {
    apps.sms = await createSmsIntakeApp(configFrom(env));
    smsIntakeUrl = await listen(apps.sms);
  }
  let socialIntakeUrl: string | undefined;
  if (env.TELEGRAM_BOT_TOKEN || env.X_CONSUMER_SECRET || env.WHATSAPP_APP_SECRET) {
    apps.social = await createSocialIntakeApp(configFrom(env));
    socialIntakeUrl = await listen(apps.social);
  }
  return { baseUrl, smsIntakeUrl, socialIntakeUrl, deskUrl, apps, stop: async () => void (await Promise.all(Object.values(apps).map((app) => app.close()))) };
}

/** Everything in one process, exactly as `npm start` wires it. */
export async function startEmbedded(env: Record<string, string | undefined>, options: SystemOptions = {}): Promise<RunningSystem> {
  const config = configFrom(env);
  const app = await createEmbeddedApp(config, { clock: options.deskClock });
  const baseUrl = await listen(app);
  config.env.ROUTER_URL = baseUrl;
  return { baseUrl, smsIntakeUrl: baseUrl, socialIntakeUrl: baseUrl, deskUrl: baseUrl, apps: { embedded: app }, stop: () => app.close() };
}

/**
 * The two ways an end-to-end suite runs the same scenarios: separate services on the
 * real Kafka (KAFKA_BROKERS from the global setup) and a per-run PostgreSQL database,
 * and the embedded single process.
 */
export const SYSTEM_MODES = [
  {
    name: 'separate services on real Kafka + PostgreSQL',
    start: async (env: Record<string, string>, options: SystemOptions = {}): Promise<{ system: RunningSystem; cleanup: () => Promise<void> }> => {
      const db = await createTestDatabase();
      const system = await startServices({ ...env, KAFKA_BROKERS: process.env.KAFKA_BROKERS, DATABASE_URL: db.url, BUS_NAMESPACE: `e2e-${randomUUID().slice(0, 8)}` }, options);
      return { system, cleanup: db.drop };
    },
  },
  {
    name: 'embedded mode (in-process bus + PGlite)',
    start: async (env: Record<string, string>, options: SystemOptions = {}): Promise<{ system: RunningSystem; cleanup: () => Promise<void> }> => ({ system: await startEmbedded(env, options), cleanup: async () => undefined }),
  },
];
