import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, channelWebhookController, ChannelIntakeService, InboundAdapterType } from '@lapor/runtime';
import { attachmentStoreProvider } from '@lapor/storage';
import { TelegramChatAdapter } from './adapters/telegram/telegram.adapter';
import { WhatsAppCloudAdapter } from './adapters/whatsapp/whatsapp.adapter';
import { XAccountActivityAdapter } from './adapters/x/x.adapter';
import { TelegramPollingService } from './services/telegram-polling.service';

/** The chat channels served here: each is one adapter (one file), served by the generic webhook controller. */
export const SOCIAL_ADAPTERS: InboundAdapterType[] = [TelegramChatAdapter, XAccountActivityAdapter, WhatsAppCloudAdapter];

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
      controllers: [channelWebhookController(SOCIAL_ADAPTERS, config.env)],
      providers: [...SOCIAL_ADAPTERS, ChannelIntakeService, TelegramPollingService, attachmentStoreProvider],
    };
  }
}
