import type { OutboundChannel as RegistryOutboundChannel } from '@lapor/contracts';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * pending → sending → sent (→ delivered/undelivered by a vendor callback), or
 * failed (permanently, or after the last retry), or suppressed (opted out / unreachable).
 */
export type NotificationState = 'pending' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'suppressed';
/**
 * `status`: about a complaint, may be silenced by opt-out; `reply`: the answer to the
 * person's own command or action; `official`: a notice to a body's officials or system
 * (never silenced by a citizen's opt-out); `right`: the offer to forward to Ombudsman RI, a
 * legal right that a STOP ("no more updates") does not waive: sent once per complaint, also
 * to an opted-out reporter, saying why.
 */
export type NotificationKind = 'status' | 'reply' | 'official' | 'right';
/** Where citizens are told things: the channel registry's outbound channels (libs/contracts/src/channels/registry.ts). */
export type CitizenChannel = RegistryOutboundChannel;
/** Every outbound sender: citizens' channels, the agencies' own systems (signed webhook), and Ombudsman RI's intake (signed webhook). */
export type OutboundChannel = CitizenChannel | 'webhook' | 'ombudsman';

/**
 * One message to one recipient: the notifier's outbox and delivery record. The unique
 * (dedupe_key, channel, address) makes a redelivered event enqueue nothing twice; the
 * dispatcher claims rows with FOR UPDATE SKIP LOCKED and a lease token, so replicas never
 * send one row at once, and records each attempt before the vendor call, so a crash in
 * between is settled rather than blindly resent (see DispatcherService).
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

  /** Headers the sender needs besides the dispatcher's own (a webhook's event, delivery id and key version). */
  @Column({ type: 'jsonb', nullable: true })
  headers!: Record<string, string> | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 12 })
  state!: NotificationState;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** Queue order, from a sequence: one recipient's messages go out in this order. */
  @Column({ name: 'queue_position', type: 'bigint', insert: false, update: false })
  queuePosition!: string;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** Which dispatcher holds the lease: every write after the claim names it, so a replica that lost its lease cannot overwrite the new holder's outcome. */
  @Column({ name: 'lease_token', type: 'uuid', nullable: true })
  leaseToken!: string | null;

  /** `<id>.<attempt>` of the latest attempt, written before the message is handed to the vendor. */
  @Column({ name: 'attempt_key', type: 'varchar', length: 60, nullable: true })
  attemptKey!: string | null;

  @Column({ name: 'attempt_started_at', type: 'timestamptz', nullable: true })
  attemptStartedAt!: Date | null;

  /** The latest attempt was handed to the vendor and its outcome is not known (a crash, or no answer): settle it before resending. */
  @Column({ name: 'attempt_in_doubt', type: 'boolean', default: false })
  attemptInDoubt!: boolean;

  /** Resent after an attempt in doubt to a vendor that cannot be asked what it sent (e-mail, Telegram, X): the recipient may have it twice. */
  @Column({ name: 'possible_duplicate', type: 'boolean', default: false })
  possibleDuplicate!: boolean;

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
