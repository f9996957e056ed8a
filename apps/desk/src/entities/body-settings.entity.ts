import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A body's own system: where its webhook goes, and which version of its key signs it. */
@Entity('desk_body_settings')
export class BodySettingsEntity {
  @PrimaryColumn({ name: 'body_code', type: 'varchar', length: 80 })
  bodyCode!: string;

  @Column({ name: 'webhook_url', type: 'varchar', length: 2000, nullable: true })
  webhookUrl!: string | null;

  /** Bumped to rotate the key (0: never set). */
  @Column({ name: 'key_version', type: 'int', default: 0 })
  keyVersion!: number;

  /** The body works Monday–Saturday: its deadlines count Saturdays as working days. */
  @Column({ name: 'six_day_week', type: 'boolean', default: false })
  sixDayWeek!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 300, nullable: true })
  updatedBy!: string | null;
}
