import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DeskRequest, LoginRequired, PasswordChangeRequired } from '../access/desk-auth.guard';
import { messageOf } from '../http-message';
import { errorPage, Viewer } from '../pages/layout';

/**
 * Console pages answer in HTML: no session → the login form (coming back afterwards), a
 * one-time password → the change form, anything else → an error page with the reason and
 * the right status (404 outside scope, like the API).
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('DeskConsole');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<DeskRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof LoginRequired) {
      const next = req.method === 'GET' ? `?lanjut=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/desk/masuk${next}`);
      return;
    }
    if (exception instanceof PasswordChangeRequired) {
      res.redirect(303, '/desk/kata-sandi');
      return;
    }
    const principal = req.deskPrincipal;
    const viewer: Viewer | undefined = principal?.kind === 'officer' ? { principal, csrf: principal.csrfToken } : undefined;
    if (exception instanceof HttpException) {
      const message = messageOf(exception);
      res.status(exception.getStatus()).type('html').send(errorPage(exception.getStatus(), message, viewer));
      return;
    }
    const e = exception as { status?: number; type?: string };
    if (e?.status && e.status >= 400 && e.status < 500) {
      res.status(e.status).type('html').send(errorPage(e.status, 'Permintaan tidak valid.', viewer));
      return;
    }
    this.log.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(500).type('html').send(errorPage(500, 'Terjadi kesalahan pada server. Coba lagi.', viewer));
  }
}
