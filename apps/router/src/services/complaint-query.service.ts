import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ComplaintView, statusLabel, timeZoneOfRegion } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { ComplaintEntity, StatusChangeEntity } from '../entities';
import { assignmentOf } from './complaint.mapper';

/** Read side of the complaint record: what a citizen may see about their complaint. */
@Injectable()
export class ComplaintQueryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async view(trackingId: string): Promise<ComplaintView | null> {
    const c = await this.db.manager.findOne(ComplaintEntity, { where: { trackingId } });
    if (!c) return null;
    const zone = timeZoneOfRegion(c.assignmentCode);
    const history = await this.db.manager.find(StatusChangeEntity, { where: { trackingId }, order: { sequence: 'ASC' } });
    return {
      trackingId: c.trackingId,
      status: c.status,
      statusLabel: statusLabel(c.status),
      channel: c.channel,
      assignment: assignmentOf(c),
      history: history.map((h) => ({ status: h.status, label: statusLabel(h.status), at: h.at.toISOString() })),
      registeredAt: c.registeredAt.toISOString(),
      timeZone: { name: zone.name, abbreviation: zone.abbreviation },
      mergedInto: null,
    };
  }
}
