import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '@lapor/bus';
import {
  Actor,
  AgencyComplaintView,
  ComplaintAction,
  ComplaintEscalatedPayload,
  ComplaintInbound,
  ComplaintInboundPayload,
  ComplaintStatusChangedPayload,
  Envelope,
  StatusReplyPayload,
  Topics,
  trackingIdFor,
} from '@lapor/contracts';
import { loadConfig } from '@lapor/runtime';
import request from 'supertest';
import { createRouterApp } from '../../apps/router/src/router.app';
import { createTestDatabase } from './database';
import { ServiceHarness } from './service-harness';
import { waitFor } from './wait-for';

/**
 * The router as its own service for its integration tests: on a fresh PostgreSQL database
 * and an in-process bus (the caller's, e.g. one that injects faults), driven through the bus
 * and its internal HTTP API as in production. It records what the router publishes (status
 * changes, replies to commands, Ombudsman escalations) under its own consumer group, so a
 * test's own subscriptions see everything too.
 */
export class RouterHarness extends ServiceHarness {
  readonly changes: ComplaintStatusChangedPayload[] = [];
  readonly replies: StatusReplyPayload[] = [];
  readonly escalated: ComplaintEscalatedPayload[] = [];

  /** `record: false` leaves the bus to the test's own subscribers (exactly the consumers it set up, for timing-sensitive tests). */
  constructor(
    readonly bus: InProcessBus = new InProcessBus(),
    private readonly options: { record?: boolean } = {},
  ) {
    super();
  }

  async start(env: Record<string, string> = {}): Promise<this> {
    this.db = await createTestDatabase();
    if (this.options.record !== false) {
      const record = <T>(list: T[]) => async (r: { value: string }) => void list.push((JSON.parse(r.value) as Envelope<T>).payload);
      this.bus.subscribe('router-harness', Topics.complaintStatusChanged, record(this.changes));
      this.bus.subscribe('router-harness', Topics.statusReply, record(this.replies));
      this.bus.subscribe('router-harness', Topics.complaintEscalated, record(this.escalated));
    }
    const config = loadConfig({
      DATABASE_URL: this.db.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-router-')),
      ROUTING_MODELS_DIR: mkdtempSync(join(tmpdir(), 'no-models-')),
      LOG_LEVEL: 'warn',
      ...env,
    } as NodeJS.ProcessEnv);
    await this.boot(await createRouterApp(config, { bus: this.bus }));
    return this;
  }

  http() {
    return request(this.app.getHttpServer());
  }

  statusesOf(id: string) {
    return this.changes.filter((c) => c.trackingId === id).map((c) => c.status);
  }

  /** A web complaint (unless `over` says otherwise) as an intake publishes it; resolves once routed (assigned or triage). */
  async register(text: string, over: Partial<ComplaintInboundPayload> = {}): Promise<string> {
    const channelMessageId = `idem:${randomUUID()}`;
    const payload = ComplaintInbound.payload.parse({
      trackingId: trackingIdFor('web', channelMessageId), channel: 'web', channelMessageId, senderId: `h:${randomUUID()}`, text, receivedAt: new Date().toISOString(), ...over,
    });
    await this.bus.publish({ topic: ComplaintInbound.topic, key: ComplaintInbound.key(payload), value: JSON.stringify(ComplaintInbound.create(payload, { correlationId: payload.trackingId })) });
    await waitFor(() => this.statusesOf(payload.trackingId).some((s) => s === 'assigned' || s === 'triage'), { what: `${payload.trackingId} routed` });
    return payload.trackingId;
  }

  /** An action through the internal API, as the desk sends it; the raw answer. */
  act(id: string, action: ComplaintAction, actor: Actor, extra: { expectedVersion?: number; idempotencyKey?: string } = {}) {
    return this.http().post(`/internal/v1/complaints/${id}/actions`).send({ action, actor, ...extra });
  }

  /** An action that must be applied; the complaint as officials then see it. */
  async ok(id: string, action: ComplaintAction, actor: Actor): Promise<AgencyComplaintView> {
    const res = await this.act(id, action, actor);
    if (res.status !== 200) throw new Error(`${action.action} by ${actor.kind} on ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return AgencyComplaintView.parse(res.body);
  }
}
