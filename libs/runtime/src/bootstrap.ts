import { INestApplication, Logger as NestLogger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger, PinoLogger } from 'nestjs-pino';
import { MAX_COMPLAINT_BODY_BYTES } from '@lapor/contracts';
import type { EventBus } from '@lapor/bus';
import type { AppConfig } from './config';
import { ApiErrorFilter } from './http';
import { httpMetrics } from './http-metrics';
import { EventBusTransport } from './event-transport';
import type { LaporMetrics } from './metrics';
import { GracefulShutdown } from './shutdown';
import type { ConsumerReadiness } from './bus-telemetry';
import { APP_CONFIG, CONSUMER_READINESS, EVENT_BUS, METRICS } from './tokens';

export interface ServiceOptions {
  /** Whether the app has @OnEvent consumers (router, notifier); intake apps only publish. */
  consumesEvents: boolean;
}

const shutdowns = new WeakMap<INestApplication, GracefulShutdown>();

/**
 * Creates a configured (not yet listening) Nest app: structured logs, HTTP metrics, the shared
 * error shape and body limits, plus the bus transport for consumers. Used by each service's
 * main.ts, by the embedded single-process mode and by tests, so they all run the same wiring.
 */
export async function createService(module: Type<unknown>, options: ServiceOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    // Held until the pino logger is attached; a failed start is reported once, by runService.
    bufferLogs: true,
    rawBody: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const shutdown = new GracefulShutdown();
  shutdowns.set(app, shutdown);
  app.use(shutdown.middleware);
  app.use(httpMetrics(app.get<LaporMetrics>(METRICS)));
  // Channel webhooks post JSON or forms; the largest accepted body is documented in the README.
  app.useBodyParser('json', { limit: MAX_COMPLAINT_BODY_BYTES });
  app.useBodyParser('urlencoded', { limit: MAX_COMPLAINT_BODY_BYTES, extended: false });
  app.useGlobalFilters(new ApiErrorFilter());
  if (options.consumesEvents) {
    const logger = await app.resolve(PinoLogger);
    const transport = new EventBusTransport(app.get<EventBus>(EVENT_BUS), {
      // Every log line of a handler carries the record's correlation id.
      runInContext: (fn, correlationId) => logger.runInContext(fn, { bindings: { correlationId } }),
      readiness: app.get<ConsumerReadiness | undefined>(CONSUMER_READINESS),
    });
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  }
  return app;
}

/** Starts consumers and HTTP, and drains gracefully on SIGTERM/SIGINT (see shutdown.ts). */
export async function startService(app: INestApplication, port: number, name: string): Promise<string> {
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.startAllMicroservices();
  await app.listen(port, config.env.HOST);
  (shutdowns.get(app) ?? new GracefulShutdown()).install(app, name, config.env.SHUTDOWN_TIMEOUT_MS);
  const url = `http://localhost:${port}`;
  new NestLogger(name).log(`listening on ${url}`);
  return url;
}

/**
 * A service's main(): a start that fails (a missing or invalid variable, an unreachable
 * database) is one line on stderr naming the cause, and exit code 1.
 */
export function runService(name: string, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${name} cannot start: ${message.replace(/\s*\n\s*/g, '; ')}\n`);
    process.exit(1);
  });
}
