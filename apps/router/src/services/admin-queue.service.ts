import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Assignment, ComplaintStatus } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { ComplaintEntity } from '../entities';
import { BodyRoutingService } from '../routing/body-routing.service';
import { ComplaintLifecycleService } from './complaint-lifecycle.service';
import { assignmentOf } from './complaint.mapper';

export interface QueueItem {
  trackingId: string;
  registeredAt: string;
  status: ComplaintStatus;
  channel: string;
  text: string;
  confidential: boolean;
  assignment: Assignment | null;
  /** What the router would have chosen: bodies (triage) or units (a body's review queue), best first. */
  suggestions: { kind?: string; code?: string; name?: string; unit?: string; confidence: number }[];
  evidence: { type: string; detail: string }[];
}

/**
 * The people's side of routing: the national triage queue and each body's queue of
 * complaints whose unit the model was unsure of, and the assignment an admin makes.
 * The reporter's identity is never part of a queue item (anonymous or not: routing does not need it).
 */
@Injectable()
export class AdminQueueService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly lifecycle: ComplaintLifecycleService,
    private readonly routing: BodyRoutingService,
  ) {}

  async queue(filter: { body?: string; limit: number }): Promise<QueueItem[]> {
    const qb = this.db.manager.createQueryBuilder(ComplaintEntity, 'c').orderBy('c.registered_at', 'ASC').limit(filter.limit);
    if (filter.body) qb.where(`c.status = 'assigned' AND c.assignment_code = :code AND c.assignment_unit IS NULL`, { code: filter.body });
    else qb.where(`c.status = 'triage'`);
    const rows = await qb.getMany();
    return rows.map((c) => ({
      trackingId: c.trackingId,
      registeredAt: c.registeredAt.toISOString(),
      status: c.status,
      channel: c.channel,
      text: c.text,
      confidential: c.confidential,
      assignment: assignmentOf(c),
      suggestions: filter.body
        ? (c.decision?.unit?.alternatives ?? []).map((a) => ({ unit: a.unit, confidence: a.confidence }))
        : (c.decision?.alternatives ?? []).map((a) => ({ kind: a.kind, code: a.code, name: a.name, confidence: a.confidence })),
      evidence: (c.decision?.evidence ?? []).map((e) => ({ type: e.type, detail: e.detail })),
    }));
  }

  /**
   * An admin assigns the body (and optionally the unit): the lifecycle's `assign` by a
   * national admin (from triage, or correcting routing before the body accepted), so the
   * complainant is told as for any status change. The desk's console replaces this API.
   */
  async assign(trackingId: string, input: { code: string; unit?: string; by?: string }): Promise<void> {
    await this.lifecycle.apply(trackingId, {
      action: { action: 'assign', body: input.code, ...(input.unit ? { unit: input.unit } : {}), note: this.note(input) },
      actor: { kind: 'officer', officerId: `admin-api${input.by ? `:${input.by}` : ''}`.slice(0, 100), role: 'national-admin', ...(input.by ? { displayName: input.by } : {}) },
    });
  }

  /** "Ditetapkan oleh admin (<by>): <body>, <unit>" for officials' timelines. */
  private note(input: { code: string; unit?: string; by?: string }): string {
    const name = this.routing.describe(input.code)?.name ?? input.code;
    return `Ditetapkan oleh admin${input.by ? ` (${input.by})` : ''}: ${name}${input.unit ? `, ${input.unit}` : ''}`.slice(0, 2000);
  }
}
