import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, BadRequestException, CanActivate, Catch, ExceptionFilter, ExecutionContext, HttpException, HttpStatus, Injectable, Logger, PipeTransform, UnsupportedMediaTypeException } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import type { ApiError } from '@lapor/contracts';
import type { Request, Response } from 'express';
import { Observable, throwError } from 'rxjs';
import type { z } from 'zod';

/** Validates a body with a contract schema; a failure is 400 with one message list per field. */
export class ZodBody<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const fields: Record<string, string[]> = {};
    for (const issue of result.error.issues) {
      const path = issue.path.join('.') || '(body)';
      (fields[path] ??= []).push(issue.message);
    }
    throw new BadRequestException({ message: 'Data laporan tidak valid (invalid request body)', fields });
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

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) res.setHeader('Retry-After', '5');
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof BusUnavailableError) {
      this.log.warn(exception.message);
      return { statusCode: 503, error: 'Service Unavailable', message: 'Laporan belum dapat disimpan, silakan coba lagi (the message bus is unavailable; nothing was stored)' };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse() as string | { message?: string | string[]; fields?: Record<string, string[]> };
      const message = typeof response === 'string' ? response : Array.isArray(response.message) ? response.message.join('; ') : (response.message ?? exception.message);
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...(typeof response === 'object' && response.fields ? { fields: response.fields } : {}) };
    }
    // body-parser errors arrive as plain errors with a status.
    const e = exception as { status?: number; type?: string; message?: string; limit?: number };
    if (e?.type === 'entity.too.large') {
      return { statusCode: 413, error: 'Payload Too Large', message: `Isi permintaan terlalu besar (body larger than ${e.limit} bytes)` };
    }
    if (e?.type === 'entity.parse.failed') {
      return { statusCode: 400, error: 'Bad Request', message: 'JSON tidak valid (malformed JSON body)' };
    }
    if (e?.status && e.status >= 400 && e.status < 500) {
      return { statusCode: e.status, error: 'Bad Request', message: e.message ?? 'Bad request' };
    }
    this.log.error(exception instanceof Error ? exception.stack : String(exception));
    return { statusCode: 500, error: 'Internal Server Error', message: 'Terjadi kesalahan pada server (internal error)' };
  }
}

/** 415 with a reason for bodies that are not JSON (runs before validation, which would say 400). */
@Injectable()
export class RequireJson implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.is('application/json')) throw new UnsupportedMediaTypeException('Kirim data sebagai application/json (Content-Type must be application/json)');
    return true;
  }
}
