import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Attachment, Channel, ComplaintInbound, ComplaintInboundPayload, CreateComplaintRequest, CreateComplaintResponse, GeoPoint, ReplyAddress, trackingIdFor } from '@lapor/contracts';
import { DEFAULT_LOCALE, Locale } from '@lapor/i18n';
import { EventPublisher } from '@lapor/runtime';
import { AttachmentStore, IncomingFile } from '@lapor/storage';

/**
 * Normalizes a web-form or mobile-app complaint into the inbound event and puts it on
 * the bus. The tracking id is derived from the Idempotency-Key, so a retried POST gets
 * the same id from any replica and the router's dedupe absorbs the second event.
 */
@Injectable()
export class WebIntakeService {
  constructor(
    private readonly events: EventPublisher,
    private readonly attachments: AttachmentStore,
  ) {}

  /**
   * Files first: each is checked, cleaned and durably in the attachment store before the event
   * that references it is published, so a 202 never points at a file that is not there. A
   * refused file (AttachmentRejected) refuses the whole complaint: the reporter fixes it and
   * sends again, rather than a complaint silently missing its photo. `locale` is the language
   * the reporter used (the page's, or the API request's): every later message about the
   * complaint (SMS, chat, e-mail) is sent in it.
   */
  async accept(body: CreateComplaintRequest, opts: { channel: Extract<Channel, 'web' | 'mobile'>; idempotencyKey?: string; locale?: Locale }, files: IncomingFile[] = []): Promise<CreateComplaintResponse> {
    const stored = await Promise.all(files.map((file) => this.attachments.store(file)));
    const attachments: Attachment[] = stored.map((s) => s.attachment);
    // The photo's own position is evidence of where, when the reporter gave none (it is not shown to anyone, only routed on).
    const photoPoint: GeoPoint | undefined = stored.find((s) => s.gps)?.gps;
    const point = body.location ?? photoPoint;
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
      location: body.regionCode || point ? { regionCode: body.regionCode, point } : undefined,
      attachments,
      receivedAt: new Date().toISOString(),
      locale: opts.locale ?? DEFAULT_LOCALE,
      anonymous: body.anonymous,
      confidential: body.confidential,
      reporter: body.reporter,
      replyTo,
      category: body.category,
    };
    await this.events.publish(this.events.event(ComplaintInbound, payload, trackingId));
    return { trackingId, status: 'received' };
  }

  /**
   * Publishes the reporter's answer as an inbound message threaded to their complaint. The
   * router honours `threadTo` only while that complaint waits for information; resolves
   * once the message is durably on the bus.
   */
  async provideInfo(info: AdditionalInfo): Promise<void> {
    const channelMessageId = `info:${info.idempotencyKey}`;
    const payload: ComplaintInboundPayload = {
      trackingId: trackingIdFor('web', channelMessageId),
      channel: 'web',
      channelMessageId,
      // One reporter's answers stay in order behind the same key.
      senderId: `thread:${info.trackingId}`,
      text: info.text,
      attachments: [],
      receivedAt: new Date().toISOString(),
      locale: info.locale ?? DEFAULT_LOCALE,
      anonymous: false,
      confidential: false,
      replyTo: [],
      threadTo: info.trackingId,
    };
    await this.events.publish(this.events.event(ComplaintInbound, payload, info.trackingId));
  }
}

/** The reporter's answer to the body's question, from the status page: threaded to the complaint by the router (threadTo). */
export interface AdditionalInfo {
  trackingId: string;
  text: string;
  /** The form's own key: a double submit publishes the same message, which the router stores once. */
  idempotencyKey: string;
  /** The language of the page it was written on. */
  locale?: Locale;
}

/** A stable, non-identifying sender key (so one person's posts stay in order), or the request itself. */
function senderIdOf(body: CreateComplaintRequest, channelMessageId: string): string {
  const contact = body.reporter?.email?.toLowerCase() ?? body.reporter?.phone?.replace(/\D/g, '');
  return contact ? `h:${createHash('sha256').update(contact).digest('hex').slice(0, 32)}` : channelMessageId;
}
