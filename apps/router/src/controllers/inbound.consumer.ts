import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ComplaintInbound, ComplaintInboundPayload, ConsumerGroups, Envelope } from '@lapor/contracts';
import { OnEvent } from '@lapor/runtime';
import { ComplaintRegistrationService } from '../services/complaint-registration.service';

/** Where inbound messages from every channel reach the router. */
@Controller()
export class InboundConsumer {
  constructor(private readonly registration: ComplaintRegistrationService) {}

  @OnEvent(ComplaintInbound, ConsumerGroups.router)
  async onInbound(@Payload() event: Envelope<ComplaintInboundPayload>): Promise<void> {
    await this.registration.handleInbound(event);
  }
}
