import { timingSafeEqual } from 'node:crypto';
import { CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { SESSION_COOKIE, SessionsService } from '../accounts/sessions.service';
import { ApiTokensService } from '../accounts/api-tokens.service';
import { DeskComplaintEntity } from '../entities';
import { ACCESS_KEY, ALL_ROLES, AccessRule, SURFACE_KEY } from './access.decorator';
import { cookiesOf } from './cookies';
import { Principal } from './principal';
import { ScopeService } from './scope.service';

/** No (valid) credentials: the API answers 401, pages redirect to the login form. */
export class LoginRequired extends UnauthorizedException {}
/** The official still has a one-time password: pages redirect to the change form, the API answers 403. */
export class PasswordChangeRequired extends ForbiddenException {}

export interface DeskRequest extends Request {
  deskPrincipal?: Principal;
  deskComplaint?: DeskComplaintEntity;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every desk route goes through this guard: it authenticates (bearer token or session
 * cookie), checks CSRF on cookie-authenticated writes, refuses writes with read-only
 * tokens, checks the role, and resolves `:trackingId` through ScopeService (404 outside
 * the caller's scope). A route without an @Access rule is refused.
 */
@Injectable()
export class DeskAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly tokens: ApiTokensService,
    private readonly scope: ScopeService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!rule) throw new Error(`desk route ${context.getClass().name}.${context.getHandler().name} has no @Access rule`);
    if (rule.public) return true;
    const req = context.switchToHttp().getRequest<DeskRequest>();
    const surface = this.reflector.getAllAndOverride<string>(SURFACE_KEY, [context.getHandler(), context.getClass()]) ?? 'api';

    const principal = await this.authenticate(req, surface === 'api');
    if (!principal) throw new LoginRequired('Masuk terlebih dahulu (authentication required: session cookie or Authorization: Bearer <token>)');
    req.deskPrincipal = principal;

    if (principal.kind === 'token') {
      if (!rule.tokens) throw new ForbiddenException('Token API tidak dapat dipakai untuk ini (API tokens cannot use this route)');
      if (!SAFE_METHODS.has(req.method) && principal.token.readOnly) throw new ForbiddenException('Token ini hanya-baca (read-only token)');
    } else {
      if (!SAFE_METHODS.has(req.method) && !this.csrfOk(req, principal.csrfToken)) {
        throw new ForbiddenException('Formulir kedaluwarsa atau token CSRF tidak ada; muat ulang halaman (CSRF token missing or wrong)');
      }
      if (principal.officer.mustChangePassword && !rule.passwordChange) throw new PasswordChangeRequired('Ganti kata sandi sekali pakai terlebih dahulu (password change required)');
      if (!(rule.roles ?? ALL_ROLES).includes(principal.officer.role)) throw new ForbiddenException('Peran Anda tidak dapat melakukan ini');
    }

    if (rule.complaint) req.deskComplaint = await this.scope.complaint(principal, String(req.params.trackingId ?? ''), { copies: rule.copies ? 'read' : 'refuse' });
    return true;
  }

  private async authenticate(req: DeskRequest, apiSurface: boolean): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (header) {
      if (!apiSurface) return null;
      const token = await this.tokens.resolve(header.replace(/^Bearer\s+/i, '').trim());
      return token ? { kind: 'token', token } : null;
    }
    const id = cookiesOf(req)[SESSION_COOKIE];
    if (!id) return null;
    const session = await this.sessions.resolve(id);
    return session ? { kind: 'officer', officer: session.officer, csrfToken: session.csrfToken } : null;
  }

  /** The form field `_csrf` (console forms) or the `X-CSRF-Token` header (scripts using the cookie). */
  private csrfOk(req: Request, expected: string): boolean {
    const given = String(req.headers['x-csrf-token'] ?? (req.body as Record<string, unknown> | undefined)?._csrf ?? '');
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** The authenticated caller (set by DeskAuthGuard). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<DeskRequest>().deskPrincipal;
  if (!principal) throw new Error('CurrentPrincipal on a route without authentication');
  return principal;
});

/** The complaint of `:trackingId`, already checked against the caller's scope by DeskAuthGuard. */
export const ScopedComplaint = createParamDecorator((_: unknown, ctx: ExecutionContext): DeskComplaintEntity => {
  const complaint = ctx.switchToHttp().getRequest<DeskRequest>().deskComplaint;
  if (!complaint) throw new Error('ScopedComplaint on a route without @Access({ complaint: true })');
  return complaint;
});
