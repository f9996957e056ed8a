import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { BodyKind, Channel, ComplaintStatus } from '@lapor/contracts';
import { DataSource } from 'typeorm';

/** What a public read takes from a complaint: never the text, the position, the reporter, the sender or the reply addresses. */
export interface PublicComplaintRow {
  trackingId: string;
  status: ComplaintStatus;
  /** Its service code (see SERVICE_CODE); null when it has none. */
  serviceCode: string | null;
  assignmentKind: BodyKind | null;
  assignmentCode: string | null;
  assignmentName: string | null;
  registeredAt: Date;
}

export interface PublicComplaintFilter {
  ids?: string[];
  serviceCodes?: string[];
  statuses?: readonly ComplaintStatus[];
  excludedStatuses?: readonly ComplaintStatus[];
  excludedChannels?: readonly Channel[];
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

/**
 * A complaint's service code ($1: the catalogue's codes): the category it was filed under when
 * that is a catalogue code (Open311, the web form), else the first catalogue rule routing
 * matched (SMS and chat complaints have no category). Never the free text of a category.
 */
const SERVICE_CODE = `COALESCE(
  CASE WHEN c.category = ANY($1::varchar[]) THEN c.category END,
  (SELECT e ->> 'ref' FROM jsonb_array_elements(COALESCE(c.decision -> 'evidence', '[]'::jsonb)) WITH ORDINALITY AS x(e, i)
    WHERE e ->> 'type' = 'rule' AND e ->> 'ref' = ANY($1::varchar[]) ORDER BY i LIMIT 1))`;

/** The router's public reads of the complaint record (Open311's lists): Rahasia complaints are never selected. */
@Injectable()
export class PublicComplaintRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Non-Rahasia complaints matching every given filter, newest first (ix_complaints_public). */
  async find(filter: PublicComplaintFilter, catalogue: readonly string[]): Promise<PublicComplaintRow[]> {
    const params: unknown[] = [catalogue];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['c.confidential = false'];
    if (filter.ids) where.push(`c.tracking_id = ANY(${param(filter.ids)}::varchar[])`);
    if (filter.statuses) where.push(`c.status = ANY(${param(filter.statuses)}::varchar[])`);
    if (filter.excludedStatuses) where.push(`c.status <> ALL(${param(filter.excludedStatuses)}::varchar[])`);
    if (filter.excludedChannels) where.push(`c.channel <> ALL(${param(filter.excludedChannels)}::varchar[])`);
    if (filter.from) where.push(`c.registered_at >= ${param(filter.from)}`);
    if (filter.to) where.push(`c.registered_at <= ${param(filter.to)}`);
    if (filter.serviceCodes) where.push(`${SERVICE_CODE} = ANY(${param(filter.serviceCodes)}::varchar[])`);
    const rows: { tracking_id: string; status: ComplaintStatus; service_code: string | null; assignment_kind: BodyKind | null; assignment_code: string | null; assignment_name: string | null; registered_at: Date | string }[] =
      await this.db.query(
        `SELECT c.tracking_id, c.status, ${SERVICE_CODE} AS service_code, c.assignment_kind, c.assignment_code, c.assignment_name, c.registered_at
           FROM complaints c
          WHERE ${where.join(' AND ')}
          ORDER BY c.registered_at DESC, c.tracking_id DESC
          LIMIT ${param(filter.limit)}`,
        params,
      );
    return rows.map((r) => ({
      trackingId: r.tracking_id,
      status: r.status,
      serviceCode: r.service_code,
      assignmentKind: r.assignment_kind,
      assignmentCode: r.assignment_code,
      assignmentName: r.assignment_name,
      registeredAt: new Date(r.registered_at),
    }));
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
