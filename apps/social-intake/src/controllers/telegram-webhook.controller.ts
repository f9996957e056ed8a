import { BadRequestException, Body, Controller, ForbiddenException, Headers, HttpCode, Post, ServiceUnavailableException, Type, UnauthorizedException } from '@nestjs/common';
import type { Update } from 'telegraf/types';
import { z } from 'zod';
import { TelegramChatAdapter } from '../adapters/telegram/telegram.adapter';
import { SocialIntakeService } from '../services/social-intake.service';

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
 * The Telegram webhook at TELEGRAM_WEBHOOK_PATH (a class per path, since Nest routes are
 * declared with decorators). 200 only once the update is durably on the bus: Telegram
 * re-delivers on any other answer.
 */
export function telegramWebhookController(path: string): Type<unknown> {
  @Controller()
  class TelegramWebhookController {
    constructor(
      private readonly adapter: TelegramChatAdapter,
      private readonly intake: SocialIntakeService,
    ) {}

    @Post(path)
    @HttpCode(200)
    async receive(@Headers('x-telegram-bot-api-secret-token') secret: string | undefined, @Body() body: unknown) {
      const { off, mode } = this.adapter.settings;
      if (off) throw new ServiceUnavailableException(off);
      if (mode !== 'webhook') throw new ServiceUnavailableException('Telegram channel runs in polling mode (TELEGRAM_MODE=polling); the webhook is not in use');
      const check = this.adapter.checkSecret(secret);
      if (check === 'missing') throw new UnauthorizedException('X-Telegram-Bot-Api-Secret-Token header missing');
      if (check === 'wrong') throw new ForbiddenException('X-Telegram-Bot-Api-Secret-Token does not match');
      const update = UpdateShape.safeParse(body);
      if (!update.success) throw new BadRequestException(`not a Telegram update: ${update.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ').slice(0, 300)}`);
      return this.intake.acceptTelegramUpdate(update.data as unknown as Update);
    }
  }
  return TelegramWebhookController;
}
