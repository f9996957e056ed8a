import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BodyKind, DeadlineRule, DeadlineStage } from '@lapor/contracts';

export type DeadlineState = 'open' | 'met' | 'breached' | 'superseded';

/**
 * One stage's deadline for one complaint, computed and stored when the stage started
 * (docs/deadlines.md): the policy in force then, the body's calendar (zone, six-day week),
 * the fast lane if any. open → met (the stage ended in time), breached (escalated; stays
 * until the stage ends, then met with `breached_at` kept) or superseded (the stage restarted).
 */
@Entity('desk_deadlines')
export class DeadlineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tracking_id', type: 'varchar', length: 16 })
  trackingId!: string;

  @Column({ type: 'varchar', length: 20 })
  stage!: DeadlineStage;

  /** The status sequence that started the stage: with tracking id and stage, the stage instance's key. */
  @Column({ name: 'start_sequence', type: 'int' })
  startSequence!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'remind_at', type: 'jsonb', default: () => "'[]'" })
  remindAt!: string[];

  @Column({ name: 'body_kind', type: 'varchar', length: 16, nullable: true })
  bodyKind!: BodyKind | null;

  @Column({ name: 'body_code', type: 'varchar', length: 80, nullable: true })
  bodyCode!: string | null;

  @Column({ name: 'body_name', type: 'varchar', length: 300, nullable: true })
  bodyName!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  unit!: string | null;

  /** WIB, WITA or WIT. */
  @Column({ name: 'time_zone', type: 'varchar', length: 8 })
  timeZone!: string;

  @Column({ name: 'six_day_week', type: 'boolean', default: false })
  sixDayWeek!: boolean;

  @Column({ name: 'lane_id', type: 'varchar', length: 80, nullable: true })
  laneId!: string | null;

  /** 0: the policy file; otherwise the desk_deadline_policies version. */
  @Column({ name: 'policy_version', type: 'int' })
  policyVersion!: number;

  @Column({ type: 'jsonb' })
  rule!: DeadlineRule;

  @Column({ name: 'rule_source', type: 'varchar', length: 100 })
  ruleSource!: string;

  @Column({ type: 'varchar', length: 12, default: 'open' })
  state!: DeadlineState;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  /** Since when the clock is stopped: the complaint waits for the reporter's information (null: running). */
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt!: Date | null;

  /** How long the clock stood still in all, in seconds (already added to `dueAt`). */
  @Column({ name: 'paused_seconds', type: 'int', default: 0 })
  pausedSeconds!: number;

  @Column({ name: 'breached_at', type: 'timestamptz', nullable: true })
  breachedAt!: Date | null;

  @Column({ name: 'escalated_to', type: 'varchar', length: 300, nullable: true })
  escalatedTo!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
