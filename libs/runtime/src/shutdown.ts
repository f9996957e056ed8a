import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Graceful shutdown on SIGTERM (Kubernetes) and SIGINT (Ctrl-C), in this order:
 * 1. stop accepting HTTP connections and let the requests in flight finish (an intake answers
 *    them only once their event is durable, so nothing acknowledged is lost);
 * 2. app.close(): the notifier's dispatcher lets its sends in flight finish (its
 *    beforeApplicationShutdown), the consumers leave their groups after the records in hand
 *    and commit what was handled, the producer disconnects, the database pool closes;
 * 3. exit 0. If that takes longer than SHUTDOWN_TIMEOUT_MS, exit 1 (Kubernetes would SIGKILL
 *    at terminationGracePeriodSeconds anyway; what was not committed is redelivered).
 * Nest's own enableShutdownHooks() is not used: it closes the consumers before the HTTP server.
 */
export class GracefulShutdown {
  private draining = false;

  /** Express middleware: while draining, every answer closes its connection (no keep-alive reuse). */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) res.setHeader('Connection', 'close');
    next();
  };

  get isDraining(): boolean {
    return this.draining;
  }

  install(app: INestApplication, name: string, timeoutMs: number): void {
    const log = new Logger(name);
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.draining) return;
      this.draining = true;
      log.log(`${signal}: draining (at most ${timeoutMs} ms)`);
      const started = Date.now();
      const deadline = setTimeout(() => {
        log.error(`draining took longer than SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); exiting without finishing`);
        process.exit(1);
      }, timeoutMs);
      deadline.unref();
      closeHttp(app.getHttpServer() as Server)
        .then(() => app.close())
        .then(
          () => {
            log.log(`drained in ${Date.now() - started} ms; exiting`);
            process.exit(0);
          },
          (error: Error) => {
            log.error(`shutdown failed: ${error.message}`, error.stack);
            process.exit(1);
          },
        );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
}

/** Stops accepting connections and resolves once the requests in flight are answered. */
function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // Keep-alive connections become idle once their request is answered: close them as they do.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}
