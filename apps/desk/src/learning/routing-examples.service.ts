import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AgencyComplaintView, ComplaintAction } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { DeskComplaintEntity, RoutingExampleEntity } from '../entities';

/**
 * The learning loop: an official's return, forward or dispose is the answer routing should
 * have given. Each is stored with the text, the place, what routing chose (body, unit,
 * the rules that fired) and what the official chose; `npm run routing -- train --from-db`
 * trains a body's unit model from its dispositions, `npm run routing -- corrections`
 * lists the rules officials corrected most.
 */
@Injectable()
export class RoutingExamplesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(action: ComplaintAction, before: DeskComplaintEntity, after: AgencyComplaintView): Promise<void> {
    if (action.action !== 'return' && action.action !== 'forward' && action.action !== 'dispose') return;
    const sequence = after.timeline.reduce((a, t) => Math.max(a, t.sequence), 0);
    const routing = before.routing;
    const text = after.messages.map((m) => m.text).join('\n').slice(0, 20_000);
    await this.db
      .createQueryBuilder()
      .insert()
      .into(RoutingExampleEntity)
      .values({
        id: randomUUID(),
        trackingId: before.trackingId,
        sequence,
        action: action.action,
        text,
        regionCode: after.location.regionCode ?? routing?.regionCode ?? null,
        districtName: after.decision?.place?.districtName ?? routing?.districtName ?? null,
        villageName: after.decision?.place?.villageName ?? routing?.villageName ?? null,
        routedBodyCode: routing?.routedBody?.code ?? null,
        routedUnit: routing?.unitSuggestion?.unit ?? null,
        routedRules: routing?.rules ?? [],
        chosenBodyCode: action.action === 'forward' ? action.body : action.action === 'dispose' ? before.bodyCode : null,
        chosenUnit: action.action === 'dispose' ? action.unit : null,
        bodyCode: before.bodyCode,
        at: new Date(),
      })
      .orIgnore()
      .execute();
  }
}
