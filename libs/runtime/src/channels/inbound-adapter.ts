import type { Type } from '@nestjs/common';
import { ChannelCommand, ChannelCommandPayload, ChannelId, ChannelNotice, ChannelNoticePayload, ComplaintInbound, ComplaintInboundPayload, DeliveryStatus, DeliveryStatusPayload } from '@lapor/contracts';
import type { Env } from '../config';
import type { EventPublisher, PendingEvent } from '../event-publisher';
import type { HttpRequest } from '../http';

/**
 * What one platform request turns into: complaint text, a command, a notice to the sender
 * (e.g. too long), a delivery report on something we sent, or nothing (with the reason).
 * `correlationId` defaults to the complaint's tracking id, or `<channel>:<message id>`.
 */
export type InboundItem =
  | { kind: 'complaint'; payload: ComplaintInboundPayload; correlationId?: string }
  | { kind: 'command'; payload: ChannelCommandPayload; correlationId?: string }
  | { kind: 'notice'; payload: ChannelNoticePayload; correlationId?: string }
  | { kind: 'delivery'; payload: DeliveryStatusPayload; correlationId?: string }
  | { kind: 'ignored'; reason: string };

/** One URL a platform calls. `name` is the adapter's own word for it ('message', 'status', 'handshake'). */
export interface WebhookRoute {
  method: 'GET' | 'POST';
  path: string;
  name: string;
}

/** Whether a request is the platform's: 401 when its credential is missing, 403 when wrong, 503 when the route is not in use. */
export type Verification = { ok: true } | { ok: false; status: 401 | 403 | 503; reason: string };

/** The answer the platform expects (Twilio: empty TwiML; X: the CRC token; WhatsApp: the challenge). */
export interface WebhookAnswer {
  status: number;
  contentType?: string;
  body?: unknown;
}

/**
 * One inbound channel vendor (Twilio SMS, Telegram, X, WhatsApp Cloud API), served by the one
 * generic webhook controller and guard (channel-webhook.controller.ts):
 *
 *   off?  → 503 with the reason        verify → 401/403, or on
 *   parse → zero or more items (a body that is not the platform's: throw BadRequestException, 400)
 *   the items are published (2xx only once they are durable; a bus failure is 503, and the platform retries)
 *   respond → the platform's expected answer
 *
 * An adapter is Nest-injectable; its static `routes(env)` declares its URLs.
 */
export interface InboundAdapter {
  /** The registry id (libs/contracts/src/channels/registry.ts). */
  readonly channel: ChannelId;
  /** The vendor behind it, so a channel can have two (SMS: Twilio or a local aggregator). */
  readonly vendor: string;
  /** "Is this channel on?": why it is off (its routes answer 503 with this), or undefined. */
  readonly off: string | undefined;
  verify(req: HttpRequest, route: WebhookRoute): Verification;
  parse(req: HttpRequest, route: WebhookRoute): InboundItem[] | Promise<InboundItem[]>;
  respond(items: InboundItem[], route: WebhookRoute, req: HttpRequest): WebhookAnswer;
}

export interface InboundAdapterType extends Type<InboundAdapter> {
  routes(env: Env): WebhookRoute[];
}

/** The bus events for the items that are not ignored. */
export function toEvents(events: EventPublisher, items: InboundItem[]): PendingEvent[] {
  const out: PendingEvent[] = [];
  for (const item of items) {
    if (item.kind === 'complaint') out.push(events.event(ComplaintInbound, item.payload, item.correlationId ?? item.payload.trackingId));
    if (item.kind === 'command') out.push(events.event(ChannelCommand, item.payload, item.correlationId ?? `${item.payload.channel}:${item.payload.channelMessageId}`));
    if (item.kind === 'notice') out.push(events.event(ChannelNotice, item.payload, item.correlationId ?? `${item.payload.channel}:${item.payload.inReplyTo}`));
    if (item.kind === 'delivery') out.push(events.event(DeliveryStatus, item.payload, item.correlationId ?? `${item.payload.channel}:${item.payload.externalId}`));
  }
  return out;
}

/** A JSON answer's body: what was accepted and what was ignored, for the vendor's delivery logs. */
export function summary(items: InboundItem[]): { accepted: number; ignored: string[] } {
  return { accepted: items.filter((i) => i.kind !== 'ignored').length, ignored: items.flatMap((i) => (i.kind === 'ignored' ? [i.reason] : [])) };
}

/** The query parameters of a request (Express and Fastify parse them differently; the URL is the same). */
export function queryOf(req: HttpRequest): URLSearchParams {
  return new URL(req.originalUrl, 'http://localhost').searchParams;
}
