import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, INestApplication, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MAX_COMPLAINT_BODY_BYTES } from '@lapor/contracts';
import { translate, validationMessages } from '@lapor/i18n';
import { ApiErrorFilter, headerOf, HttpRequest, MALFORMED_JSON } from '@lapor/runtime';
import { notFoundPage } from '../pages/not-found.page';
import { pageContext } from '../pages/html';
import { requestLocale } from './request-locale';

/** The public API paths whose errors before the handler (the body parsers') are said in the request's language. */
const CITIZEN_API = /^\/api\/v1\/(complaints|regions)(\/|$)/;

/**
 * What a citizen gets when the request fails before any controller runs: a malformed or too
 * large JSON body on the complaint API answers in the request's language with the same
 * ApiError shape (and `fields`) as every other 400, a browser asking for a page that does not
 * exist gets a page (API clients keep the JSON 404), and an address typed with a trailing
 * slash is sent to the one without. Everything else goes to the
 * runtime's ApiErrorFilter unchanged.
 */
@Catch()
export class CitizenErrorFilter implements ExceptionFilter {
  private readonly runtime: ApiErrorFilter;

  constructor(private readonly adapterHost: HttpAdapterHost) {
    this.runtime = new ApiErrorFilter(adapterHost.httpAdapter);
  }

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return this.runtime.catch(exception, host);
    const req = host.switchToHttp().getRequest<HttpRequest & { method?: string; url?: string }>();
    const res = host.switchToHttp().getResponse<unknown>();
    const http = this.adapterHost.httpAdapter;
    const path = (req.originalUrl ?? req.url ?? '/').split('?')[0];
    if (isUnknownRoute(exception, req.method) && /.\/$/.test(path)) {
      // "/lapor/" as people type it: the same address without the slash (Fastify matches paths strictly).
      const query = (req.originalUrl ?? '').split('?')[1];
      http.setHeader(res, 'Location', `${path.replace(/\/+$/, '')}${query ? `?${query}` : ''}`);
      return http.reply(res, undefined, HttpStatus.PERMANENT_REDIRECT);
    }
    if (isUnknownRoute(exception, req.method) && acceptsHtml(req)) {
      http.setHeader(res, 'Content-Type', 'text/html; charset=utf-8');
      return http.reply(res, notFoundPage(pageContext(req), path), HttpStatus.NOT_FOUND);
    }
    if (CITIZEN_API.test(path)) {
      const { locale } = requestLocale(req);
      if (isMalformedJson(exception)) {
        const message = translate(validationMessages, 'body.malformedJson', locale);
        return http.reply(res, { statusCode: 400, error: 'Bad Request', message, fields: { '(body)': [message] } }, 400);
      }
      if (isBodyTooLarge(exception)) {
        const message = translate(validationMessages, 'body.tooLarge', locale, { limit: MAX_COMPLAINT_BODY_BYTES });
        return http.reply(res, { statusCode: 413, error: 'Payload Too Large', message }, 413);
      }
    }
    return this.runtime.catch(exception, host);
  }
}

/** Nest's answer when no route matches ("Cannot GET /x"), as opposed to a 404 a controller chose. */
function isUnknownRoute(exception: unknown, method: string | undefined): boolean {
  return exception instanceof NotFoundException && (method === 'GET' || method === 'HEAD') && exception.message.startsWith(`Cannot ${method} `);
}

function acceptsHtml(req: HttpRequest): boolean {
  return /\btext\/html\b/.test(headerOf(req, 'accept') ?? '');
}

function isMalformedJson(exception: unknown): boolean {
  return (exception instanceof BadRequestException && exception.message === MALFORMED_JSON) || (exception as { type?: string })?.type === 'entity.parse.failed';
}

/** Fastify's body limit arrives as an HttpException, Express' body-parser's as a plain error. */
function isBodyTooLarge(exception: unknown): boolean {
  if (exception instanceof HttpException) return exception.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE && !(exception.getResponse() as { fields?: unknown }).fields;
  return (exception as { type?: string })?.type === 'entity.too.large';
}

/**
 * Puts the filter in front of the runtime's (Nest tries global filters last-added first; an
 * APP_FILTER provider would be added before createService's and never reached). The app that
 * serves web-intake's routes calls it: web-intake.app.ts, and the embedded app.
 */
export function useCitizenErrorFilter<T extends INestApplication>(app: T): T {
  app.useGlobalFilters(new CitizenErrorFilter(app.get(HttpAdapterHost)));
  return app;
}
