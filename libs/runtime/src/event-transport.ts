import { Logger } from '@nestjs/common';
import { BaseRpcContext, CustomTransportStrategy, EventPattern, Server } from '@nestjs/microservices';
import { ConsumedRecord, EventBus } from '@lapor/bus';
import { deadLetterTopic, EVENTS, EventDefinition } from '@lapor/contracts';
import { lastValueFrom } from 'rxjs';
import type { z } from 'zod';

/** Marks a method as the handler of one event type for one consumer group. */
export function OnEvent(definition: EventDefinition<z.ZodType>, group: string): MethodDecorator {
  return EventPattern({ topic: definition.topic, group });
}

/** The record behind an event, for handlers that need its offset or headers. */
export class BusContext extends BaseRpcContext<[ConsumedRecord, string]> {
  get record(): ConsumedRecord {
    return this.args[0];
  }
  get group(): string {
    return this.args[1];
  }
}

/**
 * A NestJS microservice transport over our EventBus, so apps declare consumers with
 * `@OnEvent(ComplaintInbound, ConsumerGroups.router)` whatever bus is underneath.
 * Each record is parsed with its schema from libs/contracts before the handler sees it;
 * one that fails goes to `<topic>.dlq` with the reason and is acknowledged, so a bad
 * message never blocks its partition. A handler that throws is retried by the bus.
 */
export class EventBusTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(EventBusTransport.name);
  private readonly definitions = new Map<string, EventDefinition<z.ZodType>>(
    EVENTS.map((e) => [e.topic, e as unknown as EventDefinition<z.ZodType>]),
  );

  constructor(private readonly bus: EventBus) {
    super();
  }

  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        const { topic, group } = JSON.parse(pattern) as { topic: string; group: string };
        const definition = this.definitions.get(topic);
        if (!definition) throw new Error(`no contract defines topic ${topic}`);
        this.bus.subscribe(group, topic, async (record) => {
          let event;
          try {
            event = definition.parse(record.value);
          } catch (error) {
            await this.deadLetter(record, group, error);
            return;
          }
          const context = new BusContext([record, group]);
          await lastValueFrom(this.transformToObservable(await handler(event, context)), { defaultValue: undefined });
        });
      }
      await this.bus.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.bus.stop();
  }

  on(): void {
    throw new Error('EventBusTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private async deadLetter(record: ConsumedRecord, group: string, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.log.warn(`unparseable record on ${record.topic} offset ${record.offset} → ${deadLetterTopic(record.topic)}: ${reason.slice(0, 300)}`);
    await this.bus.publish({
      topic: deadLetterTopic(record.topic),
      key: record.key,
      value: record.value,
      headers: { ...record.headers, 'x-dlq-reason': reason.slice(0, 2000), 'x-dlq-group': group, 'x-dlq-offset': record.offset },
    });
  }
}
