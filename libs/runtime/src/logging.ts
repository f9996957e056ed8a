import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig, Env } from './config';

/** Nest's level names (LOG_LEVEL) → pino's. */
const PINO_LEVELS: Record<Env['LOG_LEVEL'], pino.Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** The header that carries a correlation id over HTTP (the one the bus carries as x-correlation-id). */
export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Structured logs (pino through nestjs-pino): one JSON object per line with `service`, `context`,
 * `correlationId` (an HTTP request's X-Correlation-Id, or a fresh one it is answered with; a bus
 * record's envelope correlation id, which for a complaint is its tracking id) and, for failures,
 * `err` with the stack. LOG_FORMAT=pretty (the default of `npm start`) prints readable lines instead.
 */
export function loggerParams(config: AppConfig, service: string): Params {
  const options: pino.LoggerOptions = {
    level: PINO_LEVELS[config.env.LOG_LEVEL],
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const destination = config.env.LOG_FORMAT === 'pretty'
    ? pretty({ sync: true, colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service,req,res,responseTime', messageFormat: '{if context}[{context}] {end}{msg}', singleLine: true })
    // process.stdout rather than a raw fd: on Linux it writes synchronously to files and pipes,
    // and whatever the process does with its stdout (a test capturing it) sees the log lines.
    : process.stdout;
  return {
    pinoHttp: [
      {
        ...options,
        genReqId: (req: IncomingMessage, res: ServerResponse) => {
          const given = req.headers[CORRELATION_HEADER];
          const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
          res.setHeader('X-Correlation-Id', id);
          return id;
        },
        customAttributeKeys: { reqId: 'correlationId' },
        quietReqLogger: true,
        // Probes and scrapes would drown the log.
        autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)(\/|$)/.test(req.url ?? '') },
        customSuccessMessage: (req: IncomingMessage, res: ServerResponse) => `${req.method} ${req.url?.replace(/\?.*$/, '')} ${res.statusCode}`,
        customErrorMessage: (req: IncomingMessage, res: ServerResponse, error: Error) => `${req.method} ${req.url?.replace(/\?.*$/, '')} ${res.statusCode}: ${error.message}`,
        customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
        serializers: {
          req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.replace(/\?.*$/, '') }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      },
      destination,
    ],
  };
}
