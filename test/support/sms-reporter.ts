import type { INestApplication } from '@nestjs/common';
import { Actor, ComplaintAction, ComplaintView } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { FakeTwilio, inboundSms, postTwilioWebhook, twilioTestEnv } from './fake-twilio';
import { RunningSystem, SystemOptions } from './system';
import { waitFor } from './wait-for';

/** The auth token Twilio signs the test webhooks with, and the public URL it signs them for. */
export const SMS_AUTH_TOKEN = 'e2e-auth-token-00000000000000000';
export const SMS_PUBLIC_BASE_URL = 'https://lapor.example.id';

/** Kota Bandung's liaison as the desk names an official to the router. */
export const BANDUNG_LIAISON: Actor = { kind: 'officer', officerId: 'lia-3273', role: 'liaison', bodyCode: '32.73', displayName: 'Budi Penghubung' };

/** How a suite starts its system (one of SYSTEM_MODES, or its own). */
export type StartSystem = (env: Record<string, string>, options?: SystemOptions) => Promise<{ system: RunningSystem; cleanup: () => Promise<void> }>;

/**
 * An SMS reporter against a running system, end to end: signed Twilio webhooks into
 * sms-intake (or the embedded process), the notifier's SMS through the real twilio client to
 * the local stand-in (test/support/fake-twilio.ts), the citizen's API, and the router's
 * internal action API for officials' steps as the desk sends them. The set-up every SMS
 * end-to-end suite shares.
 */
export class SmsReporterHarness {
  fake!: FakeTwilio;
  system!: RunningSystem;
  /** The router's internal API (the router service, or the embedded process). */
  routerUrl = '';
  private cleanup: () => Promise<void> = async () => undefined;
  private phones = 0;

  /**
   * @param phonePrefix the first digits of this suite's reporters' numbers (unique per suite, so parallel files never share a reporter)
   * @param timeoutMs how long to wait for an SMS or a status
   */
  constructor(
    private readonly phonePrefix: string,
    private readonly timeoutMs = 60_000,
  ) {}

  async start(start: StartSystem, env: Record<string, string> = {}, options: SystemOptions = {}): Promise<this> {
    this.fake = await new FakeTwilio().start();
    const started = await start(twilioTestEnv(this.fake, SMS_AUTH_TOKEN, SMS_PUBLIC_BASE_URL, { NOTIFY_MAX_REPLIES_PER_HOUR: '50', ...env }), options);
    this.system = started.system;
    this.cleanup = started.cleanup;
    this.routerUrl = this.system.apps.router ? await this.system.apps.router.getUrl() : this.system.baseUrl;
    return this;
  }

  async stop(): Promise<void> {
    await this.system?.stop();
    await this.cleanup();
    await this.fake?.stop();
  }

  /** A service's app: its own, or the embedded process that holds them all. */
  app(service: 'desk' | 'router' | 'notifier'): INestApplication {
    return this.system.apps[service] ?? this.system.apps.embedded;
  }

  get deskApp(): INestApplication {
    return this.app('desk');
  }

  /** A SQL query on a service's database (PostgreSQL, or the embedded process's PGlite), read only by tests. */
  sql<T = Record<string, unknown>>(service: 'desk' | 'router' | 'notifier', query: string, params: unknown[] = []): Promise<T[]> {
    return this.app(service).get(DataSource).query(query, params);
  }

  /** A new reporter's number. */
  phone(): string {
    return `${this.phonePrefix}${String(process.pid % 1000).padStart(3, '0')}${String(this.phones++).padStart(4, '0')}`;
  }

  /** The reporter sends an SMS (a validly signed Twilio webhook); returns its MessageSid. */
  async sms(from: string, body: string): Promise<string> {
    const params = inboundSms(from, body);
    const res = await postTwilioWebhook({ deliverTo: this.system.smsIntakeUrl!, path: '/webhooks/twilio/sms', params, authToken: SMS_AUTH_TOKEN, signedUrl: `${SMS_PUBLIC_BASE_URL}/webhooks/twilio/sms` });
    if (res.status !== 200) throw new Error(`the SMS webhook answered ${res.status}: ${res.text}`);
    return params.MessageSid;
  }

  /** Waits until `to` has received at least `count` SMS; their bodies in order. */
  smsTo(to: string, count: number): Promise<string[]> {
    return waitFor(() => (this.fake.to(to).length >= count ? this.fake.to(to).map((m) => m.params.Body) : undefined), { what: `${count} SMS to ${to}`, timeoutMs: this.timeoutMs });
  }

  /** An official's step, sent to the router's internal API as the desk sends it. */
  async act(id: string, action: ComplaintAction, actor: Actor): Promise<void> {
    const res = await fetch(`${this.routerUrl}/internal/v1/complaints/${id}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action, actor }) });
    if (res.status !== 200) throw new Error(`${action.action}: ${res.status} ${await res.text()}`);
  }

  async citizenView(id: string): Promise<ComplaintView> {
    return (await (await fetch(`${this.system.baseUrl}/api/v1/complaints/${id}`)).json()) as ComplaintView;
  }

  statusIs(id: string, status: string): Promise<true> {
    return waitFor(async () => (await this.citizenView(id)).status === status || undefined, { what: `${id} ${status}`, timeoutMs: this.timeoutMs });
  }
}
