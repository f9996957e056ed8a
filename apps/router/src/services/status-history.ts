import { randomUUID } from 'node:crypto';
import type { ComplaintStatus } from '@lapor/contracts';
import type { EntityManager } from 'typeorm';
import { StatusChangeEntity } from '../entities';

/** Appends the next status to a complaint's history inside the caller's transaction; returns its sequence. */
export async function appendStatus(tx: EntityManager, trackingId: string, status: ComplaintStatus, note: string | null): Promise<number> {
  const { max } = await tx
    .createQueryBuilder(StatusChangeEntity, 's')
    .select('MAX(s.sequence)', 'max')
    .where('s.tracking_id = :trackingId', { trackingId })
    .getRawOne();
  const sequence = Number(max ?? 0) + 1;
  await tx.insert(StatusChangeEntity, { id: randomUUID(), trackingId, sequence, status, at: new Date(), note });
  return sequence;
}
