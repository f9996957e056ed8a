import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every delivery report a vendor sent (Twilio status callbacks), kept as received. A report
 * can arrive before the dispatcher has stored the vendor's message id, or out of order, so
 * the notification's state is derived from all reports for its message (see DeliveryReportsService).
 */
@Entity('delivery_reports')
@Index('ix_delivery_reports_message', ['channel', 'externalId'])
export class DeliveryReportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @Column({ name: 'external_id', type: 'varchar', length: 300 })
  externalId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: string;

  @Column({ name: 'error_code', type: 'varchar', length: 40, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt!: Date;
}
