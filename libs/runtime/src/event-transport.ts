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

/**
 * Marks a method as the batch handler of one event type for one consumer group: it gets the
 * parsed events of consecutive records of one partition (an array, in order) and must handle
 * all of them or throw (see BatchHandler in libs/bus). The same group needs an `@OnEvent`
 * handler for the type too: when the batch handler throws, or a record of the batch fails its
 * schema, the bus hands each record to that one, under the failure policy.
 */
export function OnEventBatch(definition: EventDefinition<z.ZodType>, group: string, options: { maxBatchRecords?: number } = {}): MethodDecorator {
  return EventPattern({ topic: definition.topic, group, batch: true, ...options });
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

/** The records behind a batch of events. */
export class BusBatchContext extends BaseRpcContext<[ConsumedRecord[], string]> {
  get records(): ConsumedRecord[] {
    return this.args[0];
  }
  get group(): string {
    return this.args[1];
  }
}

interface Pattern {
  topic: string;
  group: string;
  batch?: boolean;
  maxBatchRecords?: number;
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
      const patterns = [...this.messageHandlers].map(([pattern, handler]) => ({ ...(JSON.parse(pattern) as Pattern), handler }));
      const batchHandlers = new Map(patterns.filter((p) => p.batch).map((p) => [`${p.group}\u0000${p.topic}`, p]));
      const run = this.options.runInContext;
      for (const { topic, group, batch, handler } of patterns) {
        if (batch) {
          if (!patterns.some((p) => !p.batch && p.topic === topic && p.group === group)) throw new Error(`@OnEventBatch(${topic}, ${group}) needs an @OnEvent handler of the same group to fall back on`);
          continue;
        }
        const definition = this.definitions.get(topic);
        if (!definition) throw new Error(`no contract defines topic ${topic}`);
        const parse = (record: ConsumedRecord) => {
          try {
            return definition.parse(record.value);
          } catch (error) {
            throw new UnprocessableRecordError(`does not match the schema of ${topic}: ${schemaProblem(error)}`, error);
          }
        };
        const handle = async (record: ConsumedRecord) => {
          const event = parse(record);
          const context = new BusContext([record, group]);
          await lastValueFrom(this.transformToObservable(await handler(event, context)), { defaultValue: undefined });
        };
        const batched = batchHandlers.get(`${group}\u0000${topic}`);
        // A record that fails its schema fails the batch; the per-record fallback dead-letters it alone.
        const handleBatch =
          batched &&
          (async (records: ConsumedRecord[]) => {
            const events = records.map(parse);
            const context = new BusBatchContext([records, group]);
            await lastValueFrom(this.transformToObservable(await batched.handler(events, context)), { defaultValue: undefined });
          });
        this.options.readiness?.expect(group);
        const correlationOf = (record: ConsumedRecord) => record.headers?.['x-correlation-id'] ?? `${record.topic}@${record.offset}`;
        this.bus.subscribe(
          group,
          topic,
          (record) => (run ? run(() => handle(record), correlationOf(record)) : handle(record)),
          handleBatch
            ? {
                maxBatchRecords: batched.maxBatchRecords,
                batch: (records) => (run ? run(() => handleBatch(records), `${topic}@${records[0].partition}:${records[0].offset}+${records.length}`) : handleBatch(records)),
              }
            : {},
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
