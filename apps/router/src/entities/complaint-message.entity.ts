import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import type { Attachment, Channel } from '@lapor/contracts';
import { ComplaintEntity } from './complaint.entity';

/**
 * Every inbound message that became (part of) a complaint. The unique key on
 * (channel, channel_message_id) is what makes a redelivered event, a Twilio retry or a
 * re-POST with the same Idempotency-Key register nothing twice.
 */
/** The unique key that means "this message is already stored": the only unique violation that is "done". */
export const MESSAGE_DEDUPE_CONSTRAINT = 'uq_complaint_messages_channel_message';

@Entity('complaint_messages')
@Index(MESSAGE_DEDUPE_CONSTRAINT, ['channel', 'channelMessageId'], { unique: true })
export class ComplaintMessageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'tracking_id', type: 'varchar', length: 16 })
  trackingId!: string;

  @ManyToOne(() => ComplaintEntity, (c) => c.messages, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tracking_id' })
  complaint?: Relation<ComplaintEntity>;

  @Column({ type: 'varchar', length: 16 })
  channel!: Channel;

  @Column({ name: 'channel_message_id', type: 'varchar', length: 200 })
  channelMessageId!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments!: Attachment[];

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;
}
