import { z } from 'zod';
import { OutboundChannel } from '../common.schema';
import { defineEvent } from '../envelope';
import { Topics } from '../topics';

/**
 * A vendor's report on a message the notifier sent (Twilio status callback, ...),
 * received by the channel's intake service and recorded by the notifier.
 */
export const DeliveryStatusPayload = z.object({
  channel: OutboundChannel,
  /** The vendor's id of the sent message (Twilio MessageSid). */
  externalId: z.string().min(1),
  status: z.enum(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read']),
  errorCode: z.string().optional(),
  reportedAt: z.string().datetime({ offset: true }),
});
export type DeliveryStatusPayload = z.infer<typeof DeliveryStatusPayload>;

export const DeliveryStatus = defineEvent({
  type: 'notification.delivery-status',
  schemaVersion: 1,
  topic: Topics.deliveryStatus,
  payload: DeliveryStatusPayload,
  key: (p) => `${p.channel}:${p.externalId}`,
});
