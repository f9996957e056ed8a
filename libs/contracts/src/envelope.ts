import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { findUnstorableText, UNSTORABLE_TEXT_REASON } from './text';

/**
 * Every event on the bus travels in this envelope. `correlationId` is minted once per
 * complaint (its tracking id) and follows it through every service and log line.
 */
export const EnvelopeMeta = z.object({
  eventId: z.string().uuid(),
  type: z.string(),
  schemaVersion: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  correlationId: z.string().min(1),
});
export type EnvelopeMeta = z.infer<typeof EnvelopeMeta>;

export interface Envelope<P> extends EnvelopeMeta {
  payload: P;
}

/** One event type: its schema (the only definition of its shape), topic and partition key. */
export interface EventDefinition<S extends z.ZodType> {
  readonly type: string;
  readonly schemaVersion: number;
  readonly topic: string;
  readonly payload: S;
  readonly envelope: z.ZodType<Envelope<z.infer<S>>>;
  /** The Kafka message key: what must stay in order (the sender before a complaint exists, then the complaint). */
  key(payload: z.infer<S>): string;
  create(payload: z.infer<S>, meta: { correlationId: string; occurredAt?: Date }): Envelope<z.infer<S>>;
  parse(raw: string | Buffer): Envelope<z.infer<S>>;
}

export type PayloadOf<D> = D extends EventDefinition<infer S> ? z.infer<S> : never;

export function defineEvent<S extends z.ZodType>(spec: {
  type: string;
  schemaVersion: number;
  topic: string;
  payload: S;
  key: (payload: z.infer<S>) => string;
}): EventDefinition<S> {
  const envelope = EnvelopeMeta.extend({
    type: z.literal(spec.type),
    schemaVersion: z.literal(spec.schemaVersion),
    payload: spec.payload,
  }).superRefine((value, ctx) => {
    // No event may carry text the consumers' PostgreSQL cannot store (see text.ts): such a
    // record fails its schema and is dead-lettered at once instead of failing on every retry.
    const path = findUnstorableText(value);
    if (path) ctx.addIssue({ code: 'custom', path, message: UNSTORABLE_TEXT_REASON });
  }) as unknown as z.ZodType<Envelope<z.infer<S>>>;
  return {
    ...spec,
    envelope,
    create(payload, meta) {
      return envelope.parse({
        eventId: randomUUID(),
        type: spec.type,
        schemaVersion: spec.schemaVersion,
        occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
        correlationId: meta.correlationId,
        payload,
      });
    },
    parse(raw) {
      return envelope.parse(JSON.parse(raw.toString()));
    },
  };
}
