import type { NextFunction, Request, Response } from 'express';
import type { FastifyInstance } from 'fastify';
import type { LaporMetrics } from './metrics';

/**
 * Times every HTTP request into lapor_http_request_duration_seconds. The route label is the
 * matched route's template (`/api/v1/complaints/:trackingId`), or `unmatched` (404s, bodies
 * refused before routing), so a scan of random paths cannot create new series.
 */
export function httpMetrics(metrics: LaporMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = metrics.httpRequestDuration.startTimer();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${String(req.route.path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * The same on Fastify (the intake apps): timed from onRequest to onResponse, labelled with
 * the matched route's template (routeOptions.url), or `unmatched`.
 */
export function fastifyHttpMetrics(fastify: FastifyInstance, metrics: LaporMetrics): void {
  const timers = new WeakMap<object, ReturnType<LaporMetrics['httpRequestDuration']['startTimer']>>();
  fastify.addHook('onRequest', (request, _reply, done) => {
    timers.set(request, metrics.httpRequestDuration.startTimer());
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    timers.get(request)?.({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
    done();
  });
}
