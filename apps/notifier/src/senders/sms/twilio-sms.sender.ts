import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@lapor/runtime/config';
import { APP_CONFIG } from '@lapor/runtime/tokens';
import twilio from 'twilio';
import { ChannelSender, OutboundMessage, PermanentSendError, RetryLaterError, SendResult, transportFailure } from '../channel-sender';
import { smsSegments } from './sms-segments';
import { TwilioHttpClient } from './twilio-http.client';

/**
 * REST API errors that say this number will never take an SMS from us: invalid number,
 * unsubscribed/blocked (21610), not a mobile number, not reachable by SMS.
 * https://www.twilio.com/docs/api/errors
 */
const DEAD_NUMBER_CODES = new Set([21211, 21217, 21401, 21421, 21610, 21612, 21614]);

/** Delivery-report codes (status callback ErrorCode) that mean the same for a sent message. */
const DEAD_NUMBER_DELIVERY_CODES = new Set(['30003', '30004', '30005', '30006', '21211', '21610', '21614']);

/** 401/403: our credentials, not the message; they may be fixed, so keep retrying with backoff. */
const RETRYABLE_4XX = new Set([401, 403, 408, 409, 429]);

/** How far Twilio's clock may be from ours when matching a message to an attempt (the dispatcher also excludes message ids it has already recorded). */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * SMS through Twilio (novu-style provider): account SID + auth token, sending from
 * TWILIO_FROM_NUMBER or through TWILIO_MESSAGING_SERVICE_SID. Delivery reports come back
 * to PUBLIC_BASE_URL/webhooks/twilio/status (sms-intake). Without an account SID and
 * token (embedded mode), each SMS is written to OUTBOX_DIR/sms instead.
 */
@Injectable()
export class TwilioSmsSender implements ChannelSender {
  readonly channel = 'sms' as const;
  readonly vendor = 'twilio';
  private readonly log = new Logger(TwilioSmsSender.name);
  private readonly client?: twilio.Twilio;
  private readonly sender: { from: string } | { messagingServiceSid: string } | undefined;
  private readonly statusCallback?: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const env = config.env;
    if (!env.TWILIO_ACCOUNT_SID) {
      this.log.log(`no TWILIO_ACCOUNT_SID: SMS are written to ${config.outboxDir}/sms`);
      return;
    }
    if (!env.TWILIO_AUTH_TOKEN) throw new Error('TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is not; set both to send SMS through Twilio');
    if (env.TWILIO_MESSAGING_SERVICE_SID) this.sender = { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID };
    else if (env.TWILIO_FROM_NUMBER) this.sender = { from: env.TWILIO_FROM_NUMBER };
    else throw new Error('Twilio needs a sender: set TWILIO_FROM_NUMBER (e.g. the short code 1708) or TWILIO_MESSAGING_SERVICE_SID');
    this.client = twilio(env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, { httpClient: new TwilioHttpClient(env.TWILIO_API_BASE_URL) });
    if (env.PUBLIC_BASE_URL) this.statusCallback = `${env.PUBLIC_BASE_URL.replace(/\/+$/, '')}/webhooks/twilio/status`;
  }

  get configured(): boolean {
    return !!this.client;
  }

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    const size = smsSegments(message.body);
    if (size.segments > 1) this.log.debug(`SMS to ${to} takes ${size.segments} ${size.encoding} segments`);
    if (!this.client) throw new Error('Twilio is not configured (TWILIO_ACCOUNT_SID)');
    try {
      const sent = await this.client.messages.create({
        to,
        body: message.body,
        ...this.sender!,
        ...(this.statusCallback ? { statusCallback: this.statusCallbackFor(message) } : {}),
      });
      return { externalId: sent.sid };
    } catch (error) {
      throw classify(error);
    }
  }

  /**
   * Twilio has no idempotency key for sending, but lists what it accepted: messages to
   * this number (from our number, when we send from one), newest first, with this body,
   * created since the attempt. The Message resource does not echo the StatusCallback,
   * so the body and time are what identify it; the time is checked here on date_created,
   * because the DateSent filter misses a message Twilio still holds in its queue.
   * https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources
   */
  async findSent(to: string, message: OutboundMessage, since: Date): Promise<string[] | undefined> {
    if (!this.client) return undefined;
    try {
      const listed = await this.client.messages.list({ to, ...(this.sender && 'from' in this.sender ? { from: this.sender.from } : {}), pageSize: 20, limit: 20 });
      const after = since.getTime() - CLOCK_SKEW_MS;
      return listed.filter((m) => m.direction !== 'inbound' && m.body === message.body && m.dateCreated.getTime() >= after).map((m) => m.sid);
    } catch (error) {
      throw classify(error);
    }
  }

  /** The attempt key rides along in the callback URL (Twilio signs the URL with its query), so each delivery report names the attempt it belongs to. */
  private statusCallbackFor(message: OutboundMessage): string {
    return message.attemptKey ? `${this.statusCallback}?attempt=${encodeURIComponent(message.attemptKey)}` : this.statusCallback!;
  }

  isPermanentDeliveryError(code: string): boolean {
    return DEAD_NUMBER_DELIVERY_CODES.has(code);
  }
}

/** Twilio's exception → what the dispatcher should do with the row. */
function classify(error: unknown): Error {
  if (error instanceof RetryLaterError) return error; // 429/5xx with Retry-After (TwilioHttpClient)
  const e = error as { status?: number; code?: number; message?: string };
  if (typeof e?.status !== 'number') return transportFailure('Twilio', error); // no answer: Twilio may have the message
  const what = `Twilio ${e.code ?? `HTTP ${e.status}`}: ${e.message ?? ''}`.trim();
  if (e.code !== undefined && DEAD_NUMBER_CODES.has(e.code)) return new PermanentSendError(what, true, String(e.code));
  if (e.status >= 400 && e.status < 500 && !RETRYABLE_4XX.has(e.status)) return new PermanentSendError(what, false, e.code === undefined ? String(e.status) : String(e.code));
  return new Error(what); // 429 without Retry-After, 5xx, credentials: backoff
}
