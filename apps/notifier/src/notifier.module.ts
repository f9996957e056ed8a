import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotifierConsumers } from './controllers/notifier.consumers';
import { NOTIFIER_ENTITIES } from './entities';
import { NotificationOutboxRepository } from './repositories/notification-outbox.repository';
import { CHANNEL_SENDERS, ChannelSender } from './senders/channel-sender';
import { EmailSender } from './senders/email/email.sender';
import { SenderRegistry } from './senders/sender-registry';
import { TwilioSmsSender } from './senders/sms/twilio-sms.sender';
import { TelegramChatSender } from './senders/telegram/telegram.sender';
import { OmbudsmanWebhookSender } from './senders/ombudsman/ombudsman-webhook.sender';
import { AgencyWebhookSender } from './senders/webhook/agency-webhook.sender';
import { WhatsAppCloudSender } from './senders/whatsapp/whatsapp.sender';
import { XDmSender } from './senders/x/x.sender';
import { DeliveryReportsService } from './services/delivery-reports.service';
import { DispatcherService } from './services/dispatcher.service';
import { OutboxMetricsService } from './services/outbox-metrics.service';
import { NotificationQueueService } from './services/notification-queue.service';
import { NotificationService } from './services/notification.service';
import { RecipientsService } from './services/recipients.service';

export { NOTIFIER_ENTITIES } from './entities';
export { NOTIFIER_MIGRATIONS } from './migrations';

/** One sender per outbound vendor (and the agencies' own systems), keyed by channel + vendor in SenderRegistry (novu-style registry). */
const SENDERS = [EmailSender, TwilioSmsSender, TelegramChatSender, XDmSender, WhatsAppCloudSender, AgencyWebhookSender, OmbudsmanWebhookSender];

/** The notifier's features; the hosting process provides RuntimeModule and the TypeORM connection. */
@Module({
  imports: [TypeOrmModule.forFeature(NOTIFIER_ENTITIES)],
  controllers: [NotifierConsumers],
  providers: [
    ...SENDERS,
    { provide: CHANNEL_SENDERS, useFactory: (...senders: ChannelSender[]) => senders, inject: SENDERS },
    SenderRegistry,
    NotificationOutboxRepository,
    RecipientsService,
    DeliveryReportsService,
    DispatcherService,
    OutboxMetricsService,
    NotificationQueueService,
    NotificationService,
  ],
})
export class NotifierModule {}
