import { timingSafeEqual } from 'node:crypto';
import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { Attachment, ChannelCommandPayload, CommandName, ComplaintInboundPayload, isMeaningfulText, normalizeText, parseCommandText, trackingIdFor, truncateText } from '@lapor/contracts';
import { APP_CONFIG, AppConfig, Env, headerOf, HttpRequest, InboundAdapter, InboundItem, summary, Verification, WebhookAnswer, WebhookRoute } from '@lapor/runtime';
import { z } from 'zod';
import { Context, Telegraf } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Message, Update, UserFromGetMe } from 'telegraf/types';
import { AttachmentStore } from '@lapor/storage';
import { storeTelegramFile } from './telegram-media';

export type TelegramMode = 'webhook' | 'polling';

export interface TelegramSettings {
  mode: TelegramMode;
  apiRoot: string;
  webhookPath: string;
  token?: string;
  webhookSecret?: string;
  /** Why the channel is off (its routes answer 503 with this), or undefined when it is on. */
  off?: string;
}

export function telegramSettings(env: AppConfig['env']): TelegramSettings {
  const mode: TelegramMode = env.TELEGRAM_MODE ?? 'webhook';
  const base = { mode, apiRoot: env.TELEGRAM_API_ROOT, webhookPath: env.TELEGRAM_WEBHOOK_PATH, token: env.TELEGRAM_BOT_TOKEN, webhookSecret: env.TELEGRAM_WEBHOOK_SECRET };
  if (!env.TELEGRAM_BOT_TOKEN) return { ...base, off: 'Telegram channel is off: TELEGRAM_BOT_TOKEN is not set' };
  if (mode === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) return { ...base, off: 'Telegram channel is off: TELEGRAM_WEBHOOK_SECRET is not set (required in webhook mode)' };
  return base;
}

/**
 * The parts of an Update (https://core.telegram.org/bots/api#update) the adapter reads, with
 * their Bot API types: a body that only looks like an update is refused with 400 here
 * instead of failing inside telegraf.
 */
/** The longest text an inbound event carries (ComplaintInboundPayload.text). */
const MAX_INBOUND_TEXT = 20_000;
const FileShape = z.looseObject({ file_id: z.string(), mime_type: z.string().optional(), file_name: z.string().optional() });
const MessageShape = z.looseObject({
  message_id: z.number().int(),
  // Unix time in seconds; bounded so that it is a date.
  date: z.number().int().nonnegative().max(8.64e12),
  chat: z.looseObject({ id: z.number().int() }),
  from: z.looseObject({ id: z.number().int(), first_name: z.string().optional(), last_name: z.string().optional() }).optional(),
  // Telegram's own limits are far lower (4,096 and 1,024); longer is not from Telegram, and more than an event may carry.
  text: z.string().max(MAX_INBOUND_TEXT).optional(),
  caption: z.string().max(MAX_INBOUND_TEXT).optional(),
  entities: z.array(z.looseObject({ type: z.string(), offset: z.number().int(), length: z.number().int() })).optional(),
  location: z.looseObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
  photo: z.array(FileShape).min(1).optional(),
  document: FileShape.optional(),
  voice: FileShape.optional(),
  video: FileShape.optional(),
});
const UpdateShape = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: MessageShape.optional(),
  edited_message: MessageShape.optional(),
  channel_post: MessageShape.optional(),
  edited_channel_post: MessageShape.optional(),
});

/**
 * Telegram Bot API updates → normalized inbound items, through telegraf's router (no
 * session: the conversation lives behind the bus, so any replica handles any update).
 * The adapter never answers the chat itself: replies are events the notifier sends.
 *
 * - update_id is the channel message id, so a re-delivered update mints the same
 *   tracking id and the router registers it once.
 * - Only private chats are complaints; a group the bot was added to is ignored.
 * - Edited messages are ignored (answered 200): the original was already registered,
 *   and an edit arriving outside the follow-up window would otherwise open a second
 *   complaint. A correction is sent as a new message, which threads as a follow-up.
 *
 * https://core.telegram.org/bots/api#update
 */
@Injectable()
export class TelegramChatAdapter implements InboundAdapter {
  readonly channel = 'telegram' as const;
  readonly vendor = 'telegram-bot-api';
  private readonly log = new Logger('Telegram');

  /** The webhook at TELEGRAM_WEBHOOK_PATH; 200 only once the update is durably on the bus (Telegram re-delivers on any other answer). */
  static routes(env: Env): WebhookRoute[] {
    return [{ method: 'POST', path: env.TELEGRAM_WEBHOOK_PATH, name: 'update' }];
  }
  readonly settings: TelegramSettings;
  readonly bot?: Telegraf;
  /** The item each update became; telegraf's handleUpdate keeps the update object as ctx.update. */
  private readonly results = new WeakMap<Update, InboundItem>();
  private botInfoCall?: Promise<UserFromGetMe>;
  private botInfoRetryAt = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly attachments: AttachmentStore,
  ) {
    this.settings = telegramSettings(config.env);
    if (this.settings.off) {
      this.log.log(`${this.settings.off}; ${this.settings.webhookPath} answers 503`);
      return;
    }
    this.bot = this.createBot(this.settings.token!);
    this.log.log(`Telegram channel on (${this.settings.mode} mode${this.settings.mode === 'webhook' ? ` at POST ${this.settings.webhookPath}` : ''})`);
  }

  get enabled(): boolean {
    return !!this.bot;
  }

  get off(): string | undefined {
    return this.settings.off;
  }

  verify(req: HttpRequest): Verification {
    if (this.settings.mode !== 'webhook') return { ok: false, status: 503, reason: 'Telegram channel runs in polling mode (TELEGRAM_MODE=polling); the webhook is not in use' };
    const check = this.checkSecret(headerOf(req, 'x-telegram-bot-api-secret-token'));
    if (check === 'missing') return { ok: false, status: 401, reason: 'X-Telegram-Bot-Api-Secret-Token header missing' };
    if (check === 'wrong') return { ok: false, status: 403, reason: 'X-Telegram-Bot-Api-Secret-Token does not match' };
    return { ok: true };
  }

  async parse(req: HttpRequest): Promise<InboundItem[]> {
    const update = UpdateShape.safeParse(req.body);
    if (!update.success) throw new BadRequestException(`not a Telegram update: ${update.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ').slice(0, 300)}`);
    return [await this.handle(update.data as unknown as Update)];
  }

  respond(items: InboundItem[]): WebhookAnswer {
    return { status: 200, body: summary(items) };
  }

  /**
   * The X-Telegram-Bot-Api-Secret-Token header against setWebhook's secret_token,
   * compared in constant time. https://core.telegram.org/bots/api#setwebhook
   */
  checkSecret(header: string | undefined): 'ok' | 'missing' | 'wrong' {
    if (!header) return 'missing';
    const expected = Buffer.from(this.settings.webhookSecret ?? '');
    const given = Buffer.from(header);
    return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'wrong';
  }

  /** Runs one update through the bot and returns what it became. */
  async handle(update: Update): Promise<InboundItem> {
    if (!this.bot) throw new Error(this.settings.off);
    await this.ensureBotInfo(this.bot);
    await this.bot.handleUpdate(update);
    return this.results.get(update) ?? { kind: 'ignored', reason: `update ${update.update_id} carries nothing to handle` };
  }

  private createBot(token: string): Telegraf {
    const bot = new Telegraf(token, { telegram: { apiRoot: this.settings.apiRoot, webhookReply: false } });
    // Errors propagate to the caller (the webhook answers 5xx, the poller retries) instead of telegraf's console.error.
    bot.catch((error) => {
      throw error;
    });
    const done = (ctx: Context, item: InboundItem) => void this.results.set(ctx.update, item);

    bot.use((ctx, next) => (ctx.chat && ctx.chat.type !== 'private' ? done(ctx, { kind: 'ignored', reason: `${ctx.chat.type} chat: only private chats are handled` }) : next()));

    // Commands ("/cek <id>", "/start", and the plain words every channel reads: "STOP", "CEK <id>")
    // go through the one parser (libs/contracts/src/channels/commands.ts), as on every channel.
    bot.on(message('text'), (ctx) => {
      const m = ctx.message;
      const text = normalizeText(m.text);
      const intent = parseCommandText('telegram', text, { botName: ctx.botInfo?.username || undefined });
      if (intent.kind === 'command') return done(ctx, this.command(ctx.update.update_id, m, intent.command, intent.argument));
      // Empty, only emoji or invisible characters is not a complaint: the help text, as for an empty SMS.
      done(ctx, intent.kind === 'complaint' && isMeaningfulText(intent.text) ? this.complaint(ctx.update.update_id, m, { text: intent.text }) : this.command(ctx.update.update_id, m, 'help'));
    });
    bot.on(message('location'), (ctx) => {
      const { latitude: lat, longitude: lon } = ctx.message.location;
      const venue = 'venue' in ctx.message ? ctx.message.venue : undefined;
      done(ctx, this.complaint(ctx.update.update_id, ctx.message, { text: venue ? [venue.title, venue.address].join(', ') : '', point: { lat, lon } }));
    });
    bot.on(message('photo'), async (ctx) => {
      // Telegram sends several sizes of one photo; the last is the largest.
      const largest = ctx.message.photo[ctx.message.photo.length - 1];
      done(ctx, await this.withStoredFiles(this.complaint(ctx.update.update_id, ctx.message, { text: ctx.message.caption ?? '', attachments: [{ kind: 'image', fileRef: largest.file_id, mimeType: 'image/jpeg' }] })));
    });
    bot.on(message('document'), async (ctx) => {
      const d = ctx.message.document;
      const kind: Attachment['kind'] = d.mime_type?.startsWith('image/') ? 'image' : d.mime_type?.startsWith('video/') ? 'video' : 'document';
      done(ctx, await this.withStoredFiles(this.complaint(ctx.update.update_id, ctx.message, { text: ctx.message.caption ?? '', attachments: [{ kind, fileRef: d.file_id, mimeType: d.mime_type, name: d.file_name }] })));
    });
    bot.on(message('voice'), (ctx) =>
      done(ctx, this.complaint(ctx.update.update_id, ctx.message, { text: ctx.message.caption ?? '', attachments: [{ kind: 'audio', fileRef: ctx.message.voice.file_id, mimeType: ctx.message.voice.mime_type }] })),
    );
    bot.on(message('video'), (ctx) =>
      done(ctx, this.complaint(ctx.update.update_id, ctx.message, { text: ctx.message.caption ?? '', attachments: [{ kind: 'video', fileRef: ctx.message.video.file_id, mimeType: ctx.message.video.mime_type }] })),
    );
    bot.on('edited_message', (ctx) => done(ctx, { kind: 'ignored', reason: 'edited message: the original is already registered; send a correction as a new message' }));
    // An update of a type telegraf does not know has no updateType (reading it throws): name its field instead.
    bot.use((ctx) => done(ctx, { kind: 'ignored', reason: `${Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'empty'} update not handled` }));
    return bot;
  }

  /** Every text that enters from Telegram (message, caption, names, file names) is normalized here (`normalizeText`). */
  private complaint(updateId: number, m: Message, fields: { text: string; point?: { lat: number; lon: number }; attachments?: Attachment[] }): InboundItem {
    const channelMessageId = String(updateId);
    const name = normalizeText([m.from?.first_name, m.from?.last_name].filter(Boolean).join(' ')).trim();
    const payload: ComplaintInboundPayload = {
      trackingId: trackingIdFor('telegram', channelMessageId),
      channel: 'telegram',
      channelMessageId,
      senderId: String(m.chat.id),
      text: normalizeText(fields.text),
      location: fields.point ? { point: fields.point } : undefined,
      attachments: (fields.attachments ?? []).map(normalizeAttachment),
      receivedAt: new Date(m.date * 1000).toISOString(),
      locale: 'id',
      anonymous: false,
      confidential: false,
      reporter: name ? { name: truncateText(name, 200) } : undefined,
      replyTo: [],
    };
    return { kind: 'complaint', payload };
  }

  /** The complaint's photos and documents fetched into the attachment store (telegram-media.ts). */
  private async withStoredFiles(item: InboundItem): Promise<InboundItem> {
    if (item.kind !== 'complaint' || !this.bot) return item;
    const attachments = await Promise.all(item.payload.attachments.map((a) => storeTelegramFile(this.bot!.telegram, this.attachments, a, (m) => this.log.warn(m))));
    return { kind: 'complaint', payload: { ...item.payload, attachments } };
  }

  private command(updateId: number, m: Message, command: CommandName, argument?: string): InboundItem {
    const arg = normalizeText(argument ?? '').trim();
    const payload: ChannelCommandPayload = {
      channel: 'telegram',
      channelMessageId: String(updateId),
      senderId: String(m.chat.id),
      command,
      argument: arg ? truncateText(arg, 2000) : undefined,
      receivedAt: new Date(m.date * 1000).toISOString(),
      locale: 'id',
    };
    return { kind: 'command', payload };
  }

  /**
   * telegraf needs the bot's username to match "/cek@LaporBot". It would call getMe on the
   * first update and keep a failed call forever; here a failure falls back to the id from
   * the token (commands with "@username" then read as unknown) and getMe is retried later.
   */
  private async ensureBotInfo(bot: Telegraf): Promise<void> {
    if (bot.botInfo?.username) return;
    if (bot.botInfo && Date.now() < this.botInfoRetryAt) return; // the placeholder, until the next try
    this.botInfoCall ??= bot.telegram.getMe().finally(() => (this.botInfoCall = undefined));
    try {
      bot.botInfo = await this.botInfoCall;
    } catch (error) {
      this.log.warn(`getMe failed (${(error as Error).message}); handling updates without the bot's username for now`);
      this.botInfoRetryAt = Date.now() + 60_000;
      bot.botInfo ??= { id: Number(this.settings.token!.split(':')[0]) || 0, is_bot: true, first_name: 'LAPOR!', username: '', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
    }
  }
}

function normalizeAttachment(a: Attachment): Attachment {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'string' ? normalizeText(v) : v])) as Attachment;
}
