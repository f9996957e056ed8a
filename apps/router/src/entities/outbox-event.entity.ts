import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event the router has decided to publish, written in the same transaction as the
 * record change it announces (transactional outbox), and deleted once it is on the bus.
 * `seq` orders the events of one complaint; `tracking_id` is the complaint they belong to.
 */
@Entity('router_outbox')
@Index('ix_router_outbox_tracking', ['trackingId', 'seq'])
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'tracking_id', type: 'varchar', length: 16 })
  trackingId!: string;

  @Column({ type: 'varchar', length: 200 })
  topic!: string;

  @Column({ type: 'varchar', length: 300 })
  key!: string;

  /** The event envelope as JSON, exactly as it goes on the bus. */
  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  headers!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
