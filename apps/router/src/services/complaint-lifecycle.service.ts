import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Actor,
  AgencyComplaintView,
  ApplyActionRequest,
  checkTransition,
  ClosedBy,
  ComplaintAction,
  ComplaintEscalated,
  DEADLINE_STAGE_LABELS,
  deadlineStageActiveIn,
  isClosedWhileObjecting,
  isTerminal,
  OMBUDSMAN_STAGES,
  ombudsmanEligibility,
  truncateText,
} from '@lapor/contracts';
import { EventPublisher } from '@lapor/runtime';
import { ComplaintEntity, ComplaintMessageEntity, StatusChangeEntity } from '../entities';
import { BodyRoutingService } from '../routing/body-routing.service';
import { ComplaintQueryService } from './complaint-query.service';
import { ComplaintRecordService, EventsPendingError, RecordChange, StatusDetails } from './complaint-record.service';
import { escalationPayload } from './ombudsman-escalation';

/** The reporter's answer when it arrived as a message (already stored by the caller); otherwise the lifecycle stores the action's text as one. */
export interface ApplyOptions {
  idempotencyKey?: string;
  expectedVersion?: number;
  /** provide-info whose text is already stored as a complaint message (an SMS or web answer threaded by the router). */
  answerStored?: boolean;
}

/** PostgreSQL gave up on one of two transactions waiting for each other (two merges into each other at once). */
const CONFLICTING_TRANSACTION = new Set(['40P01', '40001']);

/**
 * The complaint lifecycle, applied by the record's owner (docs/agency-desk.md, "Lifecycle").
 * Each action is one change of the record under its row lock (ComplaintRecordService):
 * the action's idempotency key and `expectedVersion` are checked, `checkTransition`
 * decides legality (409 with its reason in Bahasa Indonesia), the record is updated
 * (status, body, unit, type, version + 1), the status appended with who acted and what
 * the reporter is told, and the events written to the outbox in the same transaction.
 * Scope (which body, which unit) is the desk's check; the router trusts it.
 */
@Injectable()
export class ComplaintLifecycleService {
  private readonly log = new Logger(ComplaintLifecycleService.name);

  constructor(
    private readonly records: ComplaintRecordService,
    private readonly routing: BodyRoutingService,
    private readonly query: ComplaintQueryService,
    private readonly publisher: EventPublisher,
  ) {}

  /** `POST /internal/v1/complaints/{trackingId}/actions`: applies it and answers the complaint as officials see it afterwards. */
  async apply(trackingId: string, request: ApplyActionRequest): Promise<AgencyComplaintView> {
    try {
      return await this.records.change(trackingId, trackingId, async (c) => {
        await this.applyWithin(c, request.action, request.actor, { idempotencyKey: request.idempotencyKey, expectedVersion: request.expectedVersion });
        return (await this.query.agencyView(trackingId, c.tx))!;
      });
    } catch (error) {
      if (error instanceof EventsPendingError) {
        // Committed: the outbox relay publishes the events; a retry would find the change applied.
        this.log.warn(error.message);
        return (await this.query.agencyView(trackingId))!;
      }
      if (CONFLICTING_TRANSACTION.has((error as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code ?? '')) {
        throw new ConflictException('Laporan sedang diubah bersamaan oleh pihak lain; silakan coba lagi');
      }
      throw error;
    }
  }

  /**
   * Applies one action inside a change that already holds the complaint's lock (the action
   * API, and the router's own threading of a reporter's answer). Returns false when the
   * idempotency key shows it was applied before (nothing changes).
   */
  async applyWithin(c: RecordChange, action: ComplaintAction, actor: Actor, opts: ApplyOptions = {}): Promise<boolean> {
    const complaint = c.complaint;
    if (opts.idempotencyKey && (await c.tx.findOne(StatusChangeEntity, { where: { trackingId: complaint.trackingId, idempotencyKey: opts.idempotencyKey } }))) return false;
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== complaint.version) {
      throw new ConflictException(`Laporan telah diubah oleh pihak lain sejak Anda membukanya (versi ${opts.expectedVersion}, kini ${complaint.version}); muat ulang lalu coba lagi`);
    }
    const check = checkTransition(action.action, complaint.status, actor);
    if (!check.ok) throw new ConflictException(check.reason);
    const details: StatusDetails = { actor, ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}) };

    switch (action.action) {
      case 'assign': {
        const body = this.body(action.body);
        const same = body.code === complaint.assignmentCode;
        await c.setStatus('assigned', action.note ?? `Ditetapkan oleh admin: ${body.name}${action.unit ? `, ${action.unit}` : ''}`, {
          assignmentKind: body.kind,
          assignmentCode: body.code,
          assignmentName: body.name,
          // Re-assigning the same body keeps a unit already chosen unless a new one is named.
          assignmentUnit: action.unit ?? (same ? complaint.assignmentUnit : null),
        }, details);
        return true;
      }
      case 'accept':
        await c.setStatus('accepted', action.note ?? null, {}, details);
        return true;
      case 'return':
        await this.returnAndReroute(c, action.reason, details);
        return true;
      case 'forward': {
        const body = this.body(action.body);
        if (body.code === complaint.assignmentCode) throw new ConflictException(`Laporan sudah berada di ${body.name}`);
        await c.setStatus('assigned', action.reason, { assignmentKind: body.kind, assignmentCode: body.code, assignmentName: body.name, assignmentUnit: null }, details);
        return true;
      }
      case 'dispose':
        await c.setStatus('disposed', action.note ?? null, { assignmentUnit: action.unit }, details);
        return true;
      case 'start':
        await c.setStatus('in_progress', action.note ?? null, {}, details);
        return true;
      case 'request-info':
        await c.setStatus('waiting_info', null, {}, { ...details, reporterMessage: action.question });
        return true;
      case 'provide-info':
        if (!opts.answerStored) await this.storeAnswer(c, action.text, opts.idempotencyKey);
        // Officials see the answer with the step; the reporter wrote it, so it is no message to them.
        await c.setStatus('in_progress', truncateText(action.text, 2000), {}, details);
        return true;
      case 'respond':
        await c.setStatus('responded', null, {}, { ...details, reporterMessage: action.response });
        return true;
      case 'object':
        await c.setStatus('reopened', action.reason ?? null, {}, details);
        return true;
      case 'close': {
        // Closed while the reporter still objects (reopened, no response since): they are offered Ombudsman RI.
        const objecting = isClosedWhileObjecting([...(await this.history(c)), { status: 'closed' }]);
        const offer = objecting && this.offerOmbudsman(c);
        if (offer) await c.update({ ombudsmanOfferedAt: new Date() });
        await c.setStatus('closed', action.note ?? null, {}, { ...details, closedBy: closedByOf(actor), ...(offer ? { ombudsmanOffer: true } : {}) });
        return true;
      }
      case 'archive':
        await c.setStatus('archived', action.note ?? null, {}, { ...details, archiveReason: action.reason, closedBy: closedByOf(actor) });
        return true;
      case 'merge':
        await this.checkMergeTarget(c, action.into, actor);
        await c.setStatus('merged', action.note ?? null, { mergedInto: action.into }, { ...details, mergedInto: action.into });
        return true;
      case 'classify':
        // No status change: the desk updates its read model from the answer.
        if (complaint.submissionType === action.submissionType) return false;
        await c.update({ submissionType: action.submissionType });
        await c.bumpVersion();
        return true;
      case 'escalate':
        await this.escalate(c, action, details);
        return true;
      case 'forward-ombudsman':
        await this.forwardToOmbudsman(c, action.note, details);
        return true;
    }
  }

  /** The offer goes once per complaint, and never after it was forwarded. */
  private offerOmbudsman(c: RecordChange): boolean {
    return !c.complaint.ombudsmanOfferedAt && !c.complaint.forwardedToOmbudsmanAt;
  }

  private history(c: RecordChange): Promise<StatusChangeEntity[]> {
    return c.tx.find(StatusChangeEntity, { where: { trackingId: c.complaint.trackingId }, order: { sequence: 'ASC' } });
  }

  /**
   * The reporter forwards the complaint to Ombudsman RI (docs/ombudsman.md): only when the
   * record shows a missed follow-up deadline or a close while they objected (409 with the
   * reason otherwise), once. The timeline entry and `complaint.escalated` (everything the
   * Ombudsman's intake needs) leave in the same change, through the outbox.
   */
  private async forwardToOmbudsman(c: RecordChange, note: string | undefined, details: StatusDetails): Promise<void> {
    const eligibility = ombudsmanEligibility(c.complaint.status, await this.history(c));
    if (!eligibility.ok) throw new ConflictException(eligibility.reason);
    const at = new Date();
    await c.update({ forwardedToOmbudsmanAt: at });
    await c.recordEvent('forwarded-ombudsman', note ?? null, details, at);
    const messages = await c.tx.find(ComplaintMessageEntity, { where: { trackingId: c.complaint.trackingId }, order: { receivedAt: 'ASC' } });
    const payload = escalationPayload(c.complaint, messages, await this.history(c), { reason: eligibility.reason, note, at });
    c.emit(this.publisher.event(ComplaintEscalated, payload, c.correlationId, at));
    this.log.log(`${c.complaint.trackingId} forwarded to Ombudsman RI by its reporter (${eligibility.reason})`);
  }

  /**
   * A stage's deadline passed (the desk's scheduler, actor system): no status change; the
   * record lists the stage as overdue until the complaint leaves it, and the timeline gets
   * an entry with the escalation, published like every change (complaint.status-changed with
   * `escalation`, status = previousStatus). 409 when the stage already ended (the scheduler
   * then lets it go).
   */
  private async escalate(c: RecordChange, action: Extract<ComplaintAction, { action: 'escalate' }>, details: StatusDetails): Promise<void> {
    const complaint = c.complaint;
    const label = DEADLINE_STAGE_LABELS[action.stage];
    if (!deadlineStageActiveIn(action.stage, complaint.status)) throw new ConflictException(`Tahap ${label} sudah selesai; tenggatnya tidak dieskalasi`);
    const escalation = { stage: action.stage, dueAt: action.dueAt, escalatedTo: action.escalatedTo };
    const at = new Date();
    // A missed first response or follow-up lets the reporter forward it to Ombudsman RI: the offer goes once.
    const offer = OMBUDSMAN_STAGES.includes(action.stage) && this.offerOmbudsman(c);
    await c.update({
      overdue: [...(complaint.overdue ?? []).filter((o) => o.stage !== action.stage), { ...escalation, escalatedAt: at.toISOString() }],
      ...(offer ? { ombudsmanOfferedAt: at } : {}),
    });
    await c.bumpVersion();
    await c.appendStatus(complaint.status, `Tenggat ${label} terlewati; dieskalasi ke ${action.escalatedTo}`, at, { ...details, escalation, ...(offer ? { ombudsmanOffer: true } : {}) });
  }

  /**
   * Not this body's responsibility: `returned` (with the reason), then routing again
   * without every body that returned it, in the same change: assigned to the next body
   * routing is confident about, else the national triage queue. Never lost, never back.
   */
  private async returnAndReroute(c: RecordChange, reason: string, details: StatusDetails): Promise<void> {
    const complaint = c.complaint;
    await c.setStatus('returned', reason, {}, details);
    const earlier = await c.tx.find(StatusChangeEntity, { where: { trackingId: complaint.trackingId, status: 'returned' } });
    const excluded = [...new Set([complaint.assignmentCode, ...earlier.map((r) => r.assignment?.code)].filter((code): code is string => !!code))];
    const messages = await c.tx.find(ComplaintMessageEntity, { where: { trackingId: complaint.trackingId }, order: { receivedAt: 'ASC' } });
    const story = messages.map((m) => m.text).join('\n') || complaint.text;
    const point = complaint.lat !== null && complaint.lon !== null ? { lat: complaint.lat, lon: complaint.lon } : undefined;
    const decision = this.routing.decideExcluding({ text: story, location: complaint.regionCode || point ? { regionCode: complaint.regionCode ?? undefined, point } : undefined }, excluded);
    const routed = decision.kind === 'triage' ? 'triage' : 'assigned';
    await c.setStatus(
      routed,
      decision.kind === 'triage' ? 'Perlu verifikasi admin setelah dikembalikan' : decision.name,
      {
        assignmentKind: decision.kind,
        assignmentCode: decision.code || null,
        assignmentName: decision.name,
        assignmentUnit: decision.unit?.needsReview === false ? decision.unit.unit : null,
        decision,
      },
      { actor: { kind: 'system', reason: 'routing ulang setelah dikembalikan' } },
    );
  }

  /**
   * The complaint a duplicate continues in must exist, be open, be another one, and belong
   * to the same body unless the national admin merges (a liaison sees only their body's).
   */
  private async checkMergeTarget(c: RecordChange, into: string, actor: Actor): Promise<void> {
    const source = c.complaint;
    if (into === source.trackingId) throw new ConflictException('Laporan tidak dapat digabungkan dengan dirinya sendiri');
    // FOR SHARE: the target cannot close while this merge commits.
    const target = await c.tx.findOne(ComplaintEntity, { where: { trackingId: into }, lock: { mode: 'pessimistic_read' } });
    if (!target) throw new NotFoundException(`Laporan tujuan ${into} tidak ditemukan`);
    if (isTerminal(target.status)) throw new ConflictException(`Laporan tujuan ${into} sudah selesai (${target.status}); gabungkan ke laporan yang masih terbuka`);
    if (actor.kind === 'officer' && actor.role !== 'national-admin' && target.assignmentCode !== source.assignmentCode) {
      throw new ConflictException(`Laporan tujuan ${into} ditangani instansi lain; hanya admin nasional yang dapat menggabungkan lintas instansi`);
    }
  }

  /** An answer given through the action API (not as a message) is kept with the complaint's messages too. */
  private async storeAnswer(c: RecordChange, text: string, idempotencyKey?: string): Promise<void> {
    const complaint = c.complaint;
    await c.tx.insert(ComplaintMessageEntity, {
      id: randomUUID(),
      trackingId: complaint.trackingId,
      channel: complaint.channel,
      channelMessageId: `action:${complaint.trackingId}:${idempotencyKey ?? randomUUID()}`,
      text,
      attachments: [],
      receivedAt: new Date(),
      eventId: randomUUID(),
    });
  }

  private body(code: string) {
    const body = this.routing.describe(code);
    if (!body) throw new BadRequestException(`Kode instansi "${code}" tidak dikenal (kode wilayah seperti 32.73 atau slug instansi pusat)`);
    return body;
  }
}

/** "Ditutup/Diarsipkan oleh Pelapor / Admin / Sistem", as SP4N-LAPOR! records it. */
function closedByOf(actor: Actor): ClosedBy {
  return actor.kind === 'officer' ? 'admin' : actor.kind;
}
