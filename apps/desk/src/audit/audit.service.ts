import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, DESK_CLOCK } from '../clock';
import { AuditActorKind, AuditEntryEntity } from '../entities';

export interface AuditActor {
  kind: AuditActorKind;
  id?: string | null;
  label?: string | null;
}

export interface AuditRecord {
  actor: AuditActor;
  /** e.g. login, login.failed, complaint.read, complaint.action, reporter.reveal, officer.create, token.revoke, webhook.set */
  action: string;
  trackingId?: string | null;
  bodyCode?: string | null;
  clientAddress?: string | null;
  /** What was done; never a reporter's identity. */
  detail?: Record<string, unknown>;
}

/** Writes the append-only audit log (the table's trigger refuses UPDATE and DELETE). */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(DESK_CLOCK) private readonly clock: Clock,
  ) {}

  async record(entry: AuditRecord, manager: EntityManager = this.db.manager): Promise<void> {
    await manager.insert(AuditEntryEntity, {
      // The desk's clock, which the per-address login throttle compares against.
      at: this.clock.now(),
      actorKind: entry.actor.kind,
      actorId: entry.actor.id ?? null,
      actorLabel: entry.actor.label ?? null,
      action: entry.action,
      trackingId: entry.trackingId ?? null,
      bodyCode: entry.bodyCode ?? null,
      clientAddress: entry.clientAddress ?? null,
      detail: (entry.detail ?? {}) as never,
    });
  }

  /** Failed logins from one address since `since` (the per-address throttle reads the log itself). */
  async failuresFrom(clientAddress: string, since: Date): Promise<number> {
    return this.db.manager
      .createQueryBuilder(AuditEntryEntity, 'a')
      .where(`a.action = 'login.failed' AND a.client_address = :clientAddress AND a.at > :since`, { clientAddress, since })
      .getCount();
  }

  async recent(filter: { bodyCode?: string; trackingId?: string; limit: number }): Promise<AuditEntryEntity[]> {
    const qb = this.db.manager.createQueryBuilder(AuditEntryEntity, 'a').orderBy('a.id', 'DESC').limit(filter.limit);
    if (filter.bodyCode) qb.andWhere('a.body_code = :b', { b: filter.bodyCode });
    if (filter.trackingId) qb.andWhere('a.tracking_id = :t', { t: filter.trackingId });
    return qb.getMany();
  }
}
