import { Module } from '@nestjs/common';
import { attachmentStoreProvider } from '@lapor/storage';
import { TwilioSmsAdapter } from './adapters/twilio/twilio-sms.adapter';
import { TwilioSignatureGuard } from './controllers/twilio-signature.guard';
import { TwilioWebhookController } from './controllers/twilio-webhook.controller';
import { SmsIntakeService } from './services/sms-intake.service';

/** SMS intake (Twilio). Stateless: no database, nothing per conversation; only the bus. */
@Module({
  controllers: [TwilioWebhookController],
  providers: [TwilioSmsAdapter, TwilioSignatureGuard, SmsIntakeService, attachmentStoreProvider],
})
export class SmsIntakeModule {}
