import type { Actor, OfficerRole } from '@lapor/contracts';
import type { ApiTokenEntity, OfficerEntity } from '../entities';
import type { AuditActor } from '../audit/audit.service';

/** Who is calling: a logged-in official (console cookie) or a body's API token. */
export type Principal =
  | { kind: 'officer'; officer: OfficerEntity; csrfToken: string }
  | { kind: 'token'; token: ApiTokenEntity };

/** What a principal may see: everything (national admin), one body (liaison, token) or one unit of a body (officer). */
export type Scope = { all: true } | { all: false; bodyCode: string; unit?: string };

export function scopeOf(p: Principal): Scope {
  if (p.kind === 'token') return { all: false, bodyCode: p.token.bodyCode };
  const o = p.officer;
  if (o.role === 'national-admin') return { all: true };
  if (o.role === 'liaison') return { all: false, bodyCode: o.bodyCode! };
  return { all: false, bodyCode: o.bodyCode!, unit: o.unit! };
}

/** A token acts with a liaison's rights for its body (read-only tokens cannot act at all). */
export function roleOf(p: Principal): OfficerRole {
  return p.kind === 'token' ? 'liaison' : p.officer.role;
}

/** The actor the router records: role and body, never more than the desk knows is needed. */
export function actorOf(p: Principal): Actor {
  if (p.kind === 'token') return { kind: 'officer', officerId: `token:${p.token.id}`, role: 'liaison', bodyCode: p.token.bodyCode, displayName: `Sistem instansi (${p.token.name})` };
  const o = p.officer;
  return {
    kind: 'officer',
    officerId: o.id,
    role: o.role,
    ...(o.bodyCode ? { bodyCode: o.bodyCode } : {}),
    ...(o.unit ? { unit: o.unit } : {}),
    displayName: o.displayName,
  };
}

export function auditActorOf(p: Principal): AuditActor {
  return p.kind === 'token'
    ? { kind: 'token', id: p.token.id, label: `${p.token.name} (${p.token.prefix}…)` }
    : { kind: 'officer', id: p.officer.id, label: p.officer.email };
}

export function bodyOf(p: Principal): string | null {
  return p.kind === 'token' ? p.token.bodyCode : p.officer.bodyCode;
}

/** Units compare without case or extra spaces ("Dinas PU" = "dinas  pu"). */
export function sameUnit(a: string | null | undefined, b: string | null | undefined): boolean {
  const n = (s: string | null | undefined) => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  return !!a && !!b && n(a) === n(b);
}
