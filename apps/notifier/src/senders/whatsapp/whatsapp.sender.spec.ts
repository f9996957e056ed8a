import { loadConfig } from '@lapor/runtime/config';
import { FakeWhatsApp, startFakeWhatsApp, whatsAppTestEnv } from '../../../../../test/support/fake-whatsapp';
import { PermanentSendError, RetryLaterError } from '../channel-sender';
import { WhatsAppCloudSender } from './whatsapp.sender';

describe(WhatsAppCloudSender.name, () => {
  let fake: FakeWhatsApp;
  let sender: WhatsAppCloudSender;
  const message = { body: 'LAPOR! Laporan 7KQ4M9XWRTC diterima.\nCEK 7KQ4M9XWRTC = cek status', headers: {} };

  beforeAll(async () => {
    fake = await startFakeWhatsApp();
    sender = new WhatsAppCloudSender(loadConfig({ ...whatsAppTestEnv(fake, 'secret', 'verify'), WHATSAPP_TEMPLATE_NAME: 'lapor_status', WHATSAPP_TEMPLATE_LANGUAGE: 'id' } as NodeJS.ProcessEnv));
  });
  afterAll(() => fake?.stop());

  it('should send free-form text through the Graph API messages endpoint with the access token and return the wamid', async () => {
    const { externalId } = await sender.send('6281200000001', message);
    const [sent] = fake.to('6281200000001');
    expect(sent).toMatchObject({ type: 'text', text: message.body, wamid: externalId });
    expect(externalId).toMatch(/^wamid\./);
    expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${fake.accessToken}`);
  });

  it('should send the approved template when the 24-hour window is closed (131047), with the text as its parameter', async () => {
    fake.closeWindow('6281200000002');
    const { externalId } = await sender.send('6281200000002', message);
    const [sent] = fake.to('6281200000002');
    expect(sent).toMatchObject({ type: 'template', wamid: externalId, template: { name: 'lapor_status', language: { code: 'id' } } });
    // A template parameter carries no line breaks.
    expect(sent.text).toBe('LAPOR! Laporan 7KQ4M9XWRTC diterima. CEK 7KQ4M9XWRTC = cek status');
  });

  it.each([
    [131026, PermanentSendError, true],
    [132001, PermanentSendError, false],
    [130429, RetryLaterError, undefined],
    [131056, RetryLaterError, undefined],
  ])('should map error %i to %p', async (code, type, unreachable) => {
    const to = `62813${code}`;
    fake.failNext(to, code);
    const error = await sender.send(to, message).catch((e) => e);
    expect(error).toBeInstanceOf(type);
    if (unreachable !== undefined) expect((error as PermanentSendError).recipientUnreachable).toBe(unreachable);
  });

  it('should retry (a plain error) on a server failure or an expired token', async () => {
    fake.failNext('6281300000500', 131000, 500);
    const error = await sender.send('6281300000500', message).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentSendError);
    expect(error).not.toBeInstanceOf(RetryLaterError);
  });

  it('should call an undeliverable number (131026) a dead address in delivery reports', () => {
    expect([sender.isPermanentDeliveryError('131026'), sender.isPermanentDeliveryError('131047'), sender.isPermanentDeliveryError('131000')]).toEqual([true, false, false]);
  });

  it('should be unconfigured without the phone number id and token (the registry sends to the outbox)', () => {
    expect(new WhatsAppCloudSender(loadConfig({} as NodeJS.ProcessEnv)).configured).toBe(false);
    expect(sender.configured).toBe(true);
  });
});
