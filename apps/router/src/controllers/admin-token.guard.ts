import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import type { Request } from 'express';

/** Admin routes need `Authorization: Bearer $ADMIN_API_TOKEN`; without a configured token they are off. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.env.ADMIN_API_TOKEN;
    if (!expected) throw new ServiceUnavailableException('Admin API is off: set ADMIN_API_TOKEN');
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const given = Buffer.from(header.replace(/^Bearer\s+/i, ''));
    const want = Buffer.from(expected);
    if (given.length !== want.length || !timingSafeEqual(given, want)) throw new UnauthorizedException('Bearer token missing or wrong');
    return true;
  }
}
