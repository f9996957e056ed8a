import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn, Relation, UpdateDateColumn } from 'typeorm';
import type { Attachment, OverdueStage, BodyKind, Channel, ComplaintStatus, ReplyAddress, RoutingDecision, SubmissionType } from '@lapor/contracts';
import { ComplaintMessageEntity } from './complaint-message.entity';
import { StatusChangeEntity } from './status-change.entity';

/**
 * The complaints primary key (PostgreSQL's name for the migration's PRIMARY KEY): violated
 * when a tracking id is already taken, by this message's concurrent delivery or by another
 * message whose id hashed to the same tracking id.
 */
export const COMPLAINT_KEY_CONSTRAINT = 'complaints_pkey';

/** The complaint record, owned by the router. */
@Entity('complaints')
export class ComplaintEntity {
  @PrimaryColumn({ name: 'tracking_id', type: 'varchar', length: 16 })
  trackingId!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: Channel;

  @Column({ name: 'sender_id', type: 'varchar', length: 200 })
  senderId!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'region_code', type: 'varchar', length: 20, nullable: true })
  regionCode!: string | null;

  @Column({ type: 'double precision', nullable: true })
  lat!: number | null;

  @Column({ type: 'double precision', nullable: true })
  lon!: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments!: Attachment[];

  @Column({ name: 'reporter', type: 'jsonb', nullable: true })
  reporter!: { name?: string; email?: string; phone?: string } | null;

  @Column({ name: 'reply_to', type: 'jsonb', default: () => "'[]'" })
  replyTo!: ReplyAddress[];

  @Column({ type: 'varchar', length: 10, default: 'id' })
  locale!: string;

  @Column({ type: 'boolean', default: false })
  anonymous!: boolean;

  @Column({ type: 'boolean', default: false })
  confidential!: boolean;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category!: string | null;

  @Column({ type: 'varchar', length: 20 })
  status!: ComplaintStatus;

  @Column({ name: 'assignment_kind', type: 'varchar', length: 16, nullable: true })
  assignmentKind!: BodyKind | null;

  @Column({ name: 'assignment_code', type: 'varchar', length: 80, nullable: true })
  assignmentCode!: string | null;

  @Column({ name: 'assignment_name', type: 'varchar', length: 300, nullable: true })
  assignmentName!: string | null;

  @Column({ name: 'assignment_unit', type: 'varchar', length: 300, nullable: true })
  assignmentUnit!: string | null;

  /** The routing decision with its evidence and alternatives, as published. */
  @Column({ type: 'jsonb', nullable: true })
  decision!: RoutingDecision | null;

  /** Increases with every change of the record (AgencyComplaintView.version): read models keep the highest. */
  @Column({ type: 'int', default: 0 })
  version!: number;

  /** Pengaduan, permintaan informasi or aspirasi: from routing's decision, corrected by officials (`classify`). */
  @Column({ name: 'submission_type', type: 'varchar', length: 30, default: 'complaint' })
  submissionType!: SubmissionType;

  /** For a merged complaint: the one it continues in. */
  @Column({ name: 'merged_into', type: 'varchar', length: 16, nullable: true })
  mergedInto!: string | null;

  /** When the reporter was offered the forward to Ombudsman RI (overdue follow-up, or closed while objecting): offered once. */
  @Column({ name: 'ombudsman_offered_at', type: 'timestamptz', nullable: true })
  ombudsmanOfferedAt?: Date | null;

  /** When the reporter forwarded it to Ombudsman RI ("Diteruskan ke Ombudsman RI"): once. */
  @Column({ name: 'forwarded_to_ombudsman_at', type: 'timestamptz', nullable: true })
  forwardedToOmbudsmanAt?: Date | null;

  /** Stages whose deadline passed and that still run (the `escalate` action adds, a status leaving the stage removes). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  overdue!: OverdueStage[];

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @CreateDateColumn({ name: 'registered_at', type: 'timestamptz' })
  registeredAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @OneToMany(() => ComplaintMessageEntity, (m) => m.complaint)
  messages?: Relation<ComplaintMessageEntity[]>;

  @OneToMany(() => StatusChangeEntity, (s) => s.complaint)
  history?: Relation<StatusChangeEntity[]>;
}
