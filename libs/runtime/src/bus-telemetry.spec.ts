import { composeObservers, ConsumedRecord, InProcessBus } from '@lapor/bus';
import { parseExposition, total } from '../../../test/support/prometheus';
import { ConsumerReadiness, metricsBusObserver } from './bus-telemetry';
import { LaporMetrics } from './metrics';

/** The bus's observer hook drives the lapor_bus_* metrics and consumer readiness (real in-process bus). */
describe(metricsBusObserver.name, () => {
  it('should count publishes, retries, dead letters and lag, and mark the group ready once joined', async () => {
    const metrics = new LaporMetrics('test');
    const readiness = new ConsumerReadiness();
    const bus = new InProcessBus({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, observer: composeObservers(metricsBusObserver(metrics), readiness.observer) });
    const seen: ConsumedRecord[] = [];
    bus.subscribe('g', 't', async (record) => {
      seen.push(record);
      if (record.key === 'bad') throw new Error('always fails');
    });
    readiness.expect('g');
    expect(readiness.waitingFor()).toEqual(['g']);
    await bus.start();
    expect(readiness.waitingFor()).toEqual([]);

    await bus.publish([{ topic: 't', key: 'bad', value: '1' }, { topic: 't', key: 'good', value: '2' }]);
    const deadline = Date.now() + 10_000;
    while (!seen.some((r) => r.key === 'good') && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    await bus.stop();

    const exposition = parseExposition(await metrics.exposition());
    expect(total(exposition, 'lapor_bus_publish_duration_seconds', { topic: 't', outcome: 'stored' })).toBe(1);
    expect(total(exposition, 'lapor_bus_handler_retries_total', { group: 'g', topic: 't' })).toBe(2);
    expect(total(exposition, 'lapor_bus_dead_letters_total', { group: 'g', topic: 't' })).toBe(1);
    expect(total(exposition, 'lapor_bus_handler_duration_seconds', { group: 'g', topic: 't' })).toBe(1);
    expect(exposition.samples.find((s) => s.name === 'lapor_bus_consumer_lag' && s.labels.group === 'g')?.value).toBe(0);
  });
});
