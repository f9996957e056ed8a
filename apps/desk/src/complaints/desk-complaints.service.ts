import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AgencyComplaintView,
  availableActions,
  ComplaintAction,
  DeskComplaintDetail,
  DeskComplaintPage,
  DeskComplaintQuery,
  DeskComplaintSummary,
  ReporterIdentity,
  statusLabel,
  isTerminal,
  ComplaintStatus,
} from '@lapor/contracts';
import { DataSource, In } from 'typeorm';
import { actorOf, auditActorOf, Principal } from '../access/principal';
import { NOT_FOUND_MESSAGE, ScopeService } from '../access/scope.service';
import { AuditService } from '../audit/audit.service';
import { RouterClient } from '../clients/router.client';
import { DeskComplaintEntity, FastLaneEntity } from '../entities';
import { FastLaneMatchingService } from '../fast-lanes/fast-lane-matching.service';
import { RoutingExamplesService } from '../learning/routing-examples.service';
import { ReadModelService } from '../read-model/read-model.service';

/** `open` in a status filter: every status that is not final. */
export const OPEN_STATUSES = ComplaintStatus.options.filter((s) => !isTerminal(s));

export const EXPORT_MAX_ROWS = 10_000;

/**
 * What officials do with complaints: the queue (read model, scoped), the details (from the
 * router at request time), actions (applied by the router, the record's owner), the CSV
 * export and the national admin's reveal of an Anonim reporter. Scope is checked before
 * any of these (DeskAuthGuard / ScopeService); the router checks the lifecycle.
 */
@Injectable()
export class DeskComplaintsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly scope: ScopeService,
    private readonly router: RouterClient,
    private readonly readModel: ReadModelService,
    private readonly audit: AuditService,
    private readonly examples: RoutingExamplesService,
    private readonly fastLanes: FastLaneMatchingService,
  ) {}

  /** Fast-lane (priority) complaints first, then the oldest first. */
  async list(principal: Principal, query: DeskComplaintQuery): Promise<DeskComplaintPage> {
    const qb = this.ordered(this.query(principal, query));
    const [rows, total] = await qb.skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
    return { items: await this.summaries(principal, rows), page: query.page, pageSize: query.pageSize, total };
  }

  async export(principal: Principal, query: DeskComplaintQuery, clientAddress: string): Promise<DeskComplaintSummary[]> {
    const rows = await this.ordered(this.query(principal, query)).take(EXPORT_MAX_ROWS).getMany();
    await this.audit.record({ actor: auditActorOf(principal), action: 'complaint.export', clientAddress, detail: { rows: rows.length, filter: { ...query, page: undefined, pageSize: undefined } } });
    return this.summaries(principal, rows);
  }

  /** `complaint` passed the guard: if the caller does not see it as its own, it holds a fast lane's read-only copy. */
  async detail(principal: Principal, complaint: DeskComplaintEntity, clientAddress: string): Promise<DeskComplaintDetail> {
    const view = await this.router.view(complaint.trackingId);
    if (!view) throw new NotFoundException(NOT_FOUND_MESSAGE);
    const lane = complaint.fastLaneId ? await this.db.manager.findOne(FastLaneEntity, { where: { id: complaint.fastLaneId } }) : null;
    const fastLane = lane ? { id: lane.id, slug: lane.slug, name: lane.name } : null;
    if (!this.scope.sees(principal, complaint) && (await this.scope.holdsCopy(principal, complaint.trackingId))) {
      await this.readModel.onView(view);
      // A copy is for coordination: the messages and the timeline, never the reporter's identity (Anonim or not), no actions.
      return { ...view, reporter: null, availableActions: [], fastLane, copy: true };
    }
    return { ...(await this.answer(principal, view, clientAddress)), fastLane, copy: false };
  }

  /**
   * `expectedVersion` makes a stale form fail with 409 instead of overwriting a colleague's
   * change; `idempotencyKey` (the form's own key, or the API's Idempotency-Key header) makes
   * a retried request apply once (the router answers the current state).
   */
  async act(principal: Principal, complaint: DeskComplaintEntity, action: ComplaintAction, clientAddress: string, options: { expectedVersion?: number; idempotencyKey?: string } = {}): Promise<DeskComplaintDetail> {
    // Merging names a second complaint: it must be one the caller may see, or it does not exist for them.
    if (action.action === 'merge') await this.scope.complaint(principal, action.into);
    const actor = actorOf(principal);
    const outcome = await this.router.apply(complaint.trackingId, {
      action,
      actor,
      ...(options.expectedVersion !== undefined ? { expectedVersion: options.expectedVersion } : {}),
      ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    });
    if (outcome.kind === 'not-found') throw new NotFoundException(NOT_FOUND_MESSAGE);
    const audit = { actor: auditActorOf(principal), trackingId: complaint.trackingId, bodyCode: complaint.bodyCode, clientAddress };
    if (outcome.kind === 'conflict') {
      await this.audit.record({ ...audit, action: 'complaint.action.refused', detail: { action: action.action, status: complaint.status, reason: outcome.reason } });
      throw new ConflictException(outcome.reason);
    }
    if (outcome.kind === 'invalid') throw new BadRequestException(outcome.reason);
    const view = outcome.view;
    const applied = await this.readModel.onView(view);
    // An assignment out of triage (or a return, a forward) can bring the complaint into a fast lane; the event that follows is already stale.
    if (applied && (applied.before.bodyCode !== applied.after.bodyCode || applied.before.unit !== applied.after.unit)) await this.fastLanes.onMoved(applied.after, complaint.trackingId);
    await this.audit.record({ ...audit, action: 'complaint.action', detail: { action: action.action, from: complaint.status, to: view.status, ...auditDetail(action) } });
    await this.examples.record(action, complaint, view);
    // After a return or forward the complaint may have left the caller's scope: they get the new state without details.
    return this.answer(principal, view, clientAddress, { allowOutOfScope: true });
  }

  async revealReporter(principal: Principal, complaint: DeskComplaintEntity, reason: string, clientAddress: string): Promise<ReporterIdentity | null> {
    await this.audit.record({ actor: auditActorOf(principal), action: 'reporter.reveal', trackingId: complaint.trackingId, bodyCode: complaint.bodyCode, clientAddress, detail: { reason, anonymous: complaint.anonymous } });
    return this.router.reporter(complaint.trackingId, actorOf(principal), reason);
  }

  private async answer(principal: Principal, view: AgencyComplaintView, clientAddress: string, options: { allowOutOfScope?: boolean } = {}): Promise<DeskComplaintDetail> {
    await this.readModel.onView(view);
    const inScope = this.scope.sees(principal, { bodyKind: view.assignment?.kind ?? null, bodyCode: view.assignment?.code ?? null, unit: view.assignment?.unit ?? null });
    if (!inScope && !options.allowOutOfScope) throw new NotFoundException(NOT_FOUND_MESSAGE);
    // Belt and braces: whatever the router sent, an Anonim reporter's identity never leaves here.
    const reporter = view.anonymous ? null : view.reporter;
    if (reporter && inScope) {
      await this.audit.record({ actor: auditActorOf(principal), action: 'reporter.read', trackingId: view.trackingId, bodyCode: view.assignment?.code ?? null, clientAddress });
    }
    const actions = principal.kind === 'token' && principal.token.readOnly ? [] : availableActions(view.status, actorOf(principal));
    if (!inScope) return { ...view, reporter: null, messages: [], decision: null, timeline: [], availableActions: [] };
    return { ...view, reporter, availableActions: actions };
  }

  private ordered(qb: ReturnType<DeskComplaintsService['query']>) {
    return qb.orderBy('c.priority', 'DESC').addOrderBy('c.registered_at', 'ASC', 'NULLS LAST').addOrderBy('c.tracking_id', 'ASC');
  }

  /** Summaries with their lane's name, and whether the caller holds only a copy. */
  private async summaries(principal: Principal, rows: DeskComplaintEntity[]): Promise<DeskComplaintSummary[]> {
    const ids = [...new Set(rows.map((r) => r.fastLaneId).filter((id): id is string => !!id))];
    const lanes = new Map((ids.length ? await this.db.manager.find(FastLaneEntity, { where: { id: In(ids) } }) : []).map((l) => [l.id, l]));
    return rows.map((r) => summaryOf(r, { lane: r.fastLaneId ? lanes.get(r.fastLaneId) : undefined, copy: !this.scope.sees(principal, r) }));
  }

  private query(principal: Principal, q: DeskComplaintQuery) {
    const qb = this.db.manager.createQueryBuilder(DeskComplaintEntity, 'c');
    this.scope.restrict(principal, qb);
    const statuses = q.status === undefined ? [] : Array.isArray(q.status) ? q.status : [q.status];
    if (statuses.length) qb.andWhere('c.status IN (:...statuses)', { statuses });
    if (q.unit) qb.andWhere(`lower(c.unit) = :unit`, { unit: q.unit.toLowerCase() });
    if (q.channel) qb.andWhere('c.channel = :channel', { channel: q.channel });
    if (q.type) qb.andWhere('c.submission_type = :type', { type: q.type });
    if (q.body === 'triage') qb.andWhere(`c.body_kind = 'triage'`);
    else if (q.body) qb.andWhere('c.body_code = :body', { body: q.body });
    return qb;
  }
}

/** What the audit keeps of an action: its fields except free text the reporter will read (kept by the router). */
function auditDetail(action: ComplaintAction): Record<string, unknown> {
  const { action: _name, ...rest } = action as Record<string, unknown>;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === 'string' && v.length > 500 ? `${v.slice(0, 500)}…` : v]));
}

export function summaryOf(c: DeskComplaintEntity, extra: { lane?: Pick<FastLaneEntity, 'id' | 'slug' | 'name'>; copy?: boolean } = {}): DeskComplaintSummary {
  const triage = c.bodyKind === 'triage';
  const suggestions = triage
    ? (c.routing?.bodyAlternatives ?? []).map((a) => ({ code: a.code, name: a.name, confidence: a.confidence }))
    : (c.routing?.unitAlternatives ?? []).map((a) => ({ unit: a.unit, confidence: a.confidence }));
  return {
    trackingId: c.trackingId,
    status: c.status,
    statusLabel: statusLabel(c.status),
    statusAt: c.statusAt?.toISOString() ?? null,
    submissionType: c.submissionType,
    channel: c.channel,
    body: c.bodyKind ? { kind: c.bodyKind, code: c.bodyCode, name: c.bodyName } : null,
    unit: c.unit,
    anonymous: c.anonymous,
    confidential: c.confidential,
    excerpt: c.excerpt,
    receivedAt: c.receivedAt?.toISOString() ?? null,
    registeredAt: c.registeredAt?.toISOString() ?? null,
    version: c.version,
    suggestions,
    priority: c.priority,
    fastLane: extra.lane ? { id: extra.lane.id, slug: extra.lane.slug, name: extra.lane.name } : null,
    copy: extra.copy ?? false,
  };
}
