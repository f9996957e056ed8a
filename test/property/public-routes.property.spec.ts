import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describeRequest, FuzzSecrets, publicRoutes, send } from '../../tools/fuzz/routes';
import { FakeTwilio } from '../support/fake-twilio';
import { startFakeTelegram } from '../support/fake-telegram';
import { startFakeX } from '../support/fake-x';
import { startSmtpServer } from '../support/smtp';
import { RunningSystem, startEmbedded } from '../support/system';

/**
 * The fuzzer's properties (tools/fuzz, `npm run fuzz` for the long run), a few hundred
 * generated requests per public route: whatever arrives, validly signed or not, well
 * formed or not, the answer is never a 5xx. A failure prints the request fast-check
 * shrank it to.
 */
const SECRETS: FuzzSecrets = {
  publicBaseUrl: 'https://lapor.property.test',
  twilioAuthToken: 'property-auth-token-000000000000',
  telegramSecret: 'property_webhook-secret',
  xConsumerSecret: 'property-consumer-secret',
  xAccountId: '1580661436132757506',
};
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

describe('public routes (generated requests)', () => {
  let system: RunningSystem;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const [twilio, telegram, x, smtp] = await Promise.all([new FakeTwilio().start(), startFakeTelegram(), startFakeX(), startSmtpServer()]);
    stops.push(() => twilio.stop(), telegram.stop, x.stop, smtp.stop);
    system = await startEmbedded({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-property-')),
      LOG_LEVEL: 'error',
      PUBLIC_BASE_URL: SECRETS.publicBaseUrl,
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
      TWILIO_AUTH_TOKEN: SECRETS.twilioAuthToken,
      TWILIO_FROM_NUMBER: '1708',
      TWILIO_API_BASE_URL: twilio.url,
      TELEGRAM_BOT_TOKEN: '7000000003:AAH-property-token',
      TELEGRAM_WEBHOOK_SECRET: SECRETS.telegramSecret,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      X_CONSUMER_KEY: 'property-ck',
      X_CONSUMER_SECRET: SECRETS.xConsumerSecret,
      X_ACCESS_TOKEN: `${SECRETS.xAccountId}-property`,
      X_ACCESS_SECRET: 'property-as',
      X_ACCOUNT_ID: SECRETS.xAccountId,
      X_API_ROOT: x.apiRoot,
      X_API_CA_FILE: x.caFile,
      SMTP_URL: smtp.url,
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await Promise.allSettled(stops.map((stop) => stop()));
  });

  it.each(publicRoutes(SECRETS).map((r) => [r.name, r] as const))('should never answer %s with a 5xx', async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(route.requests, async (req) => {
        const status = await send(system.baseUrl, req);
        if (status >= 500) throw new Error(`${status} for ${describeRequest(req)}`);
      }),
      { numRuns: RUNS },
    );
  }, 300_000);
});
