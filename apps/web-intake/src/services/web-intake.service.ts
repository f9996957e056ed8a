import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Channel, ComplaintInbound, ComplaintInboundPayload, CreateComplaintRequest, CreateComplaintResponse, ReplyAddress, trackingIdFor } from '@lapor/contracts';
import { EventPublisher } from '@lapor/runtime';

/**
 * Normalizes a web-form or mobile-app complaint into the inbound event and puts it on
 * the bus. The tracking id is derived from the Idempotency-Key, so a retried POST gets
 * the same id from any replica and the router's dedupe absorbs the second event.
 */
@Injectable()
export class WebIntakeService {
  constructor(private readonly events: EventPublisher) {}

  async accept(body: CreateComplaintRequest, opts: { channel: Extract<Channel, 'web' | 'mobile'>; idempotencyKey?: string }): Promise<CreateComplaintResponse> {
    const channelMessageId = opts.idempotencyKey ? `idem:${opts.idempotencyKey}` : `req:${randomUUID()}`;
    const trackingId = trackingIdFor(opts.channel, channelMessageId);
    const replyTo: ReplyAddress[] = [];
    if (body.reporter?.email) replyTo.push({ channel: 'email', address: body.reporter.email.toLowerCase() });
    if (body.reporter?.phone) replyTo.push({ channel: 'sms', address: body.reporter.phone.replace(/[\s()-]/g, '') });

    const payload: ComplaintInboundPayload = {
      trackingId,
      channel: opts.channel,
      channelMessageId,
      senderId: senderIdOf(body, channelMessageId),
      text: body.text,
      location: body.regionCode || body.location ? { regionCode: body.regionCode, point: body.location } : undefined,
      attachments: [],
      receivedAt: new Date().toISOString(),
      locale: 'id',
      anonymous: body.anonymous,
      confidential: body.confidential,
      reporter: body.reporter,
      replyTo,
      category: body.category,
    };
    await this.events.publish(this.events.event(ComplaintInbound, payload, trackingId));
    return { trackingId, status: 'received' };
  }
}

/** A stable, non-identifying sender key (so one person's posts stay in order), or the request itself. */
function senderIdOf(body: CreateComplaintRequest, channelMessageId: string): string {
  const contact = body.reporter?.email?.toLowerCase() ?? body.reporter?.phone?.replace(/\D/g, '');
  return contact ? `h:${createHash('sha256').update(contact).digest('hex').slice(0, 32)}` : channelMessageId;
}
