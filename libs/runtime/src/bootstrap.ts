import { INestApplication, Logger, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_COMPLAINT_BODY_BYTES } from '@lapor/contracts';
import type { EventBus } from '@lapor/bus';
import { ApiErrorFilter } from './http';
import { EventBusTransport } from './event-transport';
import { EVENT_BUS } from './tokens';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export interface ServiceOptions {
  /** Whether the app has @OnEvent consumers (router, notifier); intake apps only publish. */
  consumesEvents: boolean;
  logLevel?: LogLevel;
}

/**
 * Creates a configured (not yet listening) Nest app: HTTP with the shared error shape and
 * body limits, plus the bus transport for consumers. Used by each service's main.ts, by
 * the embedded single-process mode and by tests, so they all run the same wiring.
 */
export async function createService(module: Type<unknown>, options: ServiceOptions): Promise<NestExpressApplication> {
  const level = options.logLevel ?? 'log';
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: LEVELS.slice(0, LEVELS.indexOf(level) + 1),
    rawBody: true,
    bodyParser: false,
    abortOnError: false,
  });
  // Channel webhooks post JSON or forms; the largest accepted body is documented in the README.
  app.useBodyParser('json', { limit: MAX_COMPLAINT_BODY_BYTES });
  app.useBodyParser('urlencoded', { limit: MAX_COMPLAINT_BODY_BYTES, extended: false });
  app.useGlobalFilters(new ApiErrorFilter());
  app.enableShutdownHooks();
  if (options.consumesEvents) {
    app.connectMicroservice({ strategy: new EventBusTransport(app.get<EventBus>(EVENT_BUS)) }, { inheritAppConfig: true });
  }
  return app;
}

export async function startService(app: INestApplication, port: number, name: string): Promise<string> {
  await app.startAllMicroservices();
  await app.listen(port, process.env.HOST ?? '0.0.0.0');
  const url = `http://localhost:${port}`;
  new Logger(name).log(`listening on ${url}`);
  return url;
}
