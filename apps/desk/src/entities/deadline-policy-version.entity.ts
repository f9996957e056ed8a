import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeadlinePolicy } from '@lapor/contracts';

/** A version of the deadline policy set by a national admin at runtime (the highest is in force). */
@Entity('desk_deadline_policies')
export class DeadlinePolicyVersionEntity {
  @PrimaryColumn({ type: 'int' })
  version!: number;

  @Column({ type: 'jsonb' })
  policy!: DeadlinePolicy;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  @Column({ name: 'changed_by', type: 'varchar', length: 300 })
  changedBy!: string;
}
