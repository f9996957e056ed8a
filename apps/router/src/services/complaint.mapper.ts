import { randomUUID } from 'node:crypto';
import type { Assignment, ComplaintInboundPayload, Envelope } from '@lapor/contracts';
import type { ComplaintEntity, ComplaintMessageEntity } from '../entities';

/** Who the complaint is with, as the events and the read API show it. */
export function assignmentOf(c: ComplaintEntity): Assignment | null {
  return c.assignmentKind ? { kind: c.assignmentKind, code: c.assignmentCode ?? '', name: c.assignmentName ?? '', unit: c.assignmentUnit } : null;
}

/** The stored form of one inbound message of a complaint. */
export function messageRow(trackingId: string, event: Envelope<ComplaintInboundPayload>): ComplaintMessageEntity {
  const p = event.payload;
  return {
    id: randomUUID(),
    trackingId,
    channel: p.channel,
    channelMessageId: p.channelMessageId,
    text: p.text,
    attachments: p.attachments,
    receivedAt: new Date(p.receivedAt),
    eventId: event.eventId,
  };
}
