import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import type { ArchiveReason, Assignment, ClosedBy, ComplaintStatus, DeadlineEscalation, OfficerRole, TimelineEvent } from '@lapor/contracts';
import { ComplaintEntity } from './complaint.entity';

/** The complaint's history: one row per status, numbered; (tracking_id, sequence) is unique. */
@Entity('complaint_status_changes')
@Index('uq_status_changes_sequence', ['trackingId', 'sequence'], { unique: true })
export class StatusChangeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tracking_id', type: 'varchar', length: 16 })
  trackingId!: string;

  @ManyToOne(() => ComplaintEntity, (c) => c.history, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tracking_id' })
  complaint?: Relation<ComplaintEntity>;

  @Column({ type: 'int' })
  sequence!: number;

  @Column({ type: 'varchar', length: 20 })
  status!: ComplaintStatus;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** Officials' note (a return or forward reason, an admin's note, the reporter's objection reason or answer). */
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** Who made the change: officer, reporter or system (null for routing's own steps). */
  @Column({ name: 'actor_kind', type: 'varchar', length: 10, nullable: true })
  actorKind?: 'officer' | 'reporter' | 'system' | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 20, nullable: true })
  actorRole?: OfficerRole | null;

  @Column({ name: 'actor_officer_id', type: 'varchar', length: 100, nullable: true })
  actorOfficerId?: string | null;

  /** Shown to officials only, never in anything a citizen or the bus sees. */
  @Column({ name: 'actor_display_name', type: 'varchar', length: 200, nullable: true })
  actorDisplayName?: string | null;

  /** The body the officer belongs to (a returning body is never offered the complaint again). */
  @Column({ name: 'actor_body', type: 'varchar', length: 80, nullable: true })
  actorBody?: string | null;

  /** What the reporter was told with this step, in the body's words: the response, the question. */
  @Column({ name: 'reporter_message', type: 'text', nullable: true })
  reporterMessage?: string | null;

  @Column({ name: 'closed_by', type: 'varchar', length: 10, nullable: true })
  closedBy?: ClosedBy | null;

  @Column({ name: 'archive_reason', type: 'varchar', length: 20, nullable: true })
  archiveReason?: ArchiveReason | null;

  @Column({ name: 'merged_into', type: 'varchar', length: 16, nullable: true })
  mergedInto?: string | null;

  /** Where the complaint stood after this step (body and unit), for timelines. */
  @Column({ type: 'jsonb', nullable: true })
  assignment?: Assignment | null;

  /** A missed deadline's escalation (this entry did not change the status). */
  @Column({ type: 'jsonb', nullable: true })
  escalation?: DeadlineEscalation | null;

  /** The action's idempotency key (unique per complaint): a retried action finds it and changes nothing. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, nullable: true })
  idempotencyKey?: string | null;

  /** A step that kept the status (issue 10): a missed deadline (`escalated`) or the forward to Ombudsman RI. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  event?: TimelineEvent | null;
}
