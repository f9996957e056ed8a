import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkTrackingId } from '@lapor/contracts';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { DeskComplaintEntity } from '../entities';
import { Principal, sameUnit, scopeOf } from './principal';

/** Out of scope and unknown look the same: 404, never 403, so existence does not leak. */
export const NOT_FOUND_MESSAGE = 'Laporan tidak ditemukan';

/** A copy holder knows the complaint exists (it was sent to them), so refusing to act on it is a 403. */
export const COPY_READ_ONLY_MESSAGE = 'Ini tembusan jalur cepat: instansi Anda hanya dapat membacanya. Tindakan dilakukan oleh instansi penanggung jawab.';

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

  /**
   * The complaint if the principal may see it; otherwise 404 (unknown, malformed or out of
   * scope alike). A coordinating body holding a fast lane's copy (docs/fast-lanes.md) may
   * read it where `copies` is 'read' and is refused (403) everywhere else: it never acts.
   */
  async complaint(principal: Principal, rawTrackingId: string, options: { copies?: 'read' | 'refuse' } = {}): Promise<DeskComplaintEntity> {
    const check = checkTrackingId(rawTrackingId);
    if (!check.ok) throw new NotFoundException(NOT_FOUND_MESSAGE);
    const complaint = await this.db.manager.findOne(DeskComplaintEntity, { where: { trackingId: check.trackingId } });
    if (!complaint) throw new NotFoundException(NOT_FOUND_MESSAGE);
    if (this.sees(principal, complaint)) return complaint;
    if (await this.holdsCopy(principal, complaint.trackingId)) {
      if (options.copies === 'read') return complaint;
      throw new ForbiddenException(COPY_READ_ONLY_MESSAGE);
    }
    throw new NotFoundException(NOT_FOUND_MESSAGE);
  }

  /** Whether the principal's body holds a fast lane's read-only copy of the complaint (any official of that body, or its token). */
  async holdsCopy(principal: Principal, trackingId: string): Promise<boolean> {
    const scope = scopeOf(principal);
    if (scope.all) return false;
    const [row] = (await this.db.query('SELECT 1 FROM desk_complaint_copies WHERE tracking_id = $1 AND body_code = $2', [trackingId, scope.bodyCode])) as unknown[];
    return !!row;
  }

  sees(principal: Principal, c: Pick<DeskComplaintEntity, 'bodyCode' | 'unit' | 'bodyKind'>): boolean {
    const scope = scopeOf(principal);
    if (scope.all) return true;
    if (c.bodyKind === 'triage' || c.bodyCode !== scope.bodyCode) return false;
    return scope.unit === undefined || sameUnit(scope.unit, c.unit);
  }

  /** Adds the principal's scope to a query over desk_complaints aliased `c`: the own complaints, and the fast-lane copies the body holds. */
  restrict(principal: Principal, qb: SelectQueryBuilder<DeskComplaintEntity>): SelectQueryBuilder<DeskComplaintEntity> {
    const scope = scopeOf(principal);
    if (scope.all) return qb;
    const unit = scope.unit !== undefined ? ` AND lower(regexp_replace(trim(c.unit), '\\s+', ' ', 'g')) = :scopeUnit` : '';
    const copy = `EXISTS (SELECT 1 FROM desk_complaint_copies cc WHERE cc.tracking_id = c.tracking_id AND cc.body_code = :scopeBody)`;
    qb.andWhere(`((c.body_code = :scopeBody AND c.body_kind <> 'triage'${unit}) OR ${copy})`, {
      scopeBody: scope.bodyCode,
      ...(scope.unit !== undefined ? { scopeUnit: scope.unit.trim().replace(/\s+/g, ' ').toLowerCase() } : {}),
    });
    return qb;
  }

  /** Management of a body (officers, tokens, webhook): the national admin any, a liaison or token only their own; else 404. */
  assertBody(principal: Principal, bodyCode: string | null | undefined): void {
    const scope = scopeOf(principal);
    if (scope.all) return;
    if (!bodyCode || bodyCode !== scope.bodyCode || scope.unit !== undefined) throw new NotFoundException('Tidak ditemukan');
  }
}
