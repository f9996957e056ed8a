import { BadRequestException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Assignment, ComplaintStatus, isTerminal } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { ComplaintEntity } from '../entities';
import { BodyRoutingService } from '../routing/body-routing.service';
import { ComplaintRecordService, EventsPendingError } from './complaint-record.service';
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
  private readonly log = new Logger(AdminQueueService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly routing: BodyRoutingService,
    private readonly records: ComplaintRecordService,
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
   * An admin assigns the body (and optionally the unit); the complainant is told as for any
   * status change. Once the change is committed the call succeeds: if the bus refuses its
   * event right now, the event waits in the outbox for the relay (a retry would assign twice).
   */
  async assign(trackingId: string, input: { code: string; unit?: string; by?: string }): Promise<void> {
    const body = this.routing.describe(input.code);
    if (!body) throw new BadRequestException(`unknown body code "${input.code}" (a region code such as 32.73 or an agency slug)`);
    const note = `Ditetapkan oleh admin${input.by ? ` (${input.by})` : ''}: ${body.name}${input.unit ? `, ${input.unit}` : ''}`;
    try {
      await this.records.change(trackingId, trackingId, async (c) => {
        if (isTerminal(c.complaint.status)) throw new ConflictException(`complaint is ${c.complaint.status}`);
        await c.setStatus(
          'assigned',
          note,
          { assignmentKind: body.kind, assignmentCode: body.code, assignmentName: body.name, assignmentUnit: input.unit ?? null },
          { actor: { kind: 'officer', role: 'national-admin' } },
        );
      });
    } catch (error) {
      if (!(error instanceof EventsPendingError)) throw error;
      this.log.warn(error.message);
    }
  }
}
