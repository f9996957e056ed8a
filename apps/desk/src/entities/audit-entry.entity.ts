import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditActorKind = 'officer' | 'token' | 'system' | 'cli' | 'anonymous';

/** One line of the append-only audit log (a trigger refuses UPDATE and DELETE). */
@Entity('desk_audit_log')
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ name: 'actor_kind', type: 'varchar', length: 10 })
  actorKind!: AuditActorKind;

  @Column({ name: 'actor_id', type: 'varchar', length: 100, nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 300, nullable: true })
  actorLabel!: string | null;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ name: 'tracking_id', type: 'varchar', length: 16, nullable: true })
  trackingId!: string | null;

  @Column({ name: 'body_code', type: 'varchar', length: 80, nullable: true })
  bodyCode!: string | null;

  @Column({ name: 'client_address', type: 'varchar', length: 100, nullable: true })
  clientAddress!: string | null;

  /** What was done (never a reporter's identity: a reveal records the reason, not what was revealed). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;
}
