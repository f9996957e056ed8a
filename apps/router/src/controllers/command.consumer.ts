import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChannelCommand, ChannelCommandPayload, ConsumerGroups, Envelope } from '@lapor/contracts';
import { OnEvent } from '@lapor/runtime';
import { StatusQueryService } from '../services/status-query.service';

/** Citizens' keyword commands; the router answers status queries (the notifier answers the rest). */
@Controller()
export class CommandConsumer {
  constructor(private readonly statusQuery: StatusQueryService) {}

  @OnEvent(ChannelCommand, ConsumerGroups.router)
  async onCommand(@Payload() event: Envelope<ChannelCommandPayload>): Promise<void> {
    if (event.payload.command === 'status') await this.statusQuery.answer(event.payload, event.correlationId);
  }
}
