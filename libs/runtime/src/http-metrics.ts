import type { NextFunction, Request, Response } from 'express';
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
