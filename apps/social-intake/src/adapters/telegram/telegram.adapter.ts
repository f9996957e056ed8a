import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Attachment, ChannelCommandPayload, CommandName, ComplaintInboundPayload, isMeaningfulText, normalizeText, trackingIdFor, truncateText } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { AttachmentStore } from '@lapor/storage';
import { Context, Telegraf } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Message, Update, UserFromGetMe } from 'telegraf/types';
import type { InboundItem } from '../inbound-item';
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

/** Slash commands, Bahasa Indonesia first, English aliases after (COMMAND_SYNTAX in the notifier shows the Indonesian ones). */
const COMMANDS: Array<[string[], CommandName]> = [
  [['start'], 'start'],
  [['bantuan', 'help'], 'help'],
  [['cek', 'status'], 'status'],
  // The reporter's answer to the body's response: /keberatan <id> [alasan] (tidak puas), /selesai <id> (puas).
  [['keberatan', 'tidakpuas'], 'object'],
  [['selesai', 'puas'], 'confirm'],
  [['berhenti', 'stop'], 'opt_out'],
  [['mulai'], 'opt_in'],
];

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
export class TelegramChatAdapter {
  private readonly log = new Logger('Telegram');
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

    for (const [names, command] of COMMANDS) {
      bot.command(names, (ctx) => done(ctx, this.command(ctx.update.update_id, ctx.message, command, ctx.payload)));
    }
    // "/lapor <text>" is the complaint itself; a bare /lapor asks how to write one.
    bot.command(['lapor', 'report'], (ctx) => {
      const text = normalizeText(ctx.payload).trim();
      done(ctx, isMeaningfulText(text) ? this.complaint(ctx.update.update_id, ctx.message, { text }) : this.command(ctx.update.update_id, ctx.message, 'report'));
    });
    bot.on(message('text'), (ctx) => {
      const m = ctx.message;
      // An unknown command (or one addressed to another bot) is not complaint text: answer with help.
      if (m.entities?.[0]?.type === 'bot_command' && m.entities[0].offset === 0) return done(ctx, this.command(ctx.update.update_id, m, 'help'));
      // Only emoji or invisible characters is not a complaint either: the help text, as for an empty SMS.
      const text = normalizeText(m.text);
      done(ctx, isMeaningfulText(text) ? this.complaint(ctx.update.update_id, m, { text }) : this.command(ctx.update.update_id, m, 'help'));
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
