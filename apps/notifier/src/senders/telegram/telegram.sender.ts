import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '@lapor/runtime/config';
import { APP_CONFIG } from '@lapor/runtime/tokens';
import { Telegram, TelegramError } from 'telegraf';
import { ChannelSender, OutboundMessage, PermanentSendError, RetryLaterError, SendResult, transportFailure } from '../channel-sender';

/** 400 descriptions that mean the chat itself is gone, not that this one message was wrong. */
const DEAD_CHAT = /chat not found|user is deactivated|bot was kicked|PEER_ID_INVALID/i;

/**
 * Telegram through telegraf's Bot API client (TELEGRAM_API_ROOT for a local stand-in),
 * to the chat the complaint came from; without TELEGRAM_BOT_TOKEN, to OUTBOX_DIR/telegram.
 *
 * - 403 (the citizen blocked the bot, or deleted the account): PermanentSendError, the chat
 *   is marked unreachable until they write again, instead of retrying forever.
 * - 429: retried after the `retry_after` seconds Telegram asks for.
 * https://core.telegram.org/bots/api#making-requests, https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
 */
@Injectable()
export class TelegramChatSender implements ChannelSender {
  readonly channel = 'telegram' as const;
  readonly vendor = 'telegram-bot-api';
  private readonly telegram?: Telegram;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.env.TELEGRAM_BOT_TOKEN) this.telegram = new Telegram(config.env.TELEGRAM_BOT_TOKEN, { apiRoot: config.env.TELEGRAM_API_ROOT });
  }

  get configured(): boolean {
    return !!this.telegram;
  }

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    if (!this.telegram) throw new Error('Telegram is not configured (TELEGRAM_BOT_TOKEN)');
    try {
      const sent = await this.telegram.sendMessage(to, message.body, { link_preview_options: { is_disabled: true } });
      return { externalId: `${sent.chat.id}:${sent.message_id}` };
    } catch (error) {
      if (!(error instanceof TelegramError)) throw transportFailure('Telegram', error); // no Bot API answer: it may have sent the message
      if (error.code === 429) {
        throw new RetryLaterError(`Telegram 429: ${error.description}`, (error.parameters?.retry_after ?? 5) * 1000);
      }
      if (error.code === 403 || (error.code === 400 && DEAD_CHAT.test(error.description))) {
        throw new PermanentSendError(`Telegram ${error.code}: ${error.description}`, true, String(error.code));
      }
      throw error;
    }
  }
}
