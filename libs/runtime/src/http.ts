import { IncomingHttpHeaders, STATUS_CODES } from 'node:http';
import { MAX_COMPLAINT_BODY_BYTES } from '@lapor/contracts';
import { ArgumentsHost, HttpServer, BadRequestException, CanActivate, Catch, ExceptionFilter, ExecutionContext, HttpException, HttpStatus, Injectable, Logger, PipeTransform, UnsupportedMediaTypeException } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import type { ApiError } from '@lapor/contracts';
import { Observable, throwError } from 'rxjs';
import type { z } from 'zod';

/**
 * What controllers and guards read from a request: the part Express' and Fastify's request
 * objects share (bootstrap.ts runs the intake apps on Fastify, the rest on Express).
 */
export interface HttpRequest {
  headers: IncomingHttpHeaders;
  /** Path and query as the client sent them. */
  originalUrl: string;
  protocol: string;
  body?: unknown;
  /** The body's bytes, for signature checks (rawBody: true in bootstrap.ts). */
  rawBody?: Buffer;
}

/** What controllers that write their own answer use: the part Express' response and Fastify's reply share. */
export interface HttpResponse {
  status(code: number): HttpResponse;
  header(name: string, value: string): HttpResponse;
  send(body?: string): unknown;
}

/** The header's value (the first, if sent several times). */
export function headerOf(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Whether the request's media type is `type` (parameters such as charset ignored). */
export function hasMediaType(req: HttpRequest, type: string): boolean {
  return (headerOf(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase() === type;
}

export const MALFORMED_JSON = 'JSON tidak valid (malformed JSON body)';

/** Validates a body (or a query) with a contract schema; a failure is 400 with one message list per field. */
export class ZodBody<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly message = 'Data laporan tidak valid (invalid request body)',
  ) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const fields: Record<string, string[]> = {};
    for (const issue of result.error.issues) {
      const path = issue.path.join('.') || '(body)';
      (fields[path] ??= []).push(issue.message);
    }
    throw new BadRequestException({ message: this.message, fields });
  }
}

/**
 * Every error leaves as an ApiError body. Three outcomes: the request is wrong (4xx with a
 * reason), the bus could not store it (503 + Retry-After: the client must retry), or we
 * failed (500, logged).
 *
 * HTTP only. Global filters also reach the bus consumers (connectMicroservice with
 * inheritAppConfig), where there is no response to write: there the error is passed on
 * unchanged, so the bus retries or dead-letters it with its real message.
 */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('HTTP');

  constructor(private readonly http: HttpServer) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const res = host.switchToHttp().getResponse<unknown>();
    const body = this.toBody(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) this.http.setHeader(res, 'Retry-After', '5');
    this.http.reply(res, body, body.statusCode);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof BusUnavailableError) {
      this.log.warn(exception.message);
      return { statusCode: 503, error: 'Service Unavailable', message: 'Laporan belum dapat disimpan, silakan coba lagi (the message bus is unavailable; nothing was stored)' };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse() as string | { message?: string | string[]; fields?: Record<string, string[]> };
      // Fastify's body limit reaches here as an HttpException with its own English text; an upload limit (with fields) says its own.
      if (status === HttpStatus.PAYLOAD_TOO_LARGE && !(typeof response === 'object' && response.fields)) return tooLarge(MAX_COMPLAINT_BODY_BYTES);
      const message = typeof response === 'string' ? response : Array.isArray(response.message) ? response.message.join('; ') : (response.message ?? exception.message);
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...(typeof response === 'object' && response.fields ? { fields: response.fields } : {}) };
    }
    // Body parser errors (Express' body-parser, Fastify's content-type parsers) arrive as plain errors with a status.
    const e = exception as { status?: number; type?: string; message?: string; limit?: number };
    if (e?.type === 'entity.too.large') {
      return tooLarge(e.limit ?? MAX_COMPLAINT_BODY_BYTES);
    }
    if (e?.type === 'entity.parse.failed') {
      return { statusCode: 400, error: 'Bad Request', message: MALFORMED_JSON };
    }
    if (e?.status && e.status >= 400 && e.status < 500) {
      return { statusCode: e.status, error: 'Bad Request', message: e.message ?? 'Bad request' };
    }
    this.log.error(exception instanceof Error ? exception.stack : String(exception));
    return { statusCode: 500, error: 'Internal Server Error', message: 'Terjadi kesalahan pada server (internal error)' };
  }
}

function tooLarge(limit: number): ApiError {
  return { statusCode: 413, error: 'Payload Too Large', message: `Isi permintaan terlalu besar (body larger than ${limit} bytes)` };
}

/** 415 with a reason for bodies that are not JSON (runs before validation, which would say 400). */
@Injectable()
export class RequireJson implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<HttpRequest>();
    if (!hasMediaType(req, 'application/json')) throw new UnsupportedMediaTypeException('Kirim data sebagai application/json (Content-Type must be application/json)');
    return true;
  }
}
