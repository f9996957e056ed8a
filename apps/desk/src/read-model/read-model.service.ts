import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AgencyComplaintView, ComplaintRegisteredPayload, ComplaintStatusChangedPayload, RoutingDecision } from '@lapor/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { DeskComplaintEntity, RoutingSummary } from '../entities';
import { regionCodesOf } from '../fast-lanes/fast-lane-matcher';
import { actionOf, StatsWriterService } from '../stats/stats-writer.service';

/** What changed when an update was applied (null: it was older than what the read model has). */
export interface Applied {
  before: DeskComplaintEntity;
  after: DeskComplaintEntity;
}

/**
 * The desk's read model of complaints, projected from the router's events and from its
 * answers to actions. Idempotent and order-tolerant: `complaint.registered` and
 * `complaint.status-changed` are different topics, so either may arrive first; a status
 * update applies only if it is newer (higher sequence, or the same sequence and a higher
 * version). The reporter's identity (`senderId`, `replyTo`, `reporter`) is never stored.
 */
@Injectable()
export class ReadModelService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stats: StatsWriterService,
  ) {}

  /**
   * `laneId`: the fast lane the registration matched (FastLaneMatchingService), recorded in the
   * same transaction, so a complaint is never seen registered without its priority. `entered`
   * says whether this call put it there (false when it already was in a lane).
   */
  async onRegistered(p: ComplaintRegisteredPayload, laneId?: string): Promise<{ row: DeskComplaintEntity; entered: boolean }> {
    return this.withRow(p.trackingId, async (tx, row) => {
      const entered = !!laneId && !row.fastLaneId;
      if (entered) Object.assign(row, { fastLaneId: laneId, priority: true, fastLaneAt: new Date() });
      Object.assign(row, {
        channel: p.channel,
        anonymous: p.anonymous,
        confidential: p.confidential,
        excerpt: p.excerpt ?? row.excerpt,
        routing: routingSummary(p.decision),
        receivedAt: p.receivedAt ? new Date(p.receivedAt) : (row.receivedAt ?? new Date(p.registeredAt)),
        registeredAt: new Date(p.registeredAt),
        registeredSeen: true,
        submissionType: row.submissionType ?? p.submissionType ?? null,
      });
      // Before any status change arrived, the routing decision tells where it is.
      if (row.lastSequence === 0) Object.assign(row, bodyFields({ kind: p.decision.kind, code: p.decision.code, name: p.decision.name, unit: p.decision.unit?.needsReview === false ? p.decision.unit.unit : null }));
      await tx.save(DeskComplaintEntity, row);
      await this.stats.apply(tx, row, []);
      return { row, entered };
    });
  }

  /** Applies a status change if it is newer than what the read model has; returns before/after, or null when stale. */
  async onStatusChanged(p: ComplaintStatusChangedPayload): Promise<Applied | null> {
    return this.withRow(p.trackingId, async (tx, row) => {
      const version = p.version ?? row.version;
      // Statistics see every step, even one older than the read model (its milestone time still counts, once).
      const seen = { statuses: p.event || p.escalation ? [] : [{ status: p.status, at: new Date(p.changedAt) }], actions: actionOf(p, p.sequence, new Date(p.changedAt)) };
      if (!(p.sequence > row.lastSequence || (p.sequence === row.lastSequence && version > row.version))) {
        await this.stats.apply(tx, row, seen.statuses, seen.actions);
        return null;
      }
      const before = { ...row };
      Object.assign(row, {
        status: p.status,
        // A timeline event (a missed deadline, the Ombudsman forward) keeps the status: the time it was entered stays (the objection window runs from it).
        ...(p.event || p.escalation ? {} : { statusAt: new Date(p.changedAt) }),
        ...(p.event === 'forwarded-ombudsman' ? { forwardedToOmbudsmanAt: new Date(p.changedAt) } : {}),
        lastSequence: p.sequence,
        version: Math.max(row.version, version),
        channel: p.channel,
        ...(p.assignment ? bodyFields(p.assignment) : {}),
        ...(p.submissionType ? { submissionType: p.submissionType } : {}),
        ...(p.anonymous !== undefined ? { anonymous: p.anonymous } : {}),
        ...(p.confidential !== undefined ? { confidential: p.confidential } : {}),
        updatedAt: new Date(),
      });
      await tx.save(DeskComplaintEntity, row);
      await this.stats.apply(tx, row, seen.statuses, seen.actions);
      return { before, after: row };
    });
  }

  /** The router's answer to an action or a detail read: the same rule, by timeline sequence and version. */
  async onView(v: AgencyComplaintView): Promise<Applied | null> {
    const last = v.timeline.reduce((a, t) => (t.sequence > a.sequence ? t : a), v.timeline[0] ?? { sequence: 0, at: v.updatedAt });
    // When the current status was entered: the latest step that was not a timeline event (a missed deadline, the Ombudsman forward).
    const entered = v.timeline.findLast((t) => !t.event && !t.escalation) ?? last;
    const statuses = v.timeline.filter((t) => !t.event && !t.escalation).map((t) => ({ status: t.status, at: new Date(t.at) }));
    const actions = v.timeline.flatMap((t) => actionOf(t, t.sequence, new Date(t.at)));
    return this.withRow(v.trackingId, async (tx, row) => {
      if (!(last.sequence > row.lastSequence || (last.sequence === row.lastSequence && v.version > row.version))) {
        await this.stats.apply(tx, row, statuses, actions);
        return null;
      }
      const before = { ...row };
      Object.assign(row, {
        status: v.status,
        statusAt: new Date(entered.at),
        lastSequence: last.sequence,
        ...(v.forwardedToOmbudsmanAt ? { forwardedToOmbudsmanAt: new Date(v.forwardedToOmbudsmanAt) } : {}),
        version: v.version,
        channel: v.channel,
        anonymous: v.anonymous,
        confidential: v.confidential,
        submissionType: v.submissionType,
        receivedAt: row.receivedAt ?? new Date(v.receivedAt),
        registeredAt: row.registeredAt ?? new Date(v.registeredAt),
        excerpt: row.excerpt ?? excerptOf(v.messages[0]?.text ?? ''),
        ...(v.assignment ? bodyFields(v.assignment) : {}),
        ...(!row.routing && v.decision ? { routing: routingSummary(v.decision) } : {}),
        updatedAt: new Date(),
      });
      await tx.save(DeskComplaintEntity, row);
      await this.stats.apply(tx, row, statuses, actions);
      return { before, after: row };
    });
  }

  async markNotified(trackingId: string, sequence: number): Promise<void> {
    await this.db.query('UPDATE desk_complaints SET notified_sequence = GREATEST(notified_sequence, $2) WHERE tracking_id = $1', [trackingId, sequence]);
  }

  get(trackingId: string): Promise<DeskComplaintEntity | null> {
    return this.db.manager.findOne(DeskComplaintEntity, { where: { trackingId } });
  }

  /** Creates the row if missing, then works on it under a row lock (the two topics may be handled at once). */
  private async withRow<T>(trackingId: string, work: (tx: EntityManager, row: DeskComplaintEntity) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO desk_complaints (tracking_id, status) VALUES ($1, 'received') ON CONFLICT (tracking_id) DO NOTHING`, [trackingId]);
      const row = await tx.createQueryBuilder(DeskComplaintEntity, 'c').setLock('pessimistic_write').where('c.tracking_id = :trackingId', { trackingId }).getOneOrFail();
      return work(tx, row);
    });
  }
}

function bodyFields(a: { kind: DeskComplaintEntity['bodyKind']; code: string; name: string; unit?: string | null }): Partial<DeskComplaintEntity> {
  if (a.kind === 'triage') return { bodyKind: 'triage', bodyCode: null, bodyName: a.name || null, unit: null };
  return { bodyKind: a.kind, bodyCode: a.code || null, bodyName: a.name || null, unit: a.unit ?? null };
}

/** The start of the complaint text for queues, at a word boundary. */
export function excerptOf(text: string, max = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 40))}…`;
}

/** Routing's evidence in words, its rules, and its suggestions: for queues, notices and the learning loop. */
export function routingSummary(d: RoutingDecision): RoutingSummary {
  const unitSuggestion = d.unit?.unit ? { unit: d.unit.unit, confidence: d.unit.confidence } : d.unit?.alternatives[0];
  const [regionCode] = regionCodesOf(d);
  return {
    evidence: d.evidence.slice(0, 20).map((e) => e.detail.slice(0, 300)),
    rules: d.evidence.filter((e) => e.type === 'rule' && e.ref).map((e) => e.ref!),
    ...(unitSuggestion ? { unitSuggestion } : {}),
    unitAlternatives: d.unit?.alternatives ?? [],
    bodyAlternatives: d.alternatives.map((a) => ({ kind: a.kind, code: a.code, name: a.name, confidence: a.confidence })),
    ...(d.kind !== 'triage' ? { routedBody: { kind: d.kind, code: d.code, name: d.name } } : {}),
    ...(regionCode ? { regionCode } : {}),
    ...(d.place?.districtName ? { districtName: d.place.districtName } : {}),
    ...(d.place?.villageName ? { villageName: d.place.villageName } : {}),
  };
}
