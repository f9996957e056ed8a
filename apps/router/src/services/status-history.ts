import { randomUUID } from 'node:crypto';
import type { ComplaintStatus } from '@lapor/contracts';
import type { EntityManager } from 'typeorm';
import { StatusChangeEntity } from '../entities';

export type StatusRowDetails = Partial<
  Pick<StatusChangeEntity, 'actorKind' | 'actorRole' | 'actorOfficerId' | 'actorDisplayName' | 'actorBody' | 'reporterMessage' | 'closedBy' | 'archiveReason' | 'mergedInto' | 'assignment' | 'idempotencyKey' | 'event' | 'escalation'>
>;

export interface AppendedStatus {
  sequence: number;
  /** The status before this one in the history (null for the first). */
  previousStatus: ComplaintStatus | null;
}

/**
 * Appends the next status to a complaint's history inside the caller's transaction.
 *
 * The next sequence is MAX(sequence)+1, which is only safe while no one else appends to
 * the same complaint: so the complaint's row is locked first (`SELECT … FOR UPDATE`; a
 * no-op when the transaction already holds it, as every ComplaintRecordService change
 * does). A second writer waits for the first to commit and then reads its row, so the
 * sequence stays gap-free 1..n and uq_status_changes_sequence never fires. A row lock
 * rather than a version column with retries: writers of one complaint are few and short
 * (a follow-up, an admin, an officer), so waiting is cheaper than redoing routing and
 * re-reading the story, and no caller needs a retry loop.
 *
 * `last`: a caller that holds the lock and already knows the latest entry (null for a
 * complaint created in this transaction) passes it and saves the lock and the read.
 */
export async function appendStatus(
  tx: EntityManager,
  trackingId: string,
  status: ComplaintStatus,
  note: string | null,
  at = new Date(),
  last?: { sequence: number; status: ComplaintStatus } | null,
  /** What else the step records: who made it, what the reporter was told, how it ended, where the complaint stands. */
  details: StatusRowDetails = {},
): Promise<AppendedStatus> {
  if (last === undefined) {
    const locked = await tx.query('SELECT 1 FROM complaints WHERE tracking_id = $1 FOR UPDATE', [trackingId]);
    if (!locked.length) throw new Error(`no complaint ${trackingId} to append a status to`);
    [last = null] = await tx.find(StatusChangeEntity, { where: { trackingId }, order: { sequence: 'DESC' }, take: 1 });
  }
  const sequence = (last?.sequence ?? 0) + 1;
  await tx.insert(StatusChangeEntity, { ...details, id: randomUUID(), trackingId, sequence, status, at, note });
  return { sequence, previousStatus: last?.status ?? null };
}
