import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FastLaneDeadlines, FastLaneRules } from '@lapor/contracts';

/** A fast lane the national admin declared (docs/fast-lanes.md); data, switched on and off at runtime. */
@Entity('desk_fast_lanes')
export class FastLaneEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'jsonb' })
  rules!: FastLaneRules;

  @Column({ type: 'jsonb', default: {} })
  deadlines!: FastLaneDeadlines;

  /** Body codes (agency slugs or region codes) that receive a read-only copy. */
  @Column({ name: 'coordinating_bodies', type: 'jsonb', default: [] })
  coordinatingBodies!: string[];

  @Column({ type: 'int', default: 1 })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 300 })
  createdBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 300 })
  updatedBy!: string;
}

/** A coordinating body's read-only copy of a fast-lane complaint (the scope service grants reading, never acting). */
@Entity('desk_complaint_copies')
export class ComplaintCopyEntity {
  @PrimaryColumn({ name: 'tracking_id', type: 'varchar', length: 16 })
  trackingId!: string;

  @PrimaryColumn({ name: 'body_code', type: 'varchar', length: 80 })
  bodyCode!: string;

  @Column({ name: 'lane_id', type: 'uuid' })
  laneId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** When the copy's agency notice was published (null: still to send; a redelivered event sends it). */
  @Column({ name: 'notified_at', type: 'timestamptz', nullable: true })
  notifiedAt!: Date | null;
}
