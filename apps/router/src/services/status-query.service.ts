import { Injectable } from '@nestjs/common';
import { ChannelCommandPayload, checkTrackingId, StatusReply, StatusReplyPayload } from '@lapor/contracts';
import { EventPublisher } from '@lapor/runtime';
import { ComplaintQueryService } from './complaint-query.service';

/**
 * Answers "CEK <id>" from any channel, with the latest step and the start of the body's
 * response. A mistyped id (wrong check character) is answered
 * as mistyped, so a typo never shows someone else's complaint.
 */
@Injectable()
export class StatusQueryService {
  constructor(
    private readonly complaints: ComplaintQueryService,
    private readonly events: EventPublisher,
  ) {}

  async answer(command: ChannelCommandPayload, correlationId: string): Promise<void> {
    const query = (command.argument ?? '').trim();
    const reply: StatusReplyPayload = {
      channel: command.channel,
      senderId: command.senderId,
      inReplyTo: command.channelMessageId,
      locale: command.locale,
      query,
      command: 'status',
      result: await this.lookup(query),
    };
    await this.events.publish(this.events.event(StatusReply, reply, correlationId));
  }

  private async lookup(query: string): Promise<StatusReplyPayload['result']> {
    if (!query) return { outcome: 'missing' };
    const check = checkTrackingId(query);
    if (!check.ok) return { outcome: check.reason === 'checksum' ? 'mistyped' : 'malformed' };
    const view = await this.complaints.view(check.trackingId);
    if (!view) return { outcome: 'not_found' };
    const latest = view.history.at(-1);
    const response = view.history.findLast((h) => h.status === 'responded' && h.message)?.message;
    return {
      outcome: 'found',
      trackingId: view.trackingId,
      status: view.status,
      assignment: view.assignment,
      updatedAt: latest?.at ?? view.registeredAt,
      ...(latest ? { latest } : {}),
      ...(response ? { response } : {}),
    };
  }
}
