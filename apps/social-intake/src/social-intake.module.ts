import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@lapor/runtime';
import { attachmentStoreProvider } from '@lapor/storage';
import { TelegramChatAdapter } from './adapters/telegram/telegram.adapter';
import { XAccountActivityAdapter } from './adapters/x/x.adapter';
import { telegramWebhookController } from './controllers/telegram-webhook.controller';
import { XWebhookController } from './controllers/x-webhook.controller';
import { SocialIntakeService } from './services/social-intake.service';
import { TelegramPollingService } from './services/telegram-polling.service';

/**
 * Telegram and X intake. Stateless: no database and no conversation state, only the bus
 * (threading follow-ups is the router's job). A channel without its secrets is off, says
 * so once in the log, and its routes answer 503.
 */
@Module({})
export class SocialIntakeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SocialIntakeModule,
      controllers: [telegramWebhookController(config.env.TELEGRAM_WEBHOOK_PATH), XWebhookController],
      providers: [TelegramChatAdapter, XAccountActivityAdapter, SocialIntakeService, TelegramPollingService, attachmentStoreProvider],
    };
  }
}
