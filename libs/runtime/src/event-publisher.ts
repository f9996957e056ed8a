import { Inject, Injectable } from '@nestjs/common';
import type { BusRecord, EventBus } from '@lapor/bus';
import { Envelope, EventDefinition, EventHeaders } from '@lapor/contracts';
import type { z } from 'zod';
import { EVENT_BUS } from './tokens';

export interface PendingEvent {
  definition: EventDefinition<z.ZodType>;
  envelope: Envelope<unknown>;
}

/** Builds envelopes from contracts and publishes them; resolves only once they are durable. */
@Injectable()
export class EventPublisher {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  event<S extends z.ZodType>(definition: EventDefinition<S>, payload: z.infer<S>, correlationId: string, occurredAt?: Date): PendingEvent {
    return { definition: definition as unknown as EventDefinition<z.ZodType>, envelope: definition.create(payload, { correlationId, occurredAt }) };
  }

  async publish(...events: PendingEvent[]): Promise<void> {
    await this.bus.publish(events.map(busRecordOf));
  }
}

/** The record an event travels as: its topic, its partition key, the envelope as JSON, type and correlation headers. */
export function busRecordOf({ definition, envelope }: PendingEvent): BusRecord {
  return {
    topic: definition.topic,
    key: definition.key(envelope.payload),
    value: JSON.stringify(envelope),
    headers: { [EventHeaders.type]: envelope.type, [EventHeaders.correlationId]: envelope.correlationId },
  };
}
