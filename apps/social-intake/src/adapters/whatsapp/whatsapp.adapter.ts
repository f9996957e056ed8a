import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { Attachment, ChannelCommandPayload, ComplaintInboundPayload, DeliveryStatusPayload, hasControlCharacters, isMeaningfulText, normalizeText, parseCommandText, trackingIdFor, truncateText } from '@lapor/contracts';
import { APP_CONFIG, AppConfig, headerOf, HttpRequest, InboundAdapter, InboundItem, queryOf, summary, Verification, WebhookAnswer, WebhookRoute } from '@lapor/runtime';
import { AttachmentStore } from '@lapor/storage';
import { z } from 'zod';
import { storeWhatsAppMedia } from './whatsapp-media';

// Meta WhatsApp Cloud API webhook payloads ("messages" field): only the fields we read; Meta
// adds fields without notice. Ids never contain control characters (an item with one is ignored).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
const WaId = z.string().min(1).max(256).refine((v) => !hasControlCharacters(v));
const Media = z.looseObject({ id: WaId, mime_type: z.string().max(200).optional(), caption: z.string().max(20_000).optional(), filename: z.string().max(500).optional() });
const Message = z.looseObject({
  from: WaId,
  id: WaId,
  timestamp: z.string().regex(/^\d{1,13}$/),
  type: z.string(),
  text: z.looseObject({ body: z.string().max(20_000) }).optional(),
  location: z.looseObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), name: z.string().max(1000).optional(), address: z.string().max(1000).optional() }).optional(),
  image: Media.optional(),
  document: Media.optional(),
  audio: Media.optional(),
  video: Media.optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.looseObject({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  /** A quick-reply button of a template message. */
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }).optional(),
});
const Status = z.looseObject({
  id: WaId,
  status: z.string(),
  timestamp: z.string().regex(/^\d{1,13}$/),
  recipient_id: WaId,
  errors: z.array(z.looseObject({ code: z.number().int() })).optional(),
});
const Value = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  metadata: z.looseObject({ display_phone_number: z.string(), phone_number_id: z.string() }),
  contacts: z.array(z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});
const Notification = z.looseObject({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.looseObject({ id: z.string(), changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })) })).min(1),
});

/** Cloud API statuses → ours. https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages (status messages) */
const STATUS_MAPPING: Record<string, DeliveryStatusPayload['status']> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

/**
 * WhatsApp (Meta Cloud API) → normalized inbound items, on the generic webhook controller.
 *
 * - GET /webhooks/whatsapp: the verification handshake (hub.mode=subscribe and our verify
 *   token → hub.challenge as plain text; otherwise 403).
 * - POST /webhooks/whatsapp: X-Hub-Signature-256 (sha256=<hex HMAC-SHA256 of the raw body
 *   with the app secret>) is checked on the raw bytes, in constant time, before anything is parsed.
 * - The message id (wamid.…) is the channel message id: a re-delivered notification mints the
 *   same tracking id and the router registers it once (commands are answered once).
 * - statuses[] are delivery reports on what the notifier sent (the wamid it got back).
 * - Messages the business number sent itself (`smb_message_echoes`, or `from` our own number) are ignored.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
 */
@Injectable()
export class WhatsAppCloudAdapter implements InboundAdapter {
  readonly channel = 'whatsapp' as const;
  readonly vendor = 'meta-cloud-api';
  readonly off: string | undefined;
  private readonly log = new Logger('WhatsApp');

  static routes(): WebhookRoute[] {
    return [
      { method: 'GET', path: '/webhooks/whatsapp', name: 'handshake' },
      { method: 'POST', path: '/webhooks/whatsapp', name: 'notification' },
    ];
  }

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly attachments: AttachmentStore,
  ) {
    const missing = [!config.env.WHATSAPP_APP_SECRET && 'WHATSAPP_APP_SECRET', !config.env.WHATSAPP_VERIFY_TOKEN && 'WHATSAPP_VERIFY_TOKEN'].filter(Boolean);
    this.off = missing.length ? `WhatsApp channel is off: ${missing.join(' and ')} not set` : undefined;
    this.log.log(this.off ? `${this.off}; /webhooks/whatsapp answers 503` : 'WhatsApp channel on (GET/POST /webhooks/whatsapp)');
  }

  verify(req: HttpRequest, route: WebhookRoute): Verification {
    if (route.name === 'handshake') {
      const q = queryOf(req);
      return q.get('hub.mode') === 'subscribe' && equal(q.get('hub.verify_token') ?? '', this.config.env.WHATSAPP_VERIFY_TOKEN!)
        ? { ok: true }
        : { ok: false, status: 403, reason: 'hub.mode or hub.verify_token does not match' };
    }
    const header = headerOf(req, 'x-hub-signature-256');
    if (!header || !req.rawBody) return { ok: false, status: 403, reason: 'X-Hub-Signature-256 missing' };
    const expected = `sha256=${createHmac('sha256', this.config.env.WHATSAPP_APP_SECRET!).update(req.rawBody).digest('hex')}`;
    return equal(header, expected) ? { ok: true } : { ok: false, status: 403, reason: 'X-Hub-Signature-256 does not match' };
  }

  async parse(req: HttpRequest, route: WebhookRoute): Promise<InboundItem[]> {
    if (route.name === 'handshake') return [];
    const parsed = Notification.safeParse(req.body);
    if (!parsed.success) throw new BadRequestException(`not a WhatsApp Business Account notification: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ').slice(0, 300)}`);
    const items: InboundItem[] = [];
    for (const entry of parsed.data.entry) {
      for (const change of entry.changes) {
        if (change.field !== 'messages') {
          items.push({ kind: 'ignored', reason: `${change.field} change (our own echoes and account updates are not complaints)` });
          continue;
        }
        const value = Value.safeParse(change.value);
        if (!value.success) {
          items.push({ kind: 'ignored', reason: 'messages change of another shape' });
          continue;
        }
        const v = value.data;
        const names = new Map((v.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
        for (const raw of v.messages ?? []) items.push(this.message(raw, v.metadata.display_phone_number, names));
        for (const raw of v.statuses ?? []) items.push(this.status(raw));
      }
    }
    if (!items.length) items.push({ kind: 'ignored', reason: 'no messages or statuses' });
    return Promise.all(items.map((item) => this.withStoredMedia(item)));
  }

  /** A complaint's photos and documents fetched into the attachment store (whatsapp-media.ts); the media id stays. */
  private async withStoredMedia(item: InboundItem): Promise<InboundItem> {
    if (item.kind !== 'complaint' || !item.payload.attachments.length) return item;
    const access = { apiRoot: this.config.env.WHATSAPP_API_ROOT, accessToken: this.config.env.WHATSAPP_ACCESS_TOKEN };
    const attachments = await Promise.all(item.payload.attachments.map((a) => storeWhatsAppMedia(this.attachments, a, access, (m) => this.log.warn(m))));
    return { ...item, payload: { ...item.payload, attachments } };
  }

  respond(items: InboundItem[], route: WebhookRoute, req: HttpRequest): WebhookAnswer {
    if (route.name === 'handshake') return { status: 200, contentType: 'text/plain; charset=utf-8', body: queryOf(req).get('hub.challenge') ?? '' };
    return { status: 200, body: summary(items) };
  }

  private message(raw: unknown, ownNumber: string, names: Map<string, string | undefined>): InboundItem {
    const parsed = Message.safeParse(raw);
    if (!parsed.success) return { kind: 'ignored', reason: 'message of another shape' };
    const m = parsed.data;
    if (digits(m.from) === digits(ownNumber)) return { kind: 'ignored', reason: `message ${m.id} sent by the business number itself` };
    const receivedAt = new Date(Number(m.timestamp) * 1000).toISOString();
    const base = { channel: 'whatsapp' as const, channelMessageId: m.id, senderId: m.from, receivedAt, locale: 'id' };
    const command = (command: ChannelCommandPayload['command'], argument?: string): InboundItem => ({
      kind: 'command',
      payload: { ...base, command, ...(argument ? { argument: truncateText(normalizeText(argument), 2000) } : {}) },
    });
    const complaint = (text: string, extra: Partial<ComplaintInboundPayload> = {}): InboundItem => {
      const name = normalizeText(names.get(m.from) ?? '').trim();
      return {
        kind: 'complaint',
        payload: {
          ...base,
          trackingId: trackingIdFor('whatsapp', m.id),
          text: normalizeText(text).trim(),
          attachments: [],
          anonymous: false,
          confidential: false,
          reporter: name ? { name: truncateText(name, 200) } : undefined,
          replyTo: [],
          ...extra,
        },
      };
    };
    const text = m.type === 'text' ? m.text?.body : m.type === 'interactive' ? (m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title) : m.type === 'button' ? m.button?.text : undefined;
    if (text !== undefined) {
      // The same vocabulary as every channel; a button's title ("CEK", "BERHENTI") reads as typed.
      const intent = parseCommandText('whatsapp', normalizeText(text));
      if (intent.kind === 'command') return command(intent.command, intent.argument);
      // Empty, only emoji or invisible characters is not a complaint: the help text, as for an empty SMS.
      return intent.kind === 'complaint' && isMeaningfulText(intent.text) ? complaint(intent.text) : command('help');
    }
    if (m.type === 'location' && m.location) {
      const { latitude: lat, longitude: lon, name, address } = m.location;
      return complaint([name, address].filter(Boolean).join(', '), { location: { point: { lat, lon } } });
    }
    const media = m.type === 'image' ? m.image : m.type === 'document' ? m.document : m.type === 'audio' ? m.audio : m.type === 'video' ? m.video : undefined;
    if (media) {
      // The media id is not a URL: withStoredMedia fetches the file through the Graph API (GET /<media id>).
      const kind: Attachment['kind'] = m.type === 'image' ? 'image' : m.type === 'document' ? 'document' : m.type === 'audio' ? 'audio' : 'video';
      const attachment: Attachment = { kind, fileRef: media.id, ...(media.mime_type ? { mimeType: normalizeText(media.mime_type) } : {}), ...(media.filename ? { name: normalizeText(media.filename) } : {}) };
      return complaint(media.caption ?? '', { attachments: [attachment] });
    }
    return { kind: 'ignored', reason: `${m.type} message ${m.id} is not handled (text, location, image, document, audio, video, interactive)` };
  }

  private status(raw: unknown): InboundItem {
    const parsed = Status.safeParse(raw);
    if (!parsed.success) return { kind: 'ignored', reason: 'status of another shape' };
    const s = parsed.data;
    const status = Object.hasOwn(STATUS_MAPPING, s.status) ? STATUS_MAPPING[s.status] : undefined;
    if (!status) return { kind: 'ignored', reason: `status ${s.status} of ${s.id} is not a delivery report` };
    const code = s.errors?.[0]?.code;
    const payload: DeliveryStatusPayload = { channel: 'whatsapp', externalId: s.id, status, ...(code !== undefined ? { errorCode: String(code) } : {}), reportedAt: new Date(Number(s.timestamp) * 1000).toISOString() };
    return { kind: 'delivery', payload };
  }
}

/** Constant-time comparison of two strings (different lengths are unequal without comparing). */
function equal(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const digits = (phone: string) => phone.replace(/\D/g, '');
