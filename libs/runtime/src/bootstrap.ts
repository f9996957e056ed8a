import { parse as parseQueryString } from 'node:querystring';
import { BadRequestException, INestApplication, Logger as NestLogger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { MAX_COMPLAINT_BODY_BYTES } from '@lapor/contracts';
import type { EventBus } from '@lapor/bus';
import { AppConfig, ConfigError } from './config';
import { ApiErrorFilter, MALFORMED_JSON } from './http';
import { fastifyHttpMetrics, httpMetrics } from './http-metrics';
import { EventBusTransport } from './event-transport';
import type { LaporMetrics } from './metrics';
import { GracefulShutdown } from './shutdown';
import type { ConsumerReadiness } from './bus-telemetry';
import { APP_CONFIG, CONSUMER_READINESS, EVENT_BUS, METRICS } from './tokens';

/**
 * The HTTP server under Nest. The intake apps, which take the public traffic, run on Fastify
 * (measured: see the README's Performance section); the others, and `npm start`, on Express.
 * Controllers, guards and the error filter work on both (see http.ts).
 */
export type HttpPlatform = 'express' | 'fastify';

export interface ServiceOptions {
  /** Whether the app has @OnEvent consumers (router, notifier); intake apps only publish. */
  consumesEvents: boolean;
  /** Default express. */
  http?: HttpPlatform;
}

const shutdowns = new WeakMap<INestApplication, GracefulShutdown>();

const NEST_OPTIONS = {
  // Held until the pino logger is attached; a failed start is reported once, by runService.
  bufferLogs: true,
  rawBody: true,
  bodyParser: false,
  abortOnError: false,
};

/**
 * Creates a configured (not yet listening) Nest app: structured logs, HTTP metrics, the shared
 * error shape and body limits, plus the bus transport for consumers. Used by each service's
 * main.ts, by the embedded single-process mode and by tests, so they all run the same wiring.
 */
export async function createService(module: Type<unknown>, options: ServiceOptions & { http: 'fastify' }): Promise<NestFastifyApplication>;
export async function createService(module: Type<unknown>, options: ServiceOptions & { http?: 'express' }): Promise<NestExpressApplication>;
export async function createService(module: Type<unknown>, options: ServiceOptions): Promise<INestApplication>;
export async function createService(module: Type<unknown>, options: ServiceOptions): Promise<INestApplication> {
  const fastify = options.http === 'fastify';
  const app = fastify
    ? await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter({ bodyLimit: MAX_COMPLAINT_BODY_BYTES }), NEST_OPTIONS)
    : await NestFactory.create<NestExpressApplication>(module, NEST_OPTIONS);
  app.useLogger(app.get(Logger));
  const shutdown = new GracefulShutdown();
  shutdowns.set(app, shutdown);
  // Connect-style middleware: on Fastify it runs through @fastify/middie, on the raw request and response.
  app.use(shutdown.middleware);
  const metrics = app.get<LaporMetrics>(METRICS);
  if (fastify) {
    fastifyHttpMetrics((app as NestFastifyApplication).getHttpAdapter().getInstance(), metrics);
    fastifyBodyParsers(app as NestFastifyApplication);
  } else {
    app.use(httpMetrics(metrics));
    expressBodyParsers(app as NestExpressApplication);
  }
  app.useGlobalFilters(new ApiErrorFilter(app.getHttpAdapter()));
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

/** Channel webhooks post JSON or forms; the largest accepted body is documented in the README. */
function expressBodyParsers(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: MAX_COMPLAINT_BODY_BYTES });
  app.useBodyParser('urlencoded', { limit: MAX_COMPLAINT_BODY_BYTES, extended: false });
  // Nest would turn body-parser's SyntaxError into a 400 with the parser's English text.
  app.use((error: { type?: string } | undefined, _req: unknown, _res: unknown, next: (e?: unknown) => void) =>
    next(error?.type === 'entity.parse.failed' ? new BadRequestException(MALFORMED_JSON) : error),
  );
}

/**
 * Bodies parsed as the Express setup parses them: JSON (an empty body is {}), forms (flat,
 * node:querystring as Express' urlencoded parser), the raw bytes kept for signature checks, at
 * most MAX_COMPLAINT_BODY_BYTES (the adapter's bodyLimit); any other content type is left
 * unparsed (body undefined), so each route's guard gives its own answer (415 for the JSON API,
 * 403 for an unsigned webhook) instead of Fastify's generic one.
 */
function fastifyBodyParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own JSON parser (rejects __proto__/constructor poisoning); typed for strings, it parses Buffers too.
  const json = fastify.getDefaultJsonParser('error', 'error') as unknown as (req: unknown, body: Buffer, done: (err: Error | null, body?: unknown) => void) => void;
  app.useBodyParser('application/json', {}, (req, body, done) => {
    if (body.length === 0) return done(null, {});
    json(req, body, (error, parsed) => (error ? done(new BadRequestException(MALFORMED_JSON)) : done(null, parsed)));
  });
  app.useBodyParser('application/x-www-form-urlencoded', {}, (_req, body, done) => done(null, parseQueryString(body.toString('utf8'))));
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
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
 * A service's main(): a start that fails is one line on stderr and exit code 1, never a stack
 * trace. A missing or invalid variable (ConfigError) is its own line, "LAPOR config: VAR ...";
 * anything else (an unreachable database) is "<name> cannot start: <cause>".
 */
export function runService(name: string, start: () => Promise<unknown>): void {
  start().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const line = error instanceof ConfigError ? message : `${name} cannot start: ${message}`;
    process.stderr.write(`${line.replace(/\s*\n\s*/g, '; ')}\n`);
    process.exit(1);
  });
}
