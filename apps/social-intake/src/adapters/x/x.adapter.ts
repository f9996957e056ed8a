import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { Attachment, ChannelCommandPayload, ComplaintInboundPayload, hasControlCharacters, isMeaningfulText, normalizeText, parseCommandText, trackingIdFor, truncateText } from '@lapor/contracts';
import { APP_CONFIG, AppConfig, headerOf, HttpRequest, InboundAdapter, InboundItem, queryOf, summary, Verification, WebhookAnswer, WebhookRoute } from '@lapor/runtime';
import { AttachmentStore } from '@lapor/storage';
import { z } from 'zod';
import { XDmMedia } from './x-media';

export interface XSettings {
  consumerSecret?: string;
  accountId?: string;
  /** Why the channel is off (its routes answer 503 with this), or undefined when it is on. */
  off?: string;
}

export function xSettings(env: AppConfig['env']): XSettings {
  const missing = [!env.X_CONSUMER_SECRET && 'X_CONSUMER_SECRET', !env.X_ACCOUNT_ID && 'X_ACCOUNT_ID'].filter(Boolean);
  return { consumerSecret: env.X_CONSUMER_SECRET, accountId: env.X_ACCOUNT_ID, off: missing.length ? `X channel is off: ${missing.join(' and ')} not set` : undefined };
}

// Account Activity API payloads: only the fields we read; X adds fields without notice.
// Ids and URLs never contain control characters (an event with one is ignored); text and
// names are normalized where they enter (`normalizeText`).
// https://docs.x.com/x-api/enterprise-gnip-2.0/fundamentals/account-activity
const XId = z.string().min(1).max(64).refine((v) => !hasControlCharacters(v));
const Media = z.object({ media_url_https: z.string().url().refine((v) => !hasControlCharacters(v)).optional(), type: z.string().optional() }).passthrough();

const DirectMessageEvent = z
  .object({
    type: z.literal('message_create'),
    id: XId,
    created_timestamp: z.string().optional(),
    message_create: z.object({
      target: z.object({ recipient_id: z.string() }).passthrough(),
      sender_id: XId,
      message_data: z.object({ text: z.string().default(''), attachment: z.object({ type: z.string(), media: Media }).passthrough().optional() }).passthrough(),
    }).passthrough(),
  })
  .passthrough();

const TweetCreateEvent = z
  .object({
    id_str: XId,
    created_at: z.string().optional(),
    timestamp_ms: z.string().optional(),
    text: z.string().default(''),
    extended_tweet: z.object({ full_text: z.string() }).passthrough().optional(),
    user: z.object({ id_str: XId, screen_name: z.string().optional(), name: z.string().optional() }).passthrough(),
    retweeted_status: z.unknown().optional(),
    extended_entities: z.object({ media: z.array(Media).optional() }).passthrough().optional(),
  })
  .passthrough();

const AccountActivity = z
  .object({
    for_user_id: z.string(),
    direct_message_events: z.array(z.unknown()).optional(),
    tweet_create_events: z.array(z.unknown()).optional(),
  })
  .passthrough();

/**
 * X Account Activity webhooks → normalized inbound items.
 *
 * - Direct messages are complaints (or keyword commands); a public mention is a
 *   complaint too, and its `replyTo` carries `publicReplyTo: <tweet id>` so the notifier
 *   answers under the tweet with the tracking id and a DM invitation only.
 * - The event id (DM event id, tweet id) is the channel message id: a re-delivered
 *   webhook mints the same tracking id and the router registers it once.
 * - Events the account sent itself (our own DMs and replies echo back) are ignored, so
 *   the bot never answers itself. Retweets are ignored.
 *
 * The X Activity API wraps events as {event_uuid, filter, event_type, payload}; a parser
 * for it would sit beside `parse` and return the same items.
 */
@Injectable()
export class XAccountActivityAdapter implements InboundAdapter {
  readonly channel = 'x' as const;
  readonly vendor = 'x-account-activity';
  private readonly log = new Logger('X');
  readonly settings: XSettings;

  /** GET: the CRC challenge (X checks the URL at registration and hourly; it must answer within 3 s). POST: signed events. */
  static routes(): WebhookRoute[] {
    return [
      { method: 'GET', path: '/webhooks/x', name: 'crc' },
      { method: 'POST', path: '/webhooks/x', name: 'activity' },
    ];
  }

  private readonly dmMedia: XDmMedia;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly attachments: AttachmentStore,
  ) {
    this.settings = xSettings(config.env);
    this.dmMedia = new XDmMedia(config.env);
    if (this.settings.off) this.log.log(`${this.settings.off}; /webhooks/x answers 503`);
    else this.log.log(`X channel on (account ${this.settings.accountId}, GET/POST /webhooks/x)`);
  }

  get enabled(): boolean {
    return !this.settings.off;
  }

  get off(): string | undefined {
    return this.settings.off;
  }

  /** The CRC GET is answerable by anyone (its answer proves we hold the secret); events must be signed. */
  verify(req: HttpRequest, route: WebhookRoute): Verification {
    if (route.name === 'crc') return { ok: true };
    return this.verifySignature(req.rawBody, headerOf(req, 'x-twitter-webhooks-signature')) ? { ok: true } : { ok: false, status: 403, reason: 'x-twitter-webhooks-signature missing or invalid' };
  }

  async parse(req: HttpRequest, route: WebhookRoute): Promise<InboundItem[]> {
    if (route.name === 'crc') {
      if (!queryOf(req).get('crc_token')) throw new BadRequestException('crc_token missing');
      return [];
    }
    return Promise.all(this.parseActivity(req.body).map((item) => this.withStoredDmPhotos(item)));
  }

  /** A DM's photo fetched into the attachment store (x-media.ts); its URL stays. Mentions' public media keep their URL. */
  private async withStoredDmPhotos(item: InboundItem): Promise<InboundItem> {
    if (item.kind !== 'complaint' || !item.payload.channelMessageId.startsWith('dm:') || !item.payload.attachments.length) return item;
    const attachments = await Promise.all(item.payload.attachments.map((a) => this.dmMedia.store(this.attachments, a, (m) => this.log.warn(m))));
    return { ...item, payload: { ...item.payload, attachments } };
  }

  respond(items: InboundItem[], route: WebhookRoute, req: HttpRequest): WebhookAnswer {
    if (route.name === 'crc') return { status: 200, body: this.crcResponse(queryOf(req).get('crc_token')!) };
    return { status: 200, body: summary(items) };
  }

  /** The CRC challenge answer. https://docs.x.com/x-api/webhooks/introduction (securing webhooks) */
  crcResponse(crcToken: string): { response_token: string } {
    return { response_token: `sha256=${createHmac('sha256', this.settings.consumerSecret!).update(crcToken).digest('base64')}` };
  }

  /** x-twitter-webhooks-signature: "sha256=" + base64 HMAC-SHA256 of the raw body with the consumer secret, compared in constant time. */
  verifySignature(rawBody: Buffer | undefined, header: string | undefined): boolean {
    if (!rawBody || !header) return false;
    const expected = Buffer.from(`sha256=${createHmac('sha256', this.settings.consumerSecret!).update(rawBody).digest('base64')}`);
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  parseActivity(body: unknown): InboundItem[] {
    const activity = AccountActivity.safeParse(body);
    if (!activity.success) return [{ kind: 'ignored', reason: 'not an Account Activity event (no for_user_id)' }];
    const a = activity.data;
    if (a.for_user_id !== this.settings.accountId) return [{ kind: 'ignored', reason: `event for another account (${a.for_user_id})` }];
    const items: InboundItem[] = [];
    for (const raw of a.direct_message_events ?? []) items.push(this.directMessage(raw));
    for (const raw of a.tweet_create_events ?? []) items.push(this.mention(raw));
    if (!items.length) items.push({ kind: 'ignored', reason: `no direct message or mention (${Object.keys(a).filter((k) => k.endsWith('_events')).join(', ') || 'no events'})` });
    return items;
  }

  private directMessage(raw: unknown): InboundItem {
    const parsed = DirectMessageEvent.safeParse(raw);
    if (!parsed.success) return { kind: 'ignored', reason: 'direct message event of another type or shape' };
    const e = parsed.data;
    const m = e.message_create;
    if (m.sender_id === this.settings.accountId) return { kind: 'ignored', reason: `DM ${e.id} sent by the account itself` };
    const channelMessageId = `dm:${e.id}`;
    const receivedAt = timeOf(Number(e.created_timestamp));
    const media = m.message_data.attachment?.media;
    // X appends the media's t.co link to the text; the rest is read as on every channel (one vocabulary).
    const text = normalizeText(m.message_data.text).trim();
    const intent = parseCommandText('x', media ? text.replace(/\s*https:\/\/t\.co\/\w+$/, '') : text);
    const complaintText = intent.kind === 'complaint' ? intent.text : '';
    // Only emoji or invisible characters (and no photo) is not a complaint: the help text, as for an empty SMS.
    const command = intent.kind === 'command' ? intent : !media && !isMeaningfulText(complaintText) ? ({ command: 'help' } as const) : null;
    if (command) {
      const argument = 'argument' in command && command.argument ? truncateText(command.argument, 2000) : undefined;
      const payload: ChannelCommandPayload = { channel: 'x', channelMessageId, senderId: m.sender_id, command: command.command, argument, receivedAt, locale: 'id' };
      return { kind: 'command', payload };
    }
    const payload: ComplaintInboundPayload = {
      ...this.base(channelMessageId, m.sender_id, receivedAt),
      text: complaintText,
      attachments: media ? attachmentsOf([media]) : [],
      replyTo: [],
    };
    return { kind: 'complaint', payload };
  }

  private mention(raw: unknown): InboundItem {
    const parsed = TweetCreateEvent.safeParse(raw);
    if (!parsed.success) return { kind: 'ignored', reason: 'tweet event of another shape' };
    const t = parsed.data;
    if (t.user.id_str === this.settings.accountId) return { kind: 'ignored', reason: `tweet ${t.id_str} posted by the account itself` };
    if (t.retweeted_status) return { kind: 'ignored', reason: `tweet ${t.id_str} is a retweet` };
    const receivedAt = timeOf(t.timestamp_ms ? Number(t.timestamp_ms) : t.created_at ? Date.parse(t.created_at) : NaN);
    // Leading @handles address the tweet; they are not part of the complaint.
    const text = normalizeText(t.extended_tweet?.full_text ?? t.text).replace(/^(?:@\w+\s+)+/, '').trim();
    const attachments = attachmentsOf(t.extended_entities?.media ?? []);
    // A public mention with only emoji is not a complaint, and a help text under a public post would be noise.
    if (!attachments.length && !isMeaningfulText(text)) return { kind: 'ignored', reason: `tweet ${t.id_str} has no words and no photo` };
    const name = normalizeText(t.user.name ?? '').trim();
    const payload: ComplaintInboundPayload = {
      ...this.base(`tweet:${t.id_str}`, t.user.id_str, receivedAt),
      text,
      attachments,
      reporter: name ? { name: truncateText(name, 200) } : undefined,
      // The mention is public: the notifier answers under it once, with the tracking id and a DM invitation only.
      replyTo: [{ channel: 'x', address: t.user.id_str, publicReplyTo: t.id_str }],
    };
    return { kind: 'complaint', payload };
  }

  private base(channelMessageId: string, senderId: string, receivedAt: string) {
    return {
      trackingId: trackingIdFor('x', channelMessageId),
      channel: 'x' as const,
      channelMessageId,
      senderId,
      receivedAt,
      locale: 'id',
      anonymous: false,
      confidential: false,
    };
  }
}

function attachmentsOf(media: z.infer<typeof Media>[]): Attachment[] {
  return media
    .filter((m) => m.media_url_https)
    .map((m) => ({ kind: m.type === 'video' || m.type === 'animated_gif' ? ('video' as const) : ('image' as const), url: m.media_url_https }));
}

/** X sends times as strings of milliseconds (or a date text); anything that is not a time is taken as now. */
function timeOf(ms: number): string {
  return new Date(Number.isFinite(ms) && ms > 0 && ms < 8.64e15 ? ms : Date.now()).toISOString();
}
