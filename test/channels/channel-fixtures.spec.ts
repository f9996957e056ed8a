import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lapor/runtime';
import twilio from 'twilio';
import { createSmsIntakeApp } from '../../apps/sms-intake/src/sms-intake.app';
import { createSocialIntakeApp } from '../../apps/social-intake/src/social-intake.app';
import { ChannelUnderTest, describeChannelHarness } from '../support/channel-harness';
import { startFakeTelegram } from '../support/fake-telegram';
import { FakeTwilio, postTwilioWebhook } from '../support/fake-twilio';
import { hubSignature } from '../support/fake-whatsapp';

/**
 * Every channel's real payload fixtures through its adapter on the generic webhook
 * controller, with the harness's own bad-signature, replay and malformed cases. Unit
 * project: the in-memory capturing bus, local stand-ins for the vendors' APIs, no Kafka,
 * no database.
 */
const config = (env: Record<string, string>) => loadConfig({ LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(join(tmpdir(), 'harness-')), ...env } as NodeJS.ProcessEnv);
const postJson = async (url: string, raw: string, headers: Record<string, string>) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: res.status, text: await res.text() };
};
const fixturesOf = (app: string, adapter: string) => join(__dirname, `../../apps/${app}/src/adapters/${adapter}/__fixtures__`);

const WHATSAPP_SECRET = 'whatsapp-app-secret-0123456789abcdef';
const whatsapp: ChannelUnderTest = {
  channel: 'whatsapp',
  fixturesDir: fixturesOf('social-intake', 'whatsapp'),
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
  fixturesDir: fixturesOf('social-intake', 'x'),
  start: (bus) => createSocialIntakeApp(config({ X_CONSUMER_SECRET: X_SECRET, X_ACCOUNT_ID: '1580661436132757506' }), { bus }),
  send: (url, body, signing) => {
    const raw = JSON.stringify(body);
    return postJson(`${url}/webhooks/x`, raw, signing === 'missing' ? {} : { 'x-twitter-webhooks-signature': xSignature(raw, signing === 'valid' ? X_SECRET : 'another-consumer-secret') });
  },
  sendMalformed: (url) => postJson(`${url}/webhooks/x`, '{"for_user_id": ', { 'x-twitter-webhooks-signature': xSignature('{"for_user_id": ', X_SECRET) }),
};

// Telegram: the secret token set with setWebhook comes back in a header on every update
// (https://core.telegram.org/bots/api#setwebhook). getMe (for "/status@LaporTestBot") and
// getFile go to the local Bot API stand-in, never to api.telegram.org.
const TELEGRAM_SECRET = 'lapor_webhook-secret_123';
let fakeTelegram: Awaited<ReturnType<typeof startFakeTelegram>> | undefined;
const telegram: ChannelUnderTest = {
  channel: 'telegram',
  fixturesDir: fixturesOf('social-intake', 'telegram'),
  start: async (bus) => {
    fakeTelegram = await startFakeTelegram({ username: 'LaporTestBot' });
    return createSocialIntakeApp(config({ TELEGRAM_BOT_TOKEN: '7712345678:AAH-test-token-for-lapor-gateway', TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET, TELEGRAM_API_ROOT: fakeTelegram.apiRoot }), { bus });
  },
  stop: async () => fakeTelegram?.stop(),
  send: (url, update, signing) =>
    postJson(`${url}/webhooks/telegram`, JSON.stringify(update), signing === 'missing' ? {} : { 'x-telegram-bot-api-secret-token': signing === 'valid' ? TELEGRAM_SECRET : 'another-bots-secret' }),
  sendMalformed: (url) => postJson(`${url}/webhooks/telegram`, '{"update_id": 734120099, "message": ', { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET }),
};

// Twilio: form-encoded webhooks signed by the twilio library (X-Twilio-Signature over the
// public URL and the sorted parameters, https://www.twilio.com/docs/usage/security), at the
// URL configured at Twilio: messages at /sms, status callbacks (fixtures status-*) at /status.
const TWILIO_TOKEN = '12345678901234567890123456789012';
const TWILIO_PUBLIC = 'https://lapor.example.id/gateway';
let fakeTwilio: FakeTwilio | undefined;
const twilioPath = (name?: string) => (name?.startsWith('status-') ? '/webhooks/twilio/status' : '/webhooks/twilio/sms');
/** The fixtures' MediaUrls name api.twilio.com; here the stand-in is Twilio's API (TWILIO_API_BASE_URL), so they name it. */
const onStandIn = (params: Record<string, string>) => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.replace('https://api.twilio.com', fakeTwilio!.url)]));
const sendTwilio = (url: string, path: string, params: Record<string, string>, signing: 'valid' | 'wrong-secret' | 'missing') =>
  postTwilioWebhook({
    deliverTo: url,
    path,
    params: onStandIn(params),
    authToken: signing === 'wrong-secret' ? 'another-accounts-token-0000000000' : TWILIO_TOKEN,
    signature: signing === 'missing' ? null : undefined,
    signedUrl: TWILIO_PUBLIC + path,
  });
const twilioSms: ChannelUnderTest = {
  channel: 'sms',
  fixturesDir: fixturesOf('sms-intake', 'twilio'),
  start: async (bus) => {
    fakeTwilio = await new FakeTwilio().start();
    const env = { TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000', TWILIO_API_BASE_URL: fakeTwilio.url, PUBLIC_BASE_URL: TWILIO_PUBLIC };
    return createSmsIntakeApp(config(env), { bus });
  },
  stop: async () => fakeTwilio?.stop(),
  send: (url, params, signing, name) => sendTwilio(url, twilioPath(name), params as Record<string, string>, signing),
  // JSON where Twilio always sends a form, correctly signed over what the form parser reads from it: not an inbound message (400).
  sendMalformed: async (url) => {
    const raw = '{"MessageSid": "SM5f1c3e0a9b7d4c2e8f6a1b3c5d7e9f01", "Body": "bukan formulir"}';
    const signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${TWILIO_PUBLIC}/webhooks/twilio/sms`, Object.fromEntries(new URLSearchParams(raw)));
    const res = await fetch(`${url}/webhooks/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: raw });
    return { status: res.status, text: await res.text() };
  },
};

describeChannelHarness([twilioSms, telegram, whatsapp, x]);
