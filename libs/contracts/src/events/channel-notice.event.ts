import { z } from 'zod';
import { Channel } from '../common.schema';
import { defineEvent } from '../envelope';
import { Topics } from '../topics';

/**
 * Something the system must tell a sender about a message that did not become (a new)
 * complaint: SMS intake refuses an over-long body; the router, which counts a sender's
 * recent messages, stores a flood's messages on the latest complaint and says so once.
 * The notifier renders and sends it.
 */
export const NoticeKind = z.enum(['body_too_long', 'rate_limited']);
export type NoticeKind = z.infer<typeof NoticeKind>;

export const ChannelNoticePayload = z.object({
  channel: Channel,
  senderId: z.string().min(1).max(200),
  /** The channel message id the notice is about. */
  inReplyTo: z.string().min(1).max(200),
  notice: NoticeKind,
  /** The notifier sends one notice per key (e.g. one rate-limit notice per complaint, however long the flood). */
  onceKey: z.string().min(1).max(250),
  /** The complaint the message was stored on (`rate_limited`). */
  trackingId: z.string().optional(),
  /** The limit that was exceeded (characters for `body_too_long`). */
  limit: z.number().int().positive().optional(),
  locale: z.string().default('id'),
});
export type ChannelNoticePayload = z.infer<typeof ChannelNoticePayload>;

export const ChannelNotice = defineEvent({
  type: 'channel.notice',
  schemaVersion: 1,
  topic: Topics.channelNotice,
  payload: ChannelNoticePayload,
  key: (p) => `${p.channel}:${p.senderId}`,
});
