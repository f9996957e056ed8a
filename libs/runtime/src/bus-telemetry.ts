import type { BusObserver } from '@lapor/bus';
import type { LaporMetrics } from './metrics';

/** The bus's reports (libs/bus/src/observer.ts) as Prometheus metrics: publishes, lag, retries, dead letters. */
export function metricsBusObserver(metrics: LaporMetrics): BusObserver {
  return {
    published: ({ topic, durationMs }) => metrics.busPublishDuration.observe({ topic, outcome: 'stored' }, durationMs / 1000),
    publishFailed: ({ topic, records, durationMs }) => {
      metrics.busPublishDuration.observe({ topic, outcome: 'failed' }, durationMs / 1000);
      metrics.busPublishFailures.inc({ topic }, records);
    },
    handled: ({ group, record, durationMs }) => metrics.busHandled.observe({ group, topic: record.topic }, durationMs / 1000),
    retrying: ({ group, record }) => metrics.busHandlerRetries.inc({ group, topic: record.topic }),
    deadLettered: ({ group, record }) => metrics.busDeadLetters.inc({ group, topic: record.topic }),
    lag: ({ group, topic, partition, lag }) => metrics.busConsumerLag.set({ group, topic, partition: String(partition) }, lag),
    groupJoined: ({ group, assignment }) => {
      metrics.busAssignedPartitions.set({ group }, Object.values(assignment).reduce((n, partitions) => n + partitions.length, 0));
      // Partitions this member no longer holds must not keep reporting their last lag.
      metrics.busConsumerLag.reset();
    },
  };
}

/**
 * Readiness of a consumer: every group it subscribed has joined (Kafka assigned it its
 * partitions, possibly none when there are more replicas than partitions: such a member is
 * idle but healthy, and requiring partitions would stall a rolling update at the surge pod).
 */
export class ConsumerReadiness {
  private readonly expected = new Set<string>();
  private readonly joined = new Set<string>();

  /** `namespace`: BUS_NAMESPACE, which the bus puts before every group name it reports. */
  constructor(private readonly namespace?: string) {}

  expect(group: string): void {
    this.expected.add(this.namespace ? `${this.namespace}.${group}` : group);
  }

  readonly observer: BusObserver = {
    groupJoined: ({ group }) => void this.joined.add(group),
  };

  /** Groups subscribed but not (yet) joined; empty when ready. */
  waitingFor(): string[] {
    return [...this.expected].filter((g) => !this.joined.has(g));
  }
}
