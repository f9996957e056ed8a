import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * pending → sending → sent (→ delivered/undelivered by a vendor callback), or
 * failed (permanently, or after the last retry), or suppressed (opted out / unreachable).
 */
export type NotificationState = 'pending' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'suppressed';
/** `status`: about a complaint, may be silenced by opt-out; `reply`: the answer to the person's own command. */
export type NotificationKind = 'status' | 'reply';
export type OutboundChannel = 'email' | 'sms' | 'telegram' | 'x';

/**
 * One message to one recipient: the notifier's outbox and delivery record. The unique
 * (dedupe_key, channel, address) makes a redelivered event enqueue nothing twice; the
 * dispatcher claims rows with FOR UPDATE SKIP LOCKED, so replicas never send one row twice.
 */
@Entity('notifications')
@Index('uq_notifications_once', ['dedupeKey', 'channel', 'address'], { unique: true })
export class NotificationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** e.g. `status:<trackingId>:<sequence>` or `reply:<channel>:<channelMessageId>`. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 300 })
  dedupeKey!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: NotificationKind;

  @Column({ name: 'tracking_id', type: 'varchar', length: 16, nullable: true })
  trackingId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  channel!: OutboundChannel;

  @Column({ type: 'varchar', length: 320 })
  address!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  subject!: string | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 12 })
  state!: NotificationState;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** The vendor's id of the sent message (Twilio MessageSid, Telegram message_id, ...). */
  @Column({ name: 'external_id', type: 'varchar', length: 300, nullable: true })
  externalId!: string | null;

  @Column({ name: 'vendor_status', type: 'varchar', length: 20, nullable: true })
  vendorStatus!: string | null;

  @Column({ name: 'vendor_error', type: 'varchar', length: 40, nullable: true })
  vendorError!: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
