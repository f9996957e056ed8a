import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lapor/runtime/config';
import { FakeTwilio } from '../../../../../test/support/fake-twilio';
import { DeliveryInDoubtError, PermanentSendError, RetryLaterError } from '../channel-sender';
import { TwilioSmsSender } from './twilio-sms.sender';
import { SenderRegistry } from '../sender-registry';

const SID = 'AC11111111111111111111111111111111';
const TOKEN = 'secret-token-0000000000000000000';
const message = { body: 'LAPOR! Laporan diterima, no. 7KQ4M9XWRTC. Cek: kirim CEK 7KQ4M9XWRTC ke 1708', headers: { 'X-Lapor-Tracking-Id': '7KQ4M9XWRTC' } };

/** The real twilio client, pointed at a local stand-in for Twilio's REST API. */
describe(TwilioSmsSender.name, () => {
  let fake: FakeTwilio;
  const sender = (env: Record<string, string> = {}) =>
    new TwilioSmsSender(
      loadConfig({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM_NUMBER: '1708', TWILIO_API_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://lapor.example.id/', ...env } as NodeJS.ProcessEnv),
    );

  beforeAll(async () => {
    fake = await new FakeTwilio().start();
  });
  afterAll(() => fake.stop());

  it('should send To, From, Body and StatusCallback through the Messages API and return the MessageSid', async () => {
    const result = await sender().send('+6281234567890', message);
    const sent = fake.messages.at(-1)!;
    expect(result.externalId).toBe(sent.sid);
    expect(sent.accountSid).toBe(SID);
    expect(sent.authUser).toBe(SID);
    expect(sent.params).toEqual({ To: '+6281234567890', From: '1708', Body: message.body, StatusCallback: 'https://lapor.example.id/webhooks/twilio/status' });
  });

  it('should name the attempt in the StatusCallback URL, so each delivery report says which attempt it belongs to', async () => {
    await sender().send('+6281234567899', { ...message, attemptKey: '0b6f6c9e-4a43-4d8e-9a57-1c5b2f6a7d10.2' });
    expect(fake.to('+6281234567899')[0].params.StatusCallback).toBe('https://lapor.example.id/webhooks/twilio/status?attempt=0b6f6c9e-4a43-4d8e-9a57-1c5b2f6a7d10.2');
  });

  it('should find a message Twilio accepted by listing messages to the number, matched by body and time, newest first', async () => {
    const to = '+6281234500001';
    const since = new Date();
    await sender().send(to, { ...message, body: 'pesan lain' });
    const first = await sender().send(to, message);
    const second = await sender().send(to, message);
    await sender().send('+6281234500002', message);
    expect(await sender().findSent(to, message, since)).toEqual([second.externalId, first.externalId]);
    expect(fake.lists.at(-1)).toMatchObject({ To: to, From: '1708', PageSize: '20' });
    expect(await sender().findSent('+6281234500003', message, since)).toEqual([]);
    expect(await sender().findSent(to, message, new Date(Date.now() + 3_600_000))).toEqual([]);
  });

  it('should call a send whose answer never came in doubt, while Twilio has the message', async () => {
    fake.loseAnswerNext('+6281234500004');
    const error = await sender().send('+6281234500004', message).catch((e) => e);
    expect(error).toBeInstanceOf(DeliveryInDoubtError);
    expect(fake.to('+6281234500004')).toHaveLength(1);
    expect(await sender().findSent('+6281234500004', message, new Date(Date.now() - 60_000))).toEqual([fake.to('+6281234500004')[0].sid]);
  });

  it('should send through a messaging service when one is configured, and without StatusCallback when there is no public URL', async () => {
    await sender({ TWILIO_MESSAGING_SERVICE_SID: 'MG00000000000000000000000000000000', PUBLIC_BASE_URL: '' }).send('+6281234567891', message);
    expect(fake.messages.at(-1)!.params).toEqual({ To: '+6281234567891', MessagingServiceSid: 'MG00000000000000000000000000000000', Body: message.body });
  });

  it('should fail permanently, blaming the number, on 21211, 21610 and 21614', async () => {
    for (const code of [21211, 21610, 21614]) {
      fake.failNext(FakeTwilio.error(400, code, `error ${code}`), '+62800');
      const error = await sender().send('+62800', message).catch((e) => e);
      expect(error).toBeInstanceOf(PermanentSendError);
      expect(error).toMatchObject({ recipientUnreachable: true, vendorCode: String(code) });
    }
  });

  it('should fail permanently without blaming the number on other 4xx (e.g. 21408 region not enabled)', async () => {
    fake.failNext(FakeTwilio.error(400, 21408, 'Permission to send an SMS has not been enabled for the region'), '+62801');
    const error = await sender().send('+62801', message).catch((e) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(error).toMatchObject({ recipientUnreachable: false, vendorCode: '21408' });
  });

  it('should ask to retry after Retry-After on 429 and 503', async () => {
    fake.failNext(FakeTwilio.error(429, 20429, 'Too Many Requests', { 'Retry-After': '7' }), '+62802');
    const error = await sender().send('+62802', message).catch((e) => e);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect(error.retryAfterMs).toBe(7000);
    fake.failNext({ status: 503, body: { message: 'Service Unavailable' }, headers: { 'Retry-After': new Date(Date.now() + 60_000).toUTCString() } }, '+62802');
    const unavailable = await sender().send('+62802', message).catch((e) => e);
    expect(unavailable).toBeInstanceOf(RetryLaterError);
    expect(unavailable.retryAfterMs).toBeGreaterThan(50_000);
  });

  it('should leave 429 without Retry-After, 500 and network errors to the backoff (not permanent)', async () => {
    fake.failNext(FakeTwilio.error(429, 20429, 'Too Many Requests'), '+62803');
    fake.failNext(FakeTwilio.error(500, 20500, 'Internal Server Error'), '+62803');
    for (let i = 0; i < 2; i++) {
      const error = await sender().send('+62803', message).catch((e) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(PermanentSendError);
      expect(error).not.toBeInstanceOf(RetryLaterError);
    }
    const offline = await sender({ TWILIO_API_BASE_URL: 'http://127.0.0.1:1' }).send('+62803', message).catch((e) => e);
    expect(offline).toBeInstanceOf(Error);
    expect(offline).not.toBeInstanceOf(PermanentSendError);
    expect(offline).not.toBeInstanceOf(DeliveryInDoubtError); // refused: nothing reached Twilio
    // and the number still works afterwards
    await sender().send('+62803', message);
    expect(fake.to('+62803')).toHaveLength(1);
  });

  it('should call dead-handset delivery codes permanent', () => {
    const s = sender();
    for (const code of ['30003', '30005', '30006', '21610']) expect(s.isPermanentDeliveryError(code)).toBe(true);
    for (const code of ['30001', '30008', '30007']) expect(s.isPermanentDeliveryError(code)).toBe(false);
  });

  it('should write to OUTBOX_DIR/sms without Twilio credentials (through the sender registry)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lapor-sms-outbox-'));
    const config = loadConfig({ OUTBOX_DIR: dir, TWILIO_AUTH_TOKEN: TOKEN } as NodeJS.ProcessEnv);
    const s = new SenderRegistry([new TwilioSmsSender(config)], config).for('sms')!;
    expect(s.vendor).toBe('outbox');
    const before = fake.messages.length;
    const { externalId } = await s.send('+6281234567890', message);
    const [file] = readdirSync(join(dir, 'sms'));
    expect(externalId).toBe(join(dir, 'sms', file));
    expect(JSON.parse(readFileSync(externalId, 'utf8'))).toMatchObject({ channel: 'sms', to: '+6281234567890', body: message.body });
    expect(fake.messages.length).toBe(before);
  });

  it('should refuse half a configuration with a clear error', () => {
    expect(() => new TwilioSmsSender(loadConfig({ TWILIO_ACCOUNT_SID: SID } as NodeJS.ProcessEnv))).toThrow(/TWILIO_AUTH_TOKEN/);
    expect(() => new TwilioSmsSender(loadConfig({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN } as NodeJS.ProcessEnv))).toThrow(/TWILIO_FROM_NUMBER/);
  });
});
