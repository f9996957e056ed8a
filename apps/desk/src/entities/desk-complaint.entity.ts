import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BodyKind, Channel, ComplaintStatus, SubmissionType } from '@lapor/contracts';

/** What routing said, kept for queues and notices (never the reporter's identity). */
export interface RoutingSummary {
  evidence: string[];
  rules: string[];
  unitSuggestion?: { unit: string; confidence: number };
  unitAlternatives: { unit: string; confidence: number }[];
  bodyAlternatives: { kind: BodyKind; code: string; name: string; confidence: number }[];
  routedBody?: { kind: BodyKind; code: string; name: string };
  regionCode?: string;
  districtName?: string;
  villageName?: string;
}

/**
 * The desk's read model of a complaint: a projection of the router's events (and of its
 * answers to actions), keeping the highest sequence/version. Never the reporter's identity.
 */
@Entity('desk_complaints')
export class DeskComplaintEntity {
  @PrimaryColumn({ name: 'tracking_id', type: 'varchar', length: 16 })
  trackingId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: ComplaintStatus;

  /** When the complaint entered its current status (the objection window runs from `responded`). */
  @Column({ name: 'status_at', type: 'timestamptz', nullable: true })
  statusAt!: Date | null;

  @Column({ name: 'body_kind', type: 'varchar', length: 16, nullable: true })
  bodyKind!: BodyKind | null;

  @Column({ name: 'body_code', type: 'varchar', length: 80, nullable: true })
  bodyCode!: string | null;

  @Column({ name: 'body_name', type: 'varchar', length: 300, nullable: true })
  bodyName!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  unit!: string | null;

  @Column({ name: 'submission_type', type: 'varchar', length: 30, nullable: true })
  submissionType!: SubmissionType | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  channel!: Channel | null;

  @Column({ type: 'boolean', default: false })
  anonymous!: boolean;

  @Column({ type: 'boolean', default: false })
  confidential!: boolean;

  @Column({ type: 'varchar', length: 300, nullable: true })
  excerpt!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  routing!: RoutingSummary | null;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt!: Date | null;

  @Column({ name: 'registered_at', type: 'timestamptz', nullable: true })
  registeredAt!: Date | null;

  @Column({ name: 'registered_seen', type: 'boolean', default: false })
  registeredSeen!: boolean;

  @Column({ name: 'last_sequence', type: 'int', default: 0 })
  lastSequence!: number;

  @Column({ type: 'int', default: 0 })
  version!: number;

  /** The highest status sequence whose officials' notice was published. */
  @Column({ name: 'notified_sequence', type: 'int', default: 0 })
  notifiedSequence!: number;

  /** A timer replica claimed this complaint until then (FOR UPDATE SKIP LOCKED + lease). */
  @Column({ name: 'timer_lease_until', type: 'timestamptz', nullable: true })
  timerLeaseUntil!: Date | null;

  /** When the reporter forwarded it to Ombudsman RI (issue 10); null when not. Statistics count it. */
  @Column({ name: 'forwarded_to_ombudsman_at', type: 'timestamptz', nullable: true })
  forwardedToOmbudsmanAt!: Date | null;

  /** The fast lane the complaint entered (docs/fast-lanes.md); the deadline scheduler reads the lane's overrides through it. */
  @Column({ name: 'fast_lane_id', type: 'uuid', nullable: true })
  fastLaneId!: string | null;

  /** Shown first in every queue (fast lanes). */
  @Column({ type: 'boolean', default: false })
  priority!: boolean;

  /** When it entered the lane: the lane's deadlines apply to stages starting from then. */
  @Column({ name: 'fast_lane_at', type: 'timestamptz', nullable: true })
  fastLaneAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
