import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lapor/runtime/config';
import { startFakeX } from '../../../../../test/support/fake-x';
import { DeliveryInDoubtError, PermanentSendError, RetryLaterError } from '../channel-sender';
import { publicReplyAddress, XDmSender } from './x.sender';
import { SenderRegistry } from '../sender-registry';

const KEYS = { X_CONSUMER_KEY: 'ck-test', X_CONSUMER_SECRET: 'cs-test', X_ACCESS_TOKEN: '1580661436132757506-at', X_ACCESS_SECRET: 'as-test' };
const message = { body: 'Status laporan 7KQ4M-9XWRT-C: Diteruskan ke instansi', headers: {} };

describe(XDmSender.name, () => {
  let fake: Awaited<ReturnType<typeof startFakeX>>;
  let sut: XDmSender;

  beforeAll(async () => {
    fake = await startFakeX();
    sut = new XDmSender(loadConfig({ ...KEYS, X_API_ROOT: fake.apiRoot, X_API_CA_FILE: fake.caFile } as NodeJS.ProcessEnv));
  });
  afterAll(() => fake?.stop());

  it('should send a DM to the user id over HTTPS with OAuth 1.0a', async () => {
    const result = await sut.send('3805104374', message);
    expect(result.externalId).toMatch(/^dm:\d+$/);
    const sent = fake.requests.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', path: '/2/dm_conversations/with/3805104374/messages', body: { text: message.body } });
    expect(sent.authorization).toMatch(/^OAuth .*oauth_consumer_key="ck-test".*oauth_token="1580661436132757506-at"/);
  });

  it('should post the public reply under a mention', async () => {
    const result = await sut.send(publicReplyAddress('1992184526331232256'), message);
    expect(result.externalId).toMatch(/^tweet:\d+$/);
    expect(fake.posts().at(-1)).toEqual({ text: message.body, inReplyTo: '1992184526331232256' });
  });

  it('should mark a user who does not accept our DMs unreachable (403 → PermanentSendError)', async () => {
    fake.failNext(403, { detail: 'You are not permitted to send a DM to this user', title: 'Forbidden', type: 'about:blank', status: 403 });
    const error = await sut.send('777', message).catch((e) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(error.message).toMatch(/not permitted/);
  });

  it('should wait for the rate-limit window on 429 (RetryLaterError)', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    fake.failNext(429, { title: 'Too Many Requests', status: 429 }, { 'x-rate-limit-limit': '200', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) });
    const error = await sut.send('888', message).catch((e) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error.retryAfterMs).toBeGreaterThan(100_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('should call a DM in doubt when X sent it but the answer was lost', async () => {
    fake.loseAnswerNext();
    const error = await sut.send('999', message).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryInDoubtError);
    expect(fake.dms().filter((d) => d.to === '999')).toHaveLength(1);
  });

  it('should write to OUTBOX_DIR/x without the four keys', async () => {
    const outbox = mkdtempSync(join(tmpdir(), 'outbox-'));
    const config = loadConfig({ OUTBOX_DIR: outbox } as NodeJS.ProcessEnv);
    await new SenderRegistry([new XDmSender(config)], config).for('x')!.send('3805104374', message);
    const [file] = readdirSync(join(outbox, 'x'));
    expect(JSON.parse(readFileSync(join(outbox, 'x', file), 'utf8'))).toMatchObject({ channel: 'x', to: '3805104374', body: message.body });
  });
});
