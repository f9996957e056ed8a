import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AgencyComplaintView, ComplaintView, ReporterIdentity } from '@lapor/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { ComplaintEntity, ComplaintMessageEntity, StatusChangeEntity } from '../entities';
import { agencyView, citizenView, reporterIdentity } from './complaint-views';

/** Read side of the complaint record: the citizen's view, the officials' view, and the reporter's identity (for the audited reveal). */
@Injectable()
export class ComplaintQueryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async view(trackingId: string): Promise<ComplaintView | null> {
    const c = await this.db.manager.findOne(ComplaintEntity, { where: { trackingId } });
    if (!c) return null;
    return citizenView(c, await this.history(this.db.manager, trackingId));
  }

  /** `m` lets a writer read its own uncommitted change (the action API answers with the view after it). */
  async agencyView(trackingId: string, m: EntityManager = this.db.manager): Promise<AgencyComplaintView | null> {
    const c = await m.findOne(ComplaintEntity, { where: { trackingId } });
    if (!c) return null;
    const messages = await m.find(ComplaintMessageEntity, { where: { trackingId }, order: { receivedAt: 'ASC' } });
    return agencyView(c, messages, await this.history(m, trackingId));
  }

  /** undefined: no such complaint; null: it has no identity to reveal. */
  async reporter(trackingId: string): Promise<{ anonymous: boolean; identity: ReporterIdentity | null } | undefined> {
    const c = await this.db.manager.findOne(ComplaintEntity, { where: { trackingId } });
    return c ? { anonymous: c.anonymous, identity: reporterIdentity(c) } : undefined;
  }

  private history(m: EntityManager, trackingId: string): Promise<StatusChangeEntity[]> {
    return m.find(StatusChangeEntity, { where: { trackingId }, order: { sequence: 'ASC' } });
  }
}
