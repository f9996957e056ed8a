import { Injectable, NotFoundException } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, ArchiveReason, ClosedBy, ComplaintStatus, ComplaintStatusChanged, DeadlineEscalation, deadlineStageActiveIn, TimelineEvent } from '@lapor/contracts';
import { EventPublisher, PendingEvent } from '@lapor/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { ComplaintEntity } from '../entities';
import { RouterOutbox } from '../outbox/router-outbox.service';
import { assignmentOf } from './complaint.mapper';
import { appendStatus } from './status-history';

/**
 * What a status change may say besides the status (the lifecycle's actions fill these).
 * The whole actor is stored with the step (officials see who acted); the event carries
 * only its kind and role, since it reaches the reporter's channel.
 */
export interface StatusDetails {
  actor?: Actor;
  /** What the reporter is told with this step: the response, the question. */
  reporterMessage?: string;
  closedBy?: ClosedBy;
  archiveReason?: ArchiveReason;
  mergedInto?: string;
  /** The action's idempotency key (unique per complaint). */
  idempotencyKey?: string;
  /** A step that keeps the status (issue 10): see `recordEvent`. */
  event?: TimelineEvent;
  /** A missed deadline's escalation: an entry that does not change the status. */
  escalation?: DeadlineEscalation;
  /** The reporter may now forward it to Ombudsman RI: the notifier sends the offer (once per complaint). */
  ombudsmanOffer?: boolean;
}

/**
 * One change of one complaint record, inside a transaction that holds the complaint's row
 * lock. Everything that writes a complaint goes through it: registration, follow-ups,
 * the admin's assignment and (next) the agency desk's actions, each as
 * "lock, check the transition, update the record, append the status, queue the events".
 * The events are written to the outbox in the same transaction (ComplaintRecordService
 * publishes them after the commit), so a change and its announcement never part.
 */
export class RecordChange {
  private readonly events: PendingEvent[] = [];
  private versionBumped = false;

  constructor(
    readonly tx: EntityManager,
    /** The complaint as it is now (read under the lock), kept current by `update`. */
    readonly complaint: ComplaintEntity,
    readonly correlationId: string,
    private readonly publisher: EventPublisher,
    /** The latest history entry once known (null: a complaint created in this transaction has none). */
    private last?: { sequence: number; status: ComplaintStatus } | null,
  ) {}

  get queued(): readonly PendingEvent[] {
    return this.events;
  }

  async update(fields: Partial<ComplaintEntity>): Promise<void> {
    await this.tx.update(ComplaintEntity, { trackingId: this.complaint.trackingId }, fields);
    Object.assign(this.complaint, fields);
  }

  /**
   * The record's version goes up once per change (however many statuses it appends), so
   * read models that keep the highest version see each change once (AgencyComplaintView.version).
   */
  async bumpVersion(): Promise<void> {
    if (this.versionBumped) return;
    this.versionBumped = true;
    await this.update({ version: this.complaint.version + 1 });
  }

  /** Moves the complaint to `status` (with other `fields` of the record), appends it to the history and queues its event. */
  async setStatus(status: ComplaintStatus, note: string | null, fields: Partial<ComplaintEntity> = {}, details: StatusDetails = {}): Promise<number> {
    // A stage the complaint leaves is no longer overdue (its lateness stays in the timeline).
    const overdue = (this.complaint.overdue ?? []).filter((o) => deadlineStageActiveIn(o.stage, status));
    await this.update({ ...fields, status, ...(overdue.length !== (this.complaint.overdue ?? []).length ? { overdue } : {}) });
    await this.bumpVersion();
    return this.appendStatus(status, note, new Date(), details);
  }

  /**
   * A timeline entry that keeps the status (a missed deadline, the forward to Ombudsman RI):
   * a history row with the current status and the event, the version bumped, and its
   * `complaint.status-changed` (status = previousStatus, `event` set) queued.
   */
  async recordEvent(event: TimelineEvent, note: string | null, details: StatusDetails = {}, at = new Date()): Promise<number> {
    await this.bumpVersion();
    return this.appendStatus(this.complaint.status, note, at, { ...details, event });
  }

  /**
   * Appends a status to the history (gap-free sequence, see status-history.ts) and queues
   * its `complaint.status-changed`, carrying the record as it is at this point: only what
   * this change made, never the history again.
   */
  async appendStatus(status: ComplaintStatus, note: string | null, at = new Date(), details: StatusDetails = {}): Promise<number> {
    const c = this.complaint;
    const assignment = status === 'received' ? null : assignmentOf(c);
    const actor = details.actor;
    const { sequence, previousStatus } = await appendStatus(this.tx, c.trackingId, status, note, at, this.last, {
      actorKind: actor?.kind ?? null,
      actorRole: actor?.kind === 'officer' ? actor.role : null,
      actorOfficerId: actor?.kind === 'officer' ? actor.officerId : null,
      actorDisplayName: actor?.kind === 'officer' ? (actor.displayName ?? null) : null,
      actorBody: actor?.kind === 'officer' ? (actor.bodyCode ?? null) : null,
      reporterMessage: details.reporterMessage ?? null,
      closedBy: details.closedBy ?? null,
      archiveReason: details.archiveReason ?? null,
      mergedInto: details.mergedInto ?? null,
      assignment,
      idempotencyKey: details.idempotencyKey ?? null,
      event: details.event ?? null,
      escalation: details.escalation ?? null,
    });
    this.last = { sequence, status };
    this.emit(statusChangedEvent(this.publisher, c, { status, previousStatus, sequence, at, note, assignment, details }, this.correlationId));
    return sequence;
  }

  /** Queues any other event this change produces (the registration, a notice to the sender). */
  emit(event: PendingEvent): void {
    this.events.push(event);
  }
}

/**
 * The `complaint.status-changed` of one step, carrying the record as it is at this point:
 * only what this change made, never the history again.
 */
export function statusChangedEvent(
  publisher: EventPublisher,
  c: ComplaintEntity,
  step: { status: ComplaintStatus; previousStatus: ComplaintStatus | null; sequence: number; at: Date; note: string | null; assignment: ReturnType<typeof assignmentOf>; details?: StatusDetails },
  correlationId: string,
): PendingEvent {
  const { status, previousStatus, sequence, at, note, assignment, details = {} } = step;
  const actor = details.actor;
  return publisher.event(
    ComplaintStatusChanged,
    {
      trackingId: c.trackingId,
      status,
      previousStatus,
      sequence,
      changedAt: at.toISOString(),
      channel: c.channel,
      senderId: c.senderId,
      replyTo: c.replyTo,
      locale: c.locale,
      assignment,
      ...(note ? { note } : {}),
      ...(details.reporterMessage ? { reporterMessage: details.reporterMessage } : {}),
      // Kind and role only: this event reaches the reporter's channel, never an official's name or id.
      ...(actor ? { actor: { kind: actor.kind, ...(actor.kind === 'officer' ? { role: actor.role } : {}) } } : {}),
      ...(details.closedBy ? { closedBy: details.closedBy } : {}),
      ...(details.archiveReason ? { archiveReason: details.archiveReason } : {}),
      ...(details.mergedInto ? { mergedInto: details.mergedInto } : {}),
      submissionType: c.submissionType,
      version: c.version,
      anonymous: c.anonymous,
      confidential: c.confidential,
      ...(details.event ? { event: details.event } : {}),
      ...(details.escalation ? { escalation: details.escalation } : {}),
      ...(details.ombudsmanOffer ? { ombudsmanOffer: true } : {}),
    },
    correlationId,
    at,
  );
}

/**
 * The change is committed, but its events could not be published now; they wait in the
 * outbox (the redelivery or the relay publishes them). A BusUnavailableError, so the bus's
 * failure policy retries the record without counting the try against it: the record was
 * applied, only its announcement is late.
 */
export class EventsPendingError extends BusUnavailableError {
  constructor(
    readonly trackingId: string,
    cause: unknown,
  ) {
    super(`complaint ${trackingId} changed; its events wait in the outbox: ${(cause as Error)?.message ?? cause}`, cause);
    this.name = 'EventsPendingError';
  }
}

/** The one way to write a complaint record: see RecordChange. */
@Injectable()
export class ComplaintRecordService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: RouterOutbox,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * Creates the complaint and lets `fill` add its first message, statuses and events, all
   * in one transaction; then publishes. A unique violation propagates: the caller knows
   * which constraint means what.
   */
  async create<T>(values: Omit<ComplaintEntity, 'registeredAt' | 'updatedAt' | 'overdue'> & Partial<Pick<ComplaintEntity, 'overdue'>>, correlationId: string, fill: (change: RecordChange) => Promise<T>): Promise<T> {
    return this.commitAndPublish(values.trackingId, async (tx) => {
      // The inserting transaction holds the new row's lock until it commits.
      const inserted = await tx.insert(ComplaintEntity, values);
      const complaint = tx.create(ComplaintEntity, { overdue: [], ...values, ...inserted.generatedMaps[0] });
      return this.run(new RecordChange(tx, complaint, correlationId, this.publisher, null), fill);
    });
  }

  /**
   * Locks the complaint (`SELECT … FOR UPDATE`), lets `change` read and write it, commits
   * with the queued events, then publishes them. Concurrent changes of one complaint run
   * one after the other, each seeing the previous one's result. 404 for an unknown complaint.
   */
  async change<T>(trackingId: string, correlationId: string, change: (change: RecordChange) => Promise<T>): Promise<T> {
    return this.commitAndPublish(trackingId, async (tx) => {
      const complaint = await tx.findOne(ComplaintEntity, { where: { trackingId }, lock: { mode: 'pessimistic_write' } });
      if (!complaint) throw new NotFoundException('complaint not found');
      return this.run(new RecordChange(tx, complaint, correlationId, this.publisher), change);
    });
  }

  /** Publishes what is still pending for the complaint (a redelivered message whose first handling was interrupted). */
  async publishPending(trackingId: string): Promise<void> {
    await this.outbox.publishPending(trackingId);
  }

  private async run<T>(change: RecordChange, fn: (change: RecordChange) => Promise<T>): Promise<{ result: T; queued: number }> {
    const result = await fn(change);
    await this.outbox.add(change.tx, change.complaint.trackingId, [...change.queued]);
    return { result, queued: change.queued.length };
  }

  /**
   * A change that queued no event (a follow-up that moves nothing) skips the publish step;
   * anything an earlier, interrupted change of the complaint left is the relay's then.
   */
  private async commitAndPublish<T>(trackingId: string, work: (tx: EntityManager) => Promise<{ result: T; queued: number }>): Promise<T> {
    const { result, queued } = await this.db.transaction(work);
    if (!queued) return result;
    try {
      await this.outbox.publishPending(trackingId);
    } catch (error) {
      throw new EventsPendingError(trackingId, error);
    }
    return result;
  }
}
