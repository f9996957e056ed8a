import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ComplaintStatusChanged, ComplaintStatusChangedPayload, ConsumerGroups, Envelope } from '@lapor/contracts';
import { OnEvent } from '@lapor/runtime';
import { NotificationService } from '../services/notification.service';

/** Where status changes reach the notifier. */
@Controller()
export class StatusChangedConsumer {
  constructor(private readonly notifications: NotificationService) {}

  @OnEvent(ComplaintStatusChanged, ConsumerGroups.notifier)
  async onStatusChanged(@Payload() event: Envelope<ComplaintStatusChangedPayload>): Promise<void> {
    await this.notifications.onStatusChanged(event);
  }
}
