import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import type { ComplaintStatus } from '@lapor/contracts';
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

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
