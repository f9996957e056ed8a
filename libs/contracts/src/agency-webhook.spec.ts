import { createHmac } from 'node:crypto';
import { agencyWebhookDeliveryId, agencyWebhookKey, signAgencyWebhook, verifyAgencyWebhook } from './agency-webhook';

describe('agency webhook signing', () => {
  const secret = 'rahasia-deployment';
  const body = JSON.stringify({ kind: 'assigned', trackingId: '7KQ4M9XWRTC' });

  it('should derive the key per body and version as the design says', () => {
    const key = agencyWebhookKey(secret, '32.73', 1);
    expect(key).toBe(createHmac('sha256', secret).update('lapor-webhook:32.73:1').digest('hex'));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(agencyWebhookKey(secret, '32.73', 2)).not.toBe(key);
    expect(agencyWebhookKey(secret, '32.04', 1)).not.toBe(key);
    expect(() => agencyWebhookKey('', '32.73', 1)).toThrow(/AGENCY_WEBHOOK_SECRET/);
  });

  it('should sign the raw body with the key string and verify only that body', () => {
    const key = agencyWebhookKey(secret, '32.73', 1);
    const signature = signAgencyWebhook(key, body);
    expect(signature).toBe(`sha256=${createHmac('sha256', key).update(body).digest('hex')}`);
    expect(verifyAgencyWebhook(key, body, signature)).toBe(true);
    expect(verifyAgencyWebhook(key, body.replace('assigned', 'disposed'), signature)).toBe(false);
    expect(verifyAgencyWebhook(agencyWebhookKey(secret, '32.73', 2), body, signature)).toBe(false);
    expect(verifyAgencyWebhook(key, body, undefined)).toBe(false);
    expect(verifyAgencyWebhook(key, body, 'sha256=00')).toBe(false);
  });

  it('should give one delivery id per notice and body', () => {
    expect(agencyWebhookDeliveryId('N1:2:assigned', '32.73')).toBe(agencyWebhookDeliveryId('N1:2:assigned', '32.73'));
    expect(agencyWebhookDeliveryId('N1:2:assigned', '32.73')).not.toBe(agencyWebhookDeliveryId('N1:2:assigned', '32.04'));
    expect(agencyWebhookDeliveryId('N1:2:assigned', '32.73')).toMatch(/^[0-9a-f]{32}$/);
  });
});
