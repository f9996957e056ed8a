import { ChannelCommand, ChannelCommandPayload, ComplaintInbound, ComplaintInboundPayload } from '@lapor/contracts';
import type { EventPublisher, PendingEvent } from '@lapor/runtime';

/** What one channel event turns into: complaint text, a command, or nothing (with the reason). */
export type InboundItem =
  | { kind: 'complaint'; payload: ComplaintInboundPayload }
  | { kind: 'command'; payload: ChannelCommandPayload }
  | { kind: 'ignored'; reason: string };

/** The bus events for the items that are not ignored; the correlation id is the message's tracking id. */
export function toEvents(events: EventPublisher, items: InboundItem[]): PendingEvent[] {
  const out: PendingEvent[] = [];
  for (const item of items) {
    if (item.kind === 'complaint') out.push(events.event(ComplaintInbound, item.payload, item.payload.trackingId));
    if (item.kind === 'command') out.push(events.event(ChannelCommand, item.payload, `${item.payload.channel}:${item.payload.channelMessageId}`));
  }
  return out;
}

/** The HTTP answer's body: what was accepted and what was ignored, for the vendor's delivery logs. */
export function summary(items: InboundItem[]): { accepted: number; ignored: string[] } {
  return { accepted: items.filter((i) => i.kind !== 'ignored').length, ignored: items.flatMap((i) => (i.kind === 'ignored' ? [i.reason] : [])) };
}
