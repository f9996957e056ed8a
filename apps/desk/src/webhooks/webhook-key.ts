import { createHmac } from 'node:crypto';

/**
 * The body's webhook key of one version (docs/agency-desk.md, "Agency webhook"):
 * HMAC-SHA256(AGENCY_WEBHOOK_SECRET, "lapor-webhook:<bodyCode>:<version>") as hex.
 */
export function agencyWebhookKey(secret: string, bodyCode: string, version: number): string {
  if (!secret) throw new Error('agencyWebhookKey: AGENCY_WEBHOOK_SECRET is empty');
  return createHmac('sha256', secret).update(`lapor-webhook:${bodyCode}:${version}`).digest('hex');
}
