import { Controller, INestApplication, Module } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BusObserver, ConsumedRecord, InProcessBus } from '@lapor/bus';
import { DeadLetterHeaders, deadLetterTopic, DeliveryStatus, DeliveryStatusPayload, Envelope, EventHeaders } from '@lapor/contracts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../../test/support/wait-for';
import { createService } from './bootstrap';
import { loadConfig } from './config';
import { EventPublisher } from './event-publisher';
import { EventBusTransport, OnEvent } from './event-transport';
import { RuntimeModule } from './runtime.module';

const GROUP = 'transport-test';

/** A consumer as the apps declare them; how it behaves is set per test. */
const behaviour = { handled: [] as Envelope<DeliveryStatusPayload>[], fail: undefined as (() => never) | undefined };

@Controller()
class DeliveryStatusConsumer {
  @OnEvent(DeliveryStatus, GROUP)
  async onStatus(@Payload() event: Envelope<DeliveryStatusPayload>): Promise<void> {
    behaviour.fail?.();
    behaviour.handled.push(event);
  }
}

/**
 * The transport inside a real Nest app wired by createService, as every consumer app is
 * (global ApiErrorFilter inherited by the microservice), over the in-process bus.
 */
describe(EventBusTransport.name, () => {
  let app: INestApplication;
  let bus: InProcessBus;
  const retrying: { attempt: number; message: string }[] = [];
  const letters: ConsumedRecord[] = [];

  beforeEach(async () => {
    behaviour.handled = [];
    behaviour.fail = undefined;
    retrying.length = 0;
    letters.length = 0;
    const observer: BusObserver = { retrying: (e) => void retrying.push({ attempt: e.attempt, message: (e.error as Error).message }) };
    bus = new InProcessBus({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, observer });
    bus.subscribe('dlq-reader', deadLetterTopic(DeliveryStatus.topic), async (r) => void letters.push(r));
    const config = loadConfig({ LOG_LEVEL: 'error', DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-transport-')) } as NodeJS.ProcessEnv);
    @Module({ imports: [RuntimeModule.forRoot(config, { clientId: 'transport-test', bus })], controllers: [DeliveryStatusConsumer] })
    class TestModule {}
    app = await createService(TestModule, { consumesEvents: true });
    await app.startAllMicroservices();
    await app.init();
  });

  afterEach(async () => {
    await app.close();
  });

  const status = (externalId: string) =>
    app.get(EventPublisher).event(DeliveryStatus, { channel: 'sms', externalId, status: 'delivered', reportedAt: new Date().toISOString() }, `corr-${externalId}`);

  it('should hand a valid event to its handler', async () => {
    await app.get(EventPublisher).publish(status('SM1'));
    await waitFor(() => behaviour.handled.length === 1, { what: 'the event' });
    expect(behaviour.handled[0].payload).toMatchObject({ externalId: 'SM1', status: 'delivered' });
  });

  it('should dead-letter a record that fails its schema at once, naming the problem, and go on with the next', async () => {
    await bus.publish({ topic: DeliveryStatus.topic, key: 'x', value: JSON.stringify({ type: 'notification.delivery-status', payload: { channel: 'pigeon' } }) });
    await bus.publish({ topic: DeliveryStatus.topic, key: 'y', value: '{not json' });
    await app.get(EventPublisher).publish(status('SM2'));
    await waitFor(() => behaviour.handled.length === 1 && letters.length === 2, { what: 'two dead letters and the valid event' });
    expect(retrying).toEqual([]);
    for (const letter of letters) {
      expect(letter.headers).toMatchObject({ [DeadLetterHeaders.attempts]: '1', [DeadLetterHeaders.error]: 'UnprocessableRecordError', [DeadLetterHeaders.group]: GROUP });
      expect(letter.headers![DeadLetterHeaders.reason]).toMatch(new RegExp(`^does not match the schema of ${DeliveryStatus.topic.replace(/\./g, '\\.')}: `));
    }
    expect(letters[0].headers![DeadLetterHeaders.reason]).toContain('payload.channel');
    expect(letters[0].headers![DeadLetterHeaders.reason]).not.toContain('\n');
    expect(letters[1].headers![DeadLetterHeaders.reason]).toMatch(/JSON/);
  });

  it("should let a handler's own error reach the bus's retries and dead letter unchanged (not the HTTP filter's)", async () => {
    behaviour.fail = () => {
      throw new RangeError('invalid byte sequence for encoding "UTF8": 0x00');
    };
    await app.get(EventPublisher).publish(status('SM3'));
    await waitFor(() => letters.length === 1, { what: 'the dead letter' });
    expect(retrying).toEqual([
      { attempt: 1, message: 'invalid byte sequence for encoding "UTF8": 0x00' },
      { attempt: 2, message: 'invalid byte sequence for encoding "UTF8": 0x00' },
    ]);
    expect(letters[0].headers).toMatchObject({
      [DeadLetterHeaders.reason]: 'invalid byte sequence for encoding "UTF8": 0x00',
      [DeadLetterHeaders.error]: 'RangeError',
      [DeadLetterHeaders.attempts]: '3',
      [EventHeaders.correlationId]: 'corr-SM3',
    });
  });
});
