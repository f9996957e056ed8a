import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChannelCommand, ChannelCommandPayload, ConsumerGroups, Envelope } from '@lapor/contracts';
import { OnEvent } from '@lapor/runtime';
import { ReporterActionsService } from '../services/reporter-actions.service';
import { StatusQueryService } from '../services/status-query.service';

/** Citizens' keyword commands about a complaint: status queries and the reporter's objection, confirmation or forward to Ombudsman RI (the notifier answers the rest). */
@Controller()
export class CommandConsumer {
  constructor(
    private readonly statusQuery: StatusQueryService,
    private readonly reporterActions: ReporterActionsService,
  ) {}

  @OnEvent(ChannelCommand, ConsumerGroups.router)
  async onCommand(@Payload() event: Envelope<ChannelCommandPayload>): Promise<void> {
    const p = event.payload;
    if (p.command === 'status') await this.statusQuery.answer(p, event.correlationId);
    else if (p.command === 'object' || p.command === 'confirm' || p.command === 'ombudsman') await this.reporterActions.handle({ ...p, command: p.command }, event.correlationId);
  }
}
