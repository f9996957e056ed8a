import { BadRequestException, Body, Controller, ForbiddenException, Headers, HttpCode, Post, ServiceUnavailableException, Type, UnauthorizedException } from '@nestjs/common';
import type { Update } from 'telegraf/types';
import { z } from 'zod';
import { TelegramChatAdapter } from '../adapters/telegram/telegram.adapter';
import { SocialIntakeService } from '../services/social-intake.service';

const UpdateShape = z.object({ update_id: z.number().int().nonnegative() }).passthrough();

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
      if (!update.success) throw new BadRequestException('not a Telegram update (update_id missing)');
      return this.intake.acceptTelegramUpdate(update.data as unknown as Update);
    }
  }
  return TelegramWebhookController;
}
