import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ComplaintRegisteredPayload } from '@lapor/contracts';
import { DataSource, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { RouterClient } from '../clients/router.client';
import { ComplaintCopyEntity, DeskComplaintEntity, FastLaneEntity } from '../entities';
import { AgencyNoticesService } from '../delivery/agency-notices.service';
import { ComplaintFacts, factsOfRow, laneMatches, regionCodesOf } from './fast-lane-matcher';
import { FastLanesService } from './fast-lanes.service';

/** The router's excerpt is at most 300 characters; a longer text is cut at a word with "…". */
const EXCERPT_MAY_BE_CUT = 250;

/**
 * Where complaints enter fast lanes: the desk's consumer calls this when a complaint is
 * registered and when it moves to another body (a triage complaint assigned by the national
 * admin, a return, a forward: its region or unit is known only then). A complaint enters at
 * most one lane, once, and stays in it (a lane switched off later does not take back its
 * copies). Entering records the lane and the priority on the read model, creates the
 * coordinating bodies' read-only copies and tells their liaisons (`agency.notice` kind
 * `copy`). Every step is idempotent, so a redelivered event repeats nothing.
 */
@Injectable()
export class FastLaneMatchingService {
  private readonly log = new Logger(FastLaneMatchingService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly lanes: FastLanesService,
    private readonly router: RouterClient,
    private readonly notices: AgencyNoticesService,
    private readonly audit: AuditService,
  ) {}

  /**
   * On `complaint.registered`, before the read model records it: the lane the routing decision
   * and the text put it in, if any (the read model stores it in the same transaction).
   */
  async laneForRegistration(p: ComplaintRegisteredPayload): Promise<FastLaneEntity | null> {
    return this.match(p.trackingId, {
      text: p.excerpt ?? '',
      regionCodes: regionCodesOf(p.decision),
      labels: [p.decision.unit?.unit, p.decision.unit?.alternatives[0]?.unit].filter((l): l is string => !!l),
      receivedAt: new Date(p.receivedAt ?? p.registeredAt),
    });
  }

  /** After the read model recorded the registration: the audit entry (if it entered now), the copies and their notices. */
  async afterRegistration(row: DeskComplaintEntity, entered: boolean, correlationId: string): Promise<void> {
    if (!row.fastLaneId) return;
    const lane = await this.db.manager.findOne(FastLaneEntity, { where: { id: row.fastLaneId } });
    if (!lane) return;
    if (entered) await this.recordEntry(row, lane);
    await this.deliverCopies(row, lane, correlationId);
  }

  /** After a status change moved the complaint to another body (or unit): match again with what is known now. */
  async onMoved(row: DeskComplaintEntity, correlationId: string): Promise<void> {
    if (!row.registeredSeen) return; // the registration will match with the routing decision
    if (row.fastLaneId) return this.afterRegistration(row, false, correlationId);
    const lane = await this.match(row.trackingId, factsOfRow(row));
    if (!lane) return;
    const entered = await this.db
      .createQueryBuilder()
      .update(DeskComplaintEntity)
      .set({ fastLaneId: lane.id, priority: true, fastLaneAt: () => 'now()', updatedAt: () => 'now()' })
      .where('tracking_id = :trackingId AND fast_lane_id IS NULL', { trackingId: row.trackingId })
      .execute();
    const fresh = (await this.db.manager.findOne(DeskComplaintEntity, { where: { trackingId: row.trackingId } }))!;
    await this.afterRegistration(fresh, !!entered.affected, correlationId);
  }

  /** The first active lane (oldest first) whose rules hold. */
  private async match(trackingId: string, facts: ComplaintFacts): Promise<FastLaneEntity | null> {
    const lanes = await this.lanes.active();
    if (!lanes.length) return null;
    const lane = lanes.find((l) => laneMatches(l.rules, facts));
    if (lane) return lane;
    // The excerpt may have been cut before the keyword: read the whole text from the router, only when it could matter.
    if (facts.text.length < EXCERPT_MAY_BE_CUT || !lanes.some((l) => l.rules.keywords.length && laneMatches({ ...l.rules, keywords: [] }, facts))) return null;
    const view = await this.router.view(trackingId);
    if (!view) return null;
    const text = view.messages.map((m) => m.text).join('\n');
    return lanes.find((l) => laneMatches(l.rules, { ...facts, text })) ?? null;
  }

  private async recordEntry(row: DeskComplaintEntity, lane: FastLaneEntity): Promise<void> {
    await this.audit.record({
      actor: { kind: 'system', label: 'jalur cepat' },
      action: 'fast-lane.match',
      trackingId: row.trackingId,
      bodyCode: row.bodyCode,
      detail: { lane: lane.id, slug: lane.slug, version: lane.version, copies: lane.coordinatingBodies },
    });
    this.log.log(`${row.trackingId}: entered fast lane "${lane.slug}" (copies to ${lane.coordinatingBodies.join(', ') || 'nobody'})`);
  }

  /** The copies of the complaint's lane (the responsible body itself gets none) and their notices, each once. */
  private async deliverCopies(row: DeskComplaintEntity, lane: FastLaneEntity, correlationId: string): Promise<void> {
    const bodies = lane.coordinatingBodies.filter((b) => b !== row.bodyCode);
    if (bodies.length) {
      await this.db
        .createQueryBuilder()
        .insert()
        .into(ComplaintCopyEntity)
        .values(bodies.map((bodyCode) => ({ trackingId: row.trackingId, bodyCode, laneId: lane.id })))
        .orIgnore()
        .execute();
    }
    const pending = await this.db.manager.find(ComplaintCopyEntity, { where: { trackingId: row.trackingId, notifiedAt: IsNull() } });
    for (const copy of pending) {
      await this.notices.announceCopy(row, copy.bodyCode, lane, correlationId);
      await this.db.query('UPDATE desk_complaint_copies SET notified_at = now() WHERE tracking_id = $1 AND body_code = $2', [copy.trackingId, copy.bodyCode]);
    }
  }
}
