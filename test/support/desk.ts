import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { InProcessBus } from '@lapor/bus';
import { AgencyNotice, AgencyNoticePayload, ComplaintRegistered, ComplaintStatusChanged, ComplaintStatusChangedPayload, OfficerRole } from '@lapor/contracts';
import { EventPublisher, loadConfig } from '@lapor/runtime';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../apps/desk/src/accounts/passwords';
import { OfficersService } from '../../apps/desk/src/accounts/officers.service';
import { ApiTokensService } from '../../apps/desk/src/accounts/api-tokens.service';
import { Clock } from '../../apps/desk/src/clock';
import { createDeskApp } from '../../apps/desk/src/desk.app';
import { OfficerEntity } from '../../apps/desk/src/entities';
import { createTestDatabase } from './database';
import { FakeRouter, SeedInput, SeededEvents } from './fake-router';
import { RouterUnderTest, trainTestUnitModel } from './router-under-test';
import { waitFor } from './wait-for';

export const PASSWORD = 'kata-sandi-uji-yang-panjang';

export interface Official {
  id: string;
  email: string;
  password: string;
  role: OfficerRole;
  bodyCode: string | null;
  unit: string | null;
}

export interface Session {
  cookie: string;
  csrf: string;
}

/** An official with a known password (already changed), created in a running desk (its own service or the embedded process). */
export async function createOfficial(app: INestApplication, role: OfficerRole, bodyCode?: string, unit?: string, email = `${role}.${randomUUID().slice(0, 8)}@contoh.go.id`): Promise<Official> {
  const { officer } = await app.get(OfficersService).create({ email, role, body: bodyCode, unit }, { kind: 'system', label: 'test' });
  await app.get(DataSource).manager.update(OfficerEntity, { id: officer.id }, { passwordHash: await hashPassword(PASSWORD), mustChangePassword: false });
  return { id: officer.id, email, password: PASSWORD, role, bodyCode: officer.bodyCode, unit: officer.unit };
}

/** Logs in through the console form at `baseUrl`; returns the cookie and the session's CSRF token. */
export async function loginAt(baseUrl: string, official: Pick<Official, 'email' | 'password'>): Promise<Session> {
  const res = await request(baseUrl).post('/desk/masuk').type('form').send({ email: official.email, password: official.password });
  if (res.status !== 303) throw new Error(`login of ${official.email} answered ${res.status}: ${res.text.slice(0, 300)}`);
  const cookie = String(res.headers['set-cookie'][0]).split(';')[0];
  const page = await request(baseUrl).get('/desk/kata-sandi').set('Cookie', cookie);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error('no CSRF token on the console page');
  return { cookie, csrf };
}

/** A controllable clock for the timers and sessions (starts at the real now). */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  /** Moves the clock to `at` (forwards or back). */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}

/**
 * The desk as its own service for its tests: on a fresh PostgreSQL database (or PGlite
 * with `embeddedStore`), an in-process bus the test can publish to and read notices
 * from, a controllable clock, and the router stand-in (until the real router serves the
 * desk's interfaces, the end-to-end tests use it).
 */
export class DeskHarness {
  app!: NestExpressApplication;
  url = '';
  db!: DataSource;
  /** The real router (default), or the stand-in (`fakeRouter`: a faulty router, or no router needed). */
  router!: RouterUnderTest;
  fake!: FakeRouter;
  readonly clock = new TestClock();
  readonly notices: AgencyNoticePayload[] = [];
  readonly bus = new InProcessBus();
  dataDir = '';
  /** PostgreSQL URL of the test database (unset on the embedded store). */
  databaseUrl?: string;
  private dropDb: () => Promise<void> = async () => undefined;
  private counter = 0;

  async start(env: Record<string, string> = {}, options: { embeddedStore?: boolean; fakeRouter?: boolean } = {}): Promise<this> {
    this.fake = await new FakeRouter().start();
    const useFake = options.fakeRouter || options.embeddedStore;
    let databaseUrl: string | undefined;
    if (!options.embeddedStore) {
      const db = await createTestDatabase('lapor_desk');
      databaseUrl = db.url;
      this.databaseUrl = db.url;
      this.dropDb = db.drop;
    }
    this.dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'lapor-desk-'));
    const modelsDir = mkdtempSync(join(tmpdir(), 'lapor-desk-models-'));
    if (!useFake) trainTestUnitModel(modelsDir);
    const config = loadConfig({
      LOG_LEVEL: 'warn',
      DATA_DIR: this.dataDir,
      ROUTER_URL: this.fake.url,
      ROUTING_MODELS_DIR: modelsDir,
      DESK_TIMER_POLL_MS: '0',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    } as NodeJS.ProcessEnv);
    this.bus.subscribe('desk-test', AgencyNotice.topic, async (r) => void this.notices.push(AgencyNotice.parse(r.value).payload));
    if (!useFake) {
      this.router = await new RouterUnderTest().start(config, this.bus);
      config.env.ROUTER_URL = this.router.url;
    }
    this.app = await createDeskApp(config, { bus: this.bus, clock: this.clock });
    await this.app.startAllMicroservices();
    await this.app.listen(0, '127.0.0.1');
    this.url = `http://127.0.0.1:${(this.app.getHttpServer().address() as AddressInfo).port}`;
    this.db = this.app.get(DataSource);
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.router?.stop();
    await this.fake?.stop();
    await this.dropDb();
  }

  http() {
    return request(this.app.getHttpServer());
  }

  /** Publishes what the router would have published, and waits until the read model shows the last status. */
  async publish(events: Partial<SeededEvents> & { changes?: ComplaintStatusChangedPayload[] }): Promise<void> {
    const publisher = this.app.get(EventPublisher);
    const list = [
      ...(events.registered ? [publisher.event(ComplaintRegistered, events.registered, events.registered.trackingId)] : []),
      ...[...(events.statusChanges ?? []), ...(events.changes ?? [])].map((p) => publisher.event(ComplaintStatusChanged, p, p.trackingId)),
    ];
    await publisher.publish(...list);
    const last = [...(events.statusChanges ?? []), ...(events.changes ?? [])].pop();
    const trackingId = last?.trackingId ?? events.registered?.trackingId;
    await waitFor(
      async () => {
        const [row] = (await this.db.query('SELECT last_sequence, registered_seen FROM desk_complaints WHERE tracking_id = $1', [trackingId])) as { last_sequence: number; registered_seen: boolean }[];
        return row && (!last || row.last_sequence >= last.sequence) && (!events.registered || row.registered_seen);
      },
      { what: `the desk's read model of ${trackingId}` },
    );
  }

  /** A complaint filed with the router (or the stand-in), once the desk's read model has caught up with it. */
  async seed(input: SeedInput = {}): Promise<string> {
    if (!this.router) {
      const { trackingId, events } = this.fake.seed(input);
      await this.publish(events);
      return trackingId;
    }
    const view = await this.router.file(input);
    await this.caughtUp(view.trackingId);
    return view.trackingId;
  }

  /** Waits until the desk's read model shows the router's latest step of a complaint. */
  async caughtUp(trackingId: string): Promise<void> {
    const view = (await this.router.view(trackingId))!;
    const last = Math.max(...view.timeline.map((t) => t.sequence));
    await waitFor(
      async () => {
        const [row] = (await this.db.query('SELECT last_sequence, registered_seen FROM desk_complaints WHERE tracking_id = $1', [trackingId])) as { last_sequence: number; registered_seen: boolean }[];
        return row && row.registered_seen && row.last_sequence >= last;
      },
      { what: `the desk's read model of ${trackingId} at sequence ${last}` },
    );
  }

  /** An official with a known password (already changed: no one-time password pending). */
  official(role: OfficerRole, bodyCode?: string, unit?: string): Promise<Official> {
    return createOfficial(this.app, role, bodyCode, unit, `${role}.${++this.counter}.${process.pid}@contoh.go.id`);
  }

  async token(bodyCode: string, readOnly = false): Promise<{ id: string; token: string }> {
    const { apiToken, token } = await this.app.get(ApiTokensService).create({ bodyCode, name: `test ${++this.counter}`, readOnly }, { kind: 'system', label: 'test' });
    return { id: apiToken.id, token };
  }

  /** Logs in through the console form; returns the cookie and the session's CSRF token. */
  login(official: Pick<Official, 'email' | 'password'>): Promise<Session> {
    return loginAt(this.url, official);
  }
}
