import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ComplaintStatus } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { ComplaintEntity } from '../entities';

/**
 * The only columns a public read touches: never the text, the position, the reporter, the
 * sender or the reply addresses, so nothing about the reporter can leave through it.
 */
const PUBLIC_COLUMNS = ['trackingId', 'status', 'category', 'assignmentKind', 'assignmentCode', 'assignmentName', 'registeredAt'] as const;
export type PublicComplaintRow = Pick<ComplaintEntity, (typeof PUBLIC_COLUMNS)[number]>;

export interface PublicComplaintFilter {
  ids?: string[];
  categories?: string[];
  statuses?: readonly ComplaintStatus[];
  excludedStatuses?: readonly ComplaintStatus[];
  from?: Date;
  to?: Date;
  limit: number;
}

export interface PublicTimelineSummary {
  /** When its latest step happened. */
  updatedAt: Date;
  /** The body's latest response to the reporter (a `responded` step's message). */
  response: string | null;
}

/** The router's public reads of the complaint record (Open311's lists): Rahasia complaints are never selected. */
@Injectable()
export class PublicComplaintRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Non-Rahasia complaints matching every given filter, newest first (ix_complaints_public). */
  find(filter: PublicComplaintFilter): Promise<PublicComplaintRow[]> {
    const qb = this.db.manager
      .createQueryBuilder(ComplaintEntity, 'c')
      .select(PUBLIC_COLUMNS.map((column) => `c.${column}`))
      .where('c.confidential = false');
    if (filter.ids) qb.andWhere('c.tracking_id IN (:...ids)', { ids: filter.ids });
    if (filter.categories) qb.andWhere('c.category IN (:...categories)', { categories: filter.categories });
    if (filter.statuses) qb.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.excludedStatuses) qb.andWhere('c.status NOT IN (:...excluded)', { excluded: filter.excludedStatuses });
    if (filter.from) qb.andWhere('c.registered_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('c.registered_at <= :to', { to: filter.to });
    return qb.orderBy('c.registeredAt', 'DESC').addOrderBy('c.trackingId', 'DESC').limit(filter.limit).getMany();
  }

  async timelines(trackingIds: string[]): Promise<Map<string, PublicTimelineSummary>> {
    if (!trackingIds.length) return new Map();
    const rows: { tracking_id: string; updated_at: Date | string; response: string | null }[] = await this.db.query(
      `SELECT tracking_id, max(at) AS updated_at,
              (array_agg(reporter_message ORDER BY sequence DESC) FILTER (WHERE status = 'responded' AND reporter_message IS NOT NULL))[1] AS response
         FROM complaint_status_changes
        WHERE tracking_id = ANY($1::varchar[])
        GROUP BY tracking_id`,
      [trackingIds],
    );
    return new Map(rows.map((r) => [r.tracking_id, { updatedAt: new Date(r.updated_at), response: r.response }]));
  }
}
