import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkTrackingId } from '@lapor/contracts';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { DeskComplaintEntity } from '../entities';
import { Principal, sameUnit, scopeOf } from './principal';

/** Out of scope and unknown look the same: 404, never 403, so existence does not leak. */
export const NOT_FOUND_MESSAGE = 'Laporan tidak ditemukan';

/**
 * The one place that decides what a principal may see: the national admin everything, a
 * liaison (or a body's token) their body's complaints, an officer the complaints disposed
 * to their unit. Every complaint route resolves its complaint through here (the guard does
 * it for `:trackingId`), lists and exports filter with `restrict`, management routes check
 * the body with `assertBody`.
 */
@Injectable()
export class ScopeService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The complaint if the principal may see it; otherwise 404 (unknown, malformed or out of scope alike). */
  async complaint(principal: Principal, rawTrackingId: string): Promise<DeskComplaintEntity> {
    const check = checkTrackingId(rawTrackingId);
    if (!check.ok) throw new NotFoundException(NOT_FOUND_MESSAGE);
    const complaint = await this.db.manager.findOne(DeskComplaintEntity, { where: { trackingId: check.trackingId } });
    if (!complaint || !this.sees(principal, complaint)) throw new NotFoundException(NOT_FOUND_MESSAGE);
    return complaint;
  }

  sees(principal: Principal, c: Pick<DeskComplaintEntity, 'bodyCode' | 'unit' | 'bodyKind'>): boolean {
    const scope = scopeOf(principal);
    if (scope.all) return true;
    if (c.bodyKind === 'triage' || c.bodyCode !== scope.bodyCode) return false;
    return scope.unit === undefined || sameUnit(scope.unit, c.unit);
  }

  /** Adds the principal's scope to a query over desk_complaints aliased `c`. */
  restrict(principal: Principal, qb: SelectQueryBuilder<DeskComplaintEntity>): SelectQueryBuilder<DeskComplaintEntity> {
    const scope = scopeOf(principal);
    if (scope.all) return qb;
    qb.andWhere(`c.body_code = :scopeBody AND c.body_kind <> 'triage'`, { scopeBody: scope.bodyCode });
    if (scope.unit !== undefined) qb.andWhere(`lower(regexp_replace(trim(c.unit), '\\s+', ' ', 'g')) = :scopeUnit`, { scopeUnit: scope.unit.trim().replace(/\s+/g, ' ').toLowerCase() });
    return qb;
  }

  /** Management of a body (officers, tokens, webhook): the national admin any, a liaison or token only their own; else 404. */
  assertBody(principal: Principal, bodyCode: string | null | undefined): void {
    const scope = scopeOf(principal);
    if (scope.all) return;
    if (!bodyCode || bodyCode !== scope.bodyCode || scope.unit !== undefined) throw new NotFoundException('Tidak ditemukan');
  }
}
