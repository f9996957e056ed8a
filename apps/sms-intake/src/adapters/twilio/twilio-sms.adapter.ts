import { Inject, Injectable, Logger } from '@nestjs/common';
import { Attachment, ChannelCommandPayload, ComplaintInboundPayload, DeliveryStatusPayload, hasControlCharacters, isMeaningfulText, normalizeText, parseCommandText, trackingIdFor, truncateText } from '@lapor/contracts';
import { APP_CONFIG, AppConfig, hasMediaType, headerOf, HttpRequest, InboundAdapter, InboundItem, Verification, WebhookAnswer, WebhookRoute, ZodBody } from '@lapor/runtime';
import { AttachmentStore } from '@lapor/storage';
import twilio from 'twilio';
import { z } from 'zod';
import { storeTwilioMedia } from './twilio-media';

/** Twilio's ids and addresses never contain control characters; one that does is not Twilio's (400). */
const TwilioField = (max: number) => z.string().min(1).max(max).refine((v) => !hasControlCharacters(v), 'contains control characters');

/**
 * Twilio's inbound SMS/MMS webhook (form-urlencoded). Only the fields we use are
 * declared; Twilio adds parameters without notice, so the rest pass through unchecked.
 * The text is normalized here, where it enters (`normalizeText`: NUL and other control
 * characters removed, NFC), so a stray NUL from a handset becomes a storable complaint.
 * https://www.twilio.com/docs/messaging/guides/webhook-request
 */
export const TwilioInboundSms = z.looseObject({
  MessageSid: TwilioField(200),
  AccountSid: TwilioField(200),
  From: TwilioField(200),
  To: TwilioField(200),
  Body: z.string().overwrite(normalizeText).default(''),
  NumSegments: z.coerce.number().int().nonnegative().optional(),
  NumMedia: z.coerce.number().int().nonnegative().max(10).default(0),
});
export type TwilioInboundSms = z.infer<typeof TwilioInboundSms>;

/** Twilio's status callback for a message we sent. https://www.twilio.com/docs/messaging/guides/track-outbound-message-status */
export const TwilioStatusCallback = z.looseObject({
  MessageSid: TwilioField(300),
  MessageStatus: TwilioField(50),
  ErrorCode: TwilioField(50).optional(),
});
export type TwilioStatusCallback = z.infer<typeof TwilioStatusCallback>;

/** Twilio message statuses → ours. Statuses not listed (receiving, received) are not about our sends and are ignored. */
const STATUS_MAPPING: Record<string, DeliveryStatusPayload['status']> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  partially_delivered: 'undelivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'failed',
  read: 'read',
};

function attachmentKind(mimeType: string | undefined): Attachment['kind'] {
  const top = mimeType?.split('/')[0];
  if (top === 'image' || top === 'audio' || top === 'video') return top;
  if (mimeType === 'application/pdf' || top === 'text') return 'document';
  return 'other';
}

/**
 * SMS through Twilio: the signature, the payload shapes and their normalization into
 * inbound items, served by the generic webhook controller (the two URLs configured at
 * Twilio, docs/channels/sms.md). Each answers 2xx only once its event is durably on the
 * bus; a bus failure is 503, and Twilio retries the webhook with the same MessageSid,
 * which the router registers once. Stateless: follow-up threading and rate limits are the
 * router's, who sees every replica's messages.
 */
@Injectable()
export class TwilioSmsAdapter implements InboundAdapter {
  readonly channel = 'sms' as const;
  readonly vendor = 'twilio';
  private readonly log = new Logger('Twilio');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly attachments: AttachmentStore,
  ) {}

  /** A citizen's SMS to 1708 (answered with empty TwiML: every reply is sent by the notifier), and delivery reports (StatusCallback). */
  static routes(): WebhookRoute[] {
    return [
      { method: 'POST', path: '/webhooks/twilio/sms', name: 'message' },
      { method: 'POST', path: '/webhooks/twilio/status', name: 'status' },
    ];
  }

  /** Without the auth token nothing can be verified, so nothing is accepted. */
  get configured(): boolean {
    return !!this.config.env.TWILIO_AUTH_TOKEN;
  }

  get off(): string | undefined {
    return this.configured ? undefined : 'Layanan SMS belum dikonfigurasi (TWILIO_AUTH_TOKEN is not set, so Twilio webhooks cannot be verified)';
  }

  verify(req: HttpRequest): Verification {
    if (this.verifySignature(req)) return { ok: true };
    const why = headerOf(req, 'x-twilio-signature') ? 'signature does not match' : 'no X-Twilio-Signature';
    return { ok: false, status: 403, reason: `Tanda tangan Twilio tidak valid (missing or invalid X-Twilio-Signature: ${why}; signed URL expected: ${this.signedUrl(req)})` };
  }

  async parse(req: HttpRequest, route: WebhookRoute): Promise<InboundItem[]> {
    const receivedAt = new Date();
    if (route.name === 'status') {
      const cb = new ZodBody(TwilioStatusCallback).transform(req.body);
      const status = this.toDeliveryStatus(cb, receivedAt);
      return [status ? { kind: 'delivery', payload: status, correlationId: `sms:${cb.MessageSid}` } : { kind: 'ignored', reason: `status ${cb.MessageStatus} is not about our sends` }];
    }
    return [await this.toItem(new ZodBody(TwilioInboundSms).transform(req.body), receivedAt)];
  }

  respond(_items: InboundItem[], route: WebhookRoute): WebhookAnswer {
    return route.name === 'status' ? { status: 204 } : { status: 200, contentType: 'text/xml; charset=utf-8', body: this.emptyTwiml() };
  }

  /** One inbound SMS is exactly one item: a command, help, a too-long notice or a complaint. */
  async toItem(msg: TwilioInboundSms, receivedAt: Date): Promise<InboundItem> {
    const correlationId = trackingIdFor('sms', msg.MessageSid);
    const intent = parseCommandText('sms', msg.Body);
    // A photo without words is still a complaint; an empty SMS, or one with only emoji or
    // invisible characters, is someone asking how this works.
    const wordless = intent.kind === 'empty' || (intent.kind === 'complaint' && !isMeaningfulText(intent.text));
    if (wordless && msg.NumMedia === 0) return { kind: 'command', payload: this.toCommand(msg, 'help', undefined, receivedAt), correlationId };
    if (intent.kind === 'command') return { kind: 'command', payload: this.toCommand(msg, intent.command, intent.argument, receivedAt), correlationId };
    const text = intent.kind === 'complaint' ? intent.text : '';
    const limit = this.config.env.SMS_MAX_BODY_CHARS;
    // Characters as people count them (code points), not UTF-16 units: an emoji is one.
    if ([...text].length > limit) {
      return {
        kind: 'notice',
        payload: { channel: 'sms', senderId: msg.From, inReplyTo: msg.MessageSid, notice: 'body_too_long', onceKey: `body_too_long:sms:${msg.MessageSid}`, limit, locale: 'id' },
        correlationId,
      };
    }
    return { kind: 'complaint', payload: await this.withStoredMedia(this.toInbound(msg, text, receivedAt)), correlationId };
  }

  /**
   * The URL Twilio signed: the one configured at Twilio, i.e. PUBLIC_BASE_URL (what the
   * proxy/ingress exposes) + path + query. Without PUBLIC_BASE_URL, what this process saw.
   */
  signedUrl(req: HttpRequest): string {
    const base = this.config.env.PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? `${req.protocol}://${headerOf(req, 'host')}`;
    return base + req.originalUrl;
  }

  /**
   * X-Twilio-Signature: base64 HMAC-SHA1 over the URL and the sorted POST parameters,
   * keyed with the auth token; the library compares in constant time and also tries the
   * URL with and without the default port. https://www.twilio.com/docs/usage/security
   */
  verifySignature(req: HttpRequest): boolean {
    const token = this.config.env.TWILIO_AUTH_TOKEN;
    const signature = headerOf(req, 'x-twilio-signature');
    if (!token || !signature) return false;
    const params = hasMediaType(req, 'application/x-www-form-urlencoded') && req.body && typeof req.body === 'object' ? { ...(req.body as Record<string, unknown>) } : {};
    return twilio.validateRequest(token, signature, this.signedUrl(req), params);
  }

  parseMessage(body: unknown): TwilioInboundSms {
    return TwilioInboundSms.parse(body ?? {});
  }

  parseStatus(body: unknown): TwilioStatusCallback {
    return TwilioStatusCallback.parse(body ?? {});
  }

  /** MessageSid is the idempotency key: Twilio's retry of the same webhook carries the same one. */
  toInbound(msg: TwilioInboundSms, text: string, receivedAt: Date): ComplaintInboundPayload {
    const attachments: Attachment[] = [];
    for (let i = 0; i < msg.NumMedia; i++) {
      const url = msg[`MediaUrl${i}`];
      const mimeType = msg[`MediaContentType${i}`];
      if (typeof url !== 'string' || hasControlCharacters(url) || !URL.canParse(url)) continue;
      const type = typeof mimeType === 'string' ? normalizeText(mimeType) : undefined;
      attachments.push({ kind: attachmentKind(type), url, ...(type ? { mimeType: type } : {}) });
    }
    return {
      trackingId: trackingIdFor('sms', msg.MessageSid),
      channel: 'sms',
      channelMessageId: msg.MessageSid,
      senderId: msg.From,
      text,
      attachments,
      receivedAt: receivedAt.toISOString(),
      locale: 'id',
      anonymous: false,
      confidential: false,
      replyTo: [],
    };
  }

  /** The MMS's media fetched into the attachment store (twilio-media.ts); what cannot be fetched keeps its MediaUrl. */
  async withStoredMedia(payload: ComplaintInboundPayload): Promise<ComplaintInboundPayload> {
    if (!payload.attachments.length) return payload;
    const credentials = { accountSid: this.config.env.TWILIO_ACCOUNT_SID, authToken: this.config.env.TWILIO_AUTH_TOKEN, apiBaseUrl: this.config.env.TWILIO_API_BASE_URL };
    const attachments = await Promise.all(payload.attachments.map((a) => storeTwilioMedia(this.attachments, a, credentials, (m) => this.log.warn(m))));
    return { ...payload, attachments };
  }

  toCommand(msg: TwilioInboundSms, command: ChannelCommandPayload['command'], argument: string | undefined, receivedAt: Date): ChannelCommandPayload {
    return {
      channel: 'sms',
      channelMessageId: msg.MessageSid,
      senderId: msg.From,
      command,
      ...(argument ? { argument: truncateText(argument, 2000) } : {}),
      receivedAt: receivedAt.toISOString(),
      locale: 'id',
    };
  }

  /** Null for statuses that are not reports on our sends. */
  toDeliveryStatus(cb: TwilioStatusCallback, reportedAt: Date): DeliveryStatusPayload | null {
    // Own keys only: a status such as "constructor" must not find Object.prototype's.
    const key = cb.MessageStatus.toLowerCase();
    const status = Object.hasOwn(STATUS_MAPPING, key) ? STATUS_MAPPING[key] : undefined;
    if (!status) return null;
    return { channel: 'sms', externalId: cb.MessageSid, status, ...(cb.ErrorCode ? { errorCode: cb.ErrorCode } : {}), reportedAt: reportedAt.toISOString() };
  }

  /** The answer Twilio expects: empty TwiML, i.e. "send nothing now" (replies go out through the notifier). */
  emptyTwiml(): string {
    return new twilio.twiml.MessagingResponse().toString();
  }
}
