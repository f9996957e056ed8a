import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lapor/runtime/config';
import { startFakeTelegram } from '../../../../../test/support/fake-telegram';
import { DeliveryInDoubtError, PermanentSendError, RetryLaterError } from '../channel-sender';
import { TelegramChatSender } from './telegram.sender';
import { SenderRegistry } from '../sender-registry';

const TOKEN = '7712345678:AAH-test-token-for-lapor-gateway';
const message = { body: 'Laporan Anda telah diterima. Nomor pelacakan: 7KQ4M-9XWRT-C', headers: { 'X-Lapor-Tracking-Id': '7KQ4M9XWRTC' } };

describe(TelegramChatSender.name, () => {
  let fake: Awaited<ReturnType<typeof startFakeTelegram>>;
  let sut: TelegramChatSender;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    sut = new TelegramChatSender(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.apiRoot } as NodeJS.ProcessEnv));
  });
  afterAll(() => fake?.stop());

  it('should send the text to the chat through the Bot API and return chat:message id', async () => {
    const result = await sut.send('5512345678', message);
    expect(result.externalId).toMatch(/^5512345678:\d+$/);
    expect(fake.sent.at(-1)).toMatchObject({ token: TOKEN, chatId: '5512345678', text: message.body });
  });

  it('should mark a chat that blocked the bot unreachable (403 → PermanentSendError)', async () => {
    fake.failNext('111', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const error = await sut.send('111', message).catch((e) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(error).toMatchObject({ recipientUnreachable: true, vendorCode: '403' });
  });

  it("should honour 429 retry_after (RetryLaterError)", async () => {
    fake.failNext('222', { error_code: 429, description: 'Too Many Requests: retry after 17', parameters: { retry_after: 17 } });
    const error = await sut.send('222', message).catch((e) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error.retryAfterMs).toBe(17_000);
  });

  it('should let other failures be retried with backoff', async () => {
    fake.failNext('333', { error_code: 500, description: 'Internal Server Error' });
    const error = await sut.send('333', message).catch((e) => e);
    expect(error).not.toBeInstanceOf(PermanentSendError);
    expect(error).not.toBeInstanceOf(RetryLaterError);
  });

  it('should call a send in doubt when Telegram took it but the answer was lost, and not when the Bot API could not be reached', async () => {
    fake.loseAnswerNext('444');
    const lost = await sut.send('444', message).catch((e) => e);
    expect(lost).toBeInstanceOf(DeliveryInDoubtError);
    expect(fake.sent.filter((m) => m.chatId === '444')).toHaveLength(1);
    const offline = new TelegramChatSender(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:1' } as NodeJS.ProcessEnv));
    const refused = await offline.send('444', message).catch((e) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(DeliveryInDoubtError);
  });

  it('should write to OUTBOX_DIR/telegram without a token', async () => {
    const outbox = mkdtempSync(join(tmpdir(), 'outbox-'));
    const config = loadConfig({ OUTBOX_DIR: outbox } as NodeJS.ProcessEnv);
    const offline = new SenderRegistry([new TelegramChatSender(config)], config).for('telegram')!;
    await offline.send('5512345678', message);
    const [file] = readdirSync(join(outbox, 'telegram'));
    expect(JSON.parse(readFileSync(join(outbox, 'telegram', file), 'utf8'))).toMatchObject({ channel: 'telegram', to: '5512345678', body: message.body });
  });
});
