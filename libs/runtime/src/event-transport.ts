import { BaseRpcContext, CustomTransportStrategy, EventPattern, Server } from '@nestjs/microservices';
import { ConsumedRecord, EventBus, UnprocessableRecordError } from '@lapor/bus';
import type { ConsumerReadiness } from './bus-telemetry';
import { EVENTS, EventDefinition } from '@lapor/contracts';
import { lastValueFrom } from 'rxjs';
import { ZodError, type z } from 'zod';

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
 * one that fails is dead-lettered by the bus at once (UnprocessableRecordError), so a bad
 * message never blocks its partition. A handler that throws is retried by the bus under
 * its failure policy, with the handler's own error (ApiErrorFilter lets RPC errors through).
 */
export class EventBusTransport extends Server implements CustomTransportStrategy {
  private readonly definitions = new Map<string, EventDefinition<z.ZodType>>(
    EVENTS.map((e) => [e.topic, e as unknown as EventDefinition<z.ZodType>]),
  );

  constructor(
    private readonly bus: EventBus,
    private readonly options: { runInContext?: <T>(fn: () => T, correlationId: string) => T; readiness?: ConsumerReadiness } = {},
  ) {
    super();
  }

  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        const { topic, group } = JSON.parse(pattern) as { topic: string; group: string };
        const definition = this.definitions.get(topic);
        if (!definition) throw new Error(`no contract defines topic ${topic}`);
        const handle = async (record: ConsumedRecord) => {
          let event;
          try {
            event = definition.parse(record.value);
          } catch (error) {
            throw new UnprocessableRecordError(`does not match the schema of ${topic}: ${schemaProblem(error)}`, error);
          }
          const context = new BusContext([record, group]);
          await lastValueFrom(this.transformToObservable(await handler(event, context)), { defaultValue: undefined });
        };
        this.options.readiness?.expect(group);
        const run = this.options.runInContext;
        this.bus.subscribe(group, topic, (record) =>
          run ? run(() => handle(record), record.headers?.['x-correlation-id'] ?? `${record.topic}@${record.offset}`) : handle(record),
        );
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
}

/** One line naming each problem (zod's own message is a multi-line JSON dump). */
function schemaProblem(error: unknown): string {
  if (error instanceof ZodError) return error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}
