import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StatusChangedConsumer } from './controllers/status-changed.consumer';
import { NOTIFIER_ENTITIES } from './entities/notification.entity';
import { CHANNEL_SENDERS, ChannelSender } from './senders/channel-sender';
import { EmailSender } from './senders/email/email.sender';
import { NotificationService } from './services/notification.service';

export { NOTIFIER_ENTITIES } from './entities/notification.entity';
export { NOTIFIER_MIGRATIONS } from './migrations/1763800100000-create-notifications';

/** The notifier's features; the hosting process provides RuntimeModule and the TypeORM connection. */
@Module({
  imports: [TypeOrmModule.forFeature(NOTIFIER_ENTITIES)],
  controllers: [StatusChangedConsumer],
  providers: [
    EmailSender,
    { provide: CHANNEL_SENDERS, useFactory: (...senders: ChannelSender[]) => senders, inject: [EmailSender] },
    NotificationService,
  ],
})
export class NotifierModule {}
