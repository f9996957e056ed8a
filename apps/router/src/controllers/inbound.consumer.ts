import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ComplaintInbound, ComplaintInboundPayload, ConsumerGroups, Envelope } from '@lapor/contracts';
import { OnEvent, OnEventBatch } from '@lapor/runtime';
import { ComplaintBatchRegistrationService } from '../services/complaint-batch-registration.service';
import { ComplaintRegistrationService } from '../services/complaint-registration.service';

/** Where inbound messages from every channel reach the router. */
@Controller()
export class InboundConsumer {
  constructor(
    private readonly registration: ComplaintRegistrationService,
    private readonly batches: ComplaintBatchRegistrationService,
  ) {}

  @OnEvent(ComplaintInbound, ConsumerGroups.router)
  async onInbound(@Payload() event: Envelope<ComplaintInboundPayload>): Promise<void> {
    await this.registration.handleInbound(event);
  }

  /**
   * A fetched batch at once (issue 12); when it fails, the bus hands each message to
   * onInbound above, so a bad message is retried and dead-lettered alone. 100: the batch's
   * events (three per new complaint) leave in one produce request, and a batch takes a
   * fraction of the session timeout even on a crowded machine.
   */
  @OnEventBatch(ComplaintInbound, ConsumerGroups.router, { maxBatchRecords: 100 })
  async onInboundBatch(@Payload() events: Envelope<ComplaintInboundPayload>[]): Promise<void> {
    await this.batches.handleInboundBatch(events);
  }
}
