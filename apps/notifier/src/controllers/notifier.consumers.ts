import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AgencyNotice,
  AgencyNoticePayload,
  ChannelCommand,
  ChannelCommandPayload,
  ChannelNotice,
  ChannelNoticePayload,
  ComplaintEscalated,
  ComplaintEscalatedPayload,
  ComplaintStatusChanged,
  ComplaintStatusChangedPayload,
  ConsumerGroups,
  DeliveryStatus,
  DeliveryStatusPayload,
  Envelope,
  StatusReply,
  StatusReplyPayload,
} from '@lapor/contracts';
import { OnEvent, OnEventBatch } from '@lapor/runtime';
import { NotificationService } from '../services/notification.service';

/** Where events reach the notifier: status changes, citizens' commands, status answers, notices, officials' notices, delivery reports. */
@Controller()
export class NotifierConsumers {
  constructor(private readonly notifications: NotificationService) {}

  @OnEvent(ComplaintStatusChanged, ConsumerGroups.notifier)
  onStatusChanged(@Payload() event: Envelope<ComplaintStatusChangedPayload>) {
    return this.notifications.onStatusChanged(event.payload);
  }

  /**
   * A fetched batch at once (issue 12: one recipient look-up and one INSERT for the batch
   * instead of per change); when it fails, the bus hands each change to onStatusChanged
   * above, so a bad one is retried and dead-lettered alone.
   */
  @OnEventBatch(ComplaintStatusChanged, ConsumerGroups.notifier, { maxBatchRecords: 200 })
  onStatusChangedBatch(@Payload() events: Envelope<ComplaintStatusChangedPayload>[]) {
    return this.notifications.onStatusChangedBatch(events.map((e) => e.payload));
  }

  @OnEvent(ChannelCommand, ConsumerGroups.notifier)
  onCommand(@Payload() event: Envelope<ChannelCommandPayload>) {
    return this.notifications.onCommand(event.payload);
  }

  @OnEvent(StatusReply, ConsumerGroups.notifier)
  onStatusReply(@Payload() event: Envelope<StatusReplyPayload>) {
    return this.notifications.onStatusReply(event.payload);
  }

  @OnEvent(ChannelNotice, ConsumerGroups.notifier)
  onNotice(@Payload() event: Envelope<ChannelNoticePayload>) {
    return this.notifications.onNotice(event.payload);
  }

  @OnEvent(AgencyNotice, ConsumerGroups.notifier)
  onAgencyNotice(@Payload() event: Envelope<AgencyNoticePayload>) {
    return this.notifications.onAgencyNotice(event);
  }

  /** A complaint the reporter forwarded to Ombudsman RI: delivered to its intake (webhook and/or e-mail). */
  @OnEvent(ComplaintEscalated, ConsumerGroups.notifier)
  onEscalated(@Payload() event: Envelope<ComplaintEscalatedPayload>) {
    return this.notifications.onEscalated(event.payload);
  }

  @OnEvent(DeliveryStatus, ConsumerGroups.notifier)
  onDeliveryStatus(@Payload() event: Envelope<DeliveryStatusPayload>) {
    return this.notifications.onDeliveryStatus(event.payload);
  }
}
