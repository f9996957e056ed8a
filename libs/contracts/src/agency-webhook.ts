import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AgencyNoticePayload } from './events/agency-notice.event';

/**
 * The signed webhook a body's own system receives for every notice (docs/agency-desk.md,
 * "Agency webhook"). Defined once here: the notifier signs with it, the desk derives the
 * same key to show it to the body's liaison, and agencies verify with the recipe in the
 * README ("For agencies"). node:crypto only, so contracts stay free of any framework.
 */
export const AGENCY_WEBHOOK_HEADERS = {
  /** `sha256=<hex HMAC-SHA256 of the raw request body with the body's key>` */
  signature: 'X-Lapor-Signature',
  /** The notice kind: assigned, disposed, info_provided, reopened, reminder, escalated, copy. */
  event: 'X-Lapor-Event',
  /** The same for every retry of one notice to one body, so a receiver can drop repeats. */
  delivery: 'X-Lapor-Delivery',
  /** Unix seconds of this attempt (informational; the signed body carries `occurredAt`). */
  timestamp: 'X-Lapor-Timestamp',
  /** Which version of the body's key signed it (the desk bumps it to rotate the key). */
  keyVersion: 'X-Lapor-Key-Version',
  /** The body (region code or agency slug) whose key signed it: a receiver serving several bodies picks the key by it. */
  body: 'X-Lapor-Body',
} as const;

/**
 * The body's webhook key of one version: HMAC-SHA256(AGENCY_WEBHOOK_SECRET,
 * "lapor-webhook:<bodyCode>:<version>") as 64 hex characters. The receiver uses this
 * string itself (its UTF-8 bytes) as the HMAC key.
 */
export function agencyWebhookKey(secret: string, bodyCode: string, version: number): string {
  if (!secret) throw new Error('agencyWebhookKey: AGENCY_WEBHOOK_SECRET is empty');
  return createHmac('sha256', secret).update(`lapor-webhook:${bodyCode}:${version}`).digest('hex');
}

/** The X-Lapor-Signature value for a raw body: `sha256=<hex>`. */
export function signAgencyWebhook(key: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', key).update(rawBody).digest('hex')}`;
}

/** Checks an X-Lapor-Signature header in constant time (what an agency's receiver does). */
export function verifyAgencyWebhook(key: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signAgencyWebhook(key, rawBody));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** X-Lapor-Delivery: stable per notice and body (32 hex characters). */
export function agencyWebhookDeliveryId(noticeId: string, bodyCode: string): string {
  return createHash('sha256').update(`${noticeId}\u0000${bodyCode}`).digest('hex').slice(0, 32);
}

/**
 * The JSON body POSTed to the agency's system: the notice without the officials' e-mail
 * addresses and webhook settings, plus when it happened. Never the reporter's identity.
 */
export const AgencyWebhookBody = AgencyNoticePayload.omit({ recipients: true, webhook: true }).extend({
  occurredAt: z.string().datetime({ offset: true }),
});
export type AgencyWebhookBody = z.infer<typeof AgencyWebhookBody>;
