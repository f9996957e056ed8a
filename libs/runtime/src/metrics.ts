import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric the services expose, defined here once (prom-client). Apps record
 * through the LaporMetrics instance the RuntimeModule provides; a new app adds its own metrics
 * here, with the same `lapor_` prefix, so k8s/base/monitoring (alerts, dashboard) finds them.
 * Each process has one registry; `service` names the app (embedded: `embedded`).
 */
export class LaporMetrics {
  readonly registry = new Registry();

  /** Every HTTP request, by route template (never the raw path: ids would explode the series) and status. */
  readonly httpRequestDuration = new Histogram({
    name: 'lapor_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** A publish to the bus, until the records were durable (acks=all) or it gave up. */
  readonly busPublishDuration = new Histogram({
    name: 'lapor_bus_publish_duration_seconds',
    help: 'Time until a publish was durably stored (or failed), by topic and outcome',
    labelNames: ['topic', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly busPublishFailures = new Counter({
    name: 'lapor_bus_publish_failures_total',
    help: 'Publishes the bus could not store (the caller answered 503 or retried), by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly busConsumerLag = new Gauge({
    name: 'lapor_bus_consumer_lag',
    help: 'Records of a partition not yet handled by the consumer group (after the last fetched batch)',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly busHandled = new Histogram({
    name: 'lapor_bus_handler_duration_seconds',
    help: 'Time a consumer handler took for a record it handled, by group and topic',
    labelNames: ['group', 'topic'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly busHandlerRetries = new Counter({
    name: 'lapor_bus_handler_retries_total',
    help: 'Failed tries of a record that will be tried again, by group and topic',
    labelNames: ['group', 'topic'] as const,
    registers: [this.registry],
  });

  readonly busDeadLetters = new Counter({
    name: 'lapor_bus_dead_letters_total',
    help: 'Records moved to <topic>.dlq (failed their schema, or every retry), by group and source topic',
    labelNames: ['group', 'topic'] as const,
    registers: [this.registry],
  });

  readonly busAssignedPartitions = new Gauge({
    name: 'lapor_bus_assigned_partitions',
    help: 'Partitions this process holds per consumer group (after its last join)',
    labelNames: ['group'] as const,
    registers: [this.registry],
  });

  /** Messages waiting to leave an outbox (set at scrape time by the outbox's owner, see onScrape). */
  readonly outboxDepth = new Gauge({
    name: 'lapor_outbox_depth',
    help: 'Messages waiting in an outbox (pending or being sent)',
    labelNames: ['outbox'] as const,
    registers: [this.registry],
  });

  readonly outboxOldestAge = new Gauge({
    name: 'lapor_outbox_oldest_age_seconds',
    help: 'Age of the oldest message still waiting in an outbox (0 when empty)',
    labelNames: ['outbox'] as const,
    registers: [this.registry],
  });

  readonly notificationsSent = new Counter({
    name: 'lapor_notifications_sent_total',
    help: 'Send attempts per channel (vendor) and outcome: sent, retry (will be tried again), failed (given up)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly routingDecisions = new Counter({
    name: 'lapor_routing_decisions_total',
    help: 'Routing decisions by kind of body (province, kota, kabupaten, agency, triage) and confidence band',
    labelNames: ['kind', 'confidence_band'] as const,
    registers: [this.registry],
  });

  private readonly scrapeHooks: (() => Promise<void>)[] = [];

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Runs before each scrape, to refresh gauges that are read from elsewhere (e.g. an outbox table). */
  onScrape(hook: () => Promise<void>): void {
    this.scrapeHooks.push(hook);
  }

  /** The Prometheus text exposition; a failing hook leaves its gauges as they were. */
  async exposition(): Promise<string> {
    await Promise.allSettled(this.scrapeHooks.map((hook) => hook()));
    return this.registry.metrics();
  }
}

/** Confidence bands for routing decisions: few series, and the triage threshold's neighbourhood visible. */
export function confidenceBand(confidence: number): 'low' | 'medium' | 'high' {
  if (confidence < 0.5) return 'low';
  if (confidence < 0.8) return 'medium';
  return 'high';
}
