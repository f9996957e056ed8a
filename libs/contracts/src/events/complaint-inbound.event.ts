import { z } from 'zod';
import { Attachment, Channel, GeoPoint, RegionCode, ReplyAddress } from '../common.schema';
import { defineEvent } from '../envelope';
import { Topics } from '../topics';

/**
 * One message from any channel, normalized by its intake service. The tracking id is
 * minted at intake (deterministically from channel + channelMessageId) so the channel
 * can be answered at once; the router owns everything after that.
 */
export const ComplaintInboundPayload = z.object({
  trackingId: z.string().min(1),
  channel: Channel,
  /** The channel's own id for this message: MessageSid, update_id, DM event id, Idempotency-Key. With `channel`, the dedupe key. */
  channelMessageId: z.string().min(1).max(200),
  /** Channel-scoped sender: phone number, Telegram chat id, X user id; for web a per-request id. */
  senderId: z.string().min(1).max(200),
  text: z.string().max(20000),
  location: z
    .object({ regionCode: RegionCode.optional(), point: GeoPoint.optional() })
    .optional(),
  attachments: z.array(Attachment).default([]),
  receivedAt: z.string().datetime({ offset: true }),
  locale: z.string().default('id'),
  anonymous: z.boolean().default(false),
  confidential: z.boolean().default(false),
  reporter: z
    .object({ name: z.string().max(200).optional(), email: z.string().email().optional(), phone: z.string().max(40).optional() })
    .optional(),
  replyTo: z.array(ReplyAddress).default([]),
  category: z.string().max(100).optional(),
  /**
   * The complaint this message answers, when the reporter's own key says so: web-intake's
   * "Kirim informasi tambahan" form on the status page of a web/mobile complaint (the
   * tracking id is that reporter's key). The router honours it only while that complaint
   * waits for information from its reporter (status `waiting_info`); otherwise the message
   * is handled like any other.
   */
  threadTo: z.string().min(1).max(40).optional(),
});
export type ComplaintInboundPayload = z.infer<typeof ComplaintInboundPayload>;

export const ComplaintInbound = defineEvent({
  type: 'complaint.inbound',
  schemaVersion: 1,
  topic: Topics.complaintInbound,
  payload: ComplaintInboundPayload,
  // Follow-ups from one person must be handled in order, before any complaint exists.
  key: (p) => `${p.channel}:${p.senderId}`,
});
