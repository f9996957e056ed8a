import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lapor/runtime';
import { createSocialIntakeApp } from '../../apps/social-intake/src/social-intake.app';
import { ChannelUnderTest, describeChannelHarness } from '../support/channel-harness';
import { createHmac } from 'node:crypto';
import { hubSignature } from '../support/fake-whatsapp';

/**
 * Every channel's real payload fixtures through its adapter on the generic webhook
 * controller, with the harness's own bad-signature, replay and malformed cases. Unit
 * project: the in-memory capturing bus, no Kafka, no database.
 */
const config = (env: Record<string, string>) => loadConfig({ LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(join(tmpdir(), 'harness-')), ...env } as NodeJS.ProcessEnv);
const postJson = async (url: string, raw: string, headers: Record<string, string>) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: res.status, text: await res.text() };
};

const WHATSAPP_SECRET = 'whatsapp-app-secret-0123456789abcdef';
const whatsapp: ChannelUnderTest = {
  channel: 'whatsapp',
  fixturesDir: join(__dirname, '../../apps/social-intake/src/adapters/whatsapp/__fixtures__'),
  start: (bus) => createSocialIntakeApp(config({ WHATSAPP_APP_SECRET: WHATSAPP_SECRET, WHATSAPP_VERIFY_TOKEN: 'verify-me' }), { bus }),
  send: (url, body, signing) => {
    const raw = JSON.stringify(body);
    const headers: Record<string, string> = signing === 'missing' ? {} : { 'x-hub-signature-256': hubSignature(raw, signing === 'valid' ? WHATSAPP_SECRET : 'another-apps-secret') };
    return postJson(`${url}/webhooks/whatsapp`, raw, headers);
  },
  sendMalformed: (url) => postJson(`${url}/webhooks/whatsapp`, '{"object": "whatsapp_business_account", "entry": [', { 'x-hub-signature-256': hubSignature('{"object": "whatsapp_business_account", "entry": [', WHATSAPP_SECRET) }),
};

const X_SECRET = 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw';
const xSignature = (raw: string, secret: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('base64')}`;
const x: ChannelUnderTest = {
  channel: 'x',
  fixturesDir: join(__dirname, '../../apps/social-intake/src/adapters/x/__fixtures__'),
  start: (bus) => createSocialIntakeApp(config({ X_CONSUMER_SECRET: X_SECRET, X_ACCOUNT_ID: '1580661436132757506' }), { bus }),
  send: (url, body, signing) => {
    const raw = JSON.stringify(body);
    return postJson(`${url}/webhooks/x`, raw, signing === 'missing' ? {} : { 'x-twitter-webhooks-signature': xSignature(raw, signing === 'valid' ? X_SECRET : 'another-consumer-secret') });
  },
  sendMalformed: (url) => postJson(`${url}/webhooks/x`, '{"for_user_id": ', { 'x-twitter-webhooks-signature': xSignature('{"for_user_id": ', X_SECRET) }),
};

describeChannelHarness([whatsapp, x]);
