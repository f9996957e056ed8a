import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ComplaintRegistered, ComplaintRegisteredPayload, ComplaintStatusChanged, ComplaintStatusChangedPayload, ConsumerGroups, Envelope } from '@lapor/contracts';
import { OnEvent } from '@lapor/runtime';
import { AgencyNoticesService } from '../delivery/agency-notices.service';
import { ReadModelService } from './read-model.service';

/** Where the router's events reach the desk (group lapor-desk): the read model, then direct delivery to officials. */
@Controller()
export class ComplaintEventsConsumer {
  constructor(
    private readonly readModel: ReadModelService,
    private readonly notices: AgencyNoticesService,
  ) {}

  @OnEvent(ComplaintRegistered, ConsumerGroups.desk)
  async onRegistered(@Payload() event: Envelope<ComplaintRegisteredPayload>): Promise<void> {
    const row = await this.readModel.onRegistered(event.payload);
    // A status change that arrived first could not be announced without the excerpt; now it can.
    await this.notices.announcePending(row, event.correlationId);
  }

  @OnEvent(ComplaintStatusChanged, ConsumerGroups.desk)
  async onStatusChanged(@Payload() event: Envelope<ComplaintStatusChangedPayload>): Promise<void> {
    await this.readModel.onStatusChanged(event.payload);
    await this.notices.onStatusChanged(event.payload, event.correlationId);
  }
}
