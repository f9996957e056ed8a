import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * What the notifier knows about one address on one channel: opted out (STOP/BERHENTI),
 * or unreachable (invalid number, bot blocked) so it is not retried forever.
 */
@Entity('recipients')
export class RecipientEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  channel!: string;

  @PrimaryColumn({ type: 'varchar', length: 320 })
  address!: string;

  @Column({ name: 'opted_out', type: 'boolean', default: false })
  optedOut!: boolean;

  @Column({ type: 'boolean', default: false })
  unreachable!: boolean;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
