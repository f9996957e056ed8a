import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, channelWebhookController, ChannelIntakeService, InboundAdapterType } from '@lapor/runtime';
import { attachmentStoreProvider } from '@lapor/storage';
import { TwilioSmsAdapter } from './adapters/twilio/twilio-sms.adapter';

/** The SMS vendors served here: each is one adapter, served by the generic webhook controller. */
export const SMS_ADAPTERS: InboundAdapterType[] = [TwilioSmsAdapter];

/** SMS intake (Twilio). Stateless: no database, nothing per conversation; only the bus. */
@Module({})
export class SmsIntakeModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: SmsIntakeModule, controllers: [channelWebhookController(SMS_ADAPTERS, config.env)], providers: [...SMS_ADAPTERS, ChannelIntakeService, attachmentStoreProvider] };
  }
}
