import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { LaporMetrics, METRICS } from '@lapor/runtime';
import { NotificationOutboxRepository } from '../repositories/notification-outbox.repository';

/** lapor_outbox_depth / lapor_outbox_oldest_age_seconds{outbox="notifications"}, read from the table at each scrape. */
@Injectable()
export class OutboxMetricsService implements OnModuleInit {
  constructor(
    private readonly outbox: NotificationOutboxRepository,
    @Inject(METRICS) private readonly metrics: LaporMetrics,
  ) {}

  onModuleInit(): void {
    this.metrics.onScrape(async () => {
      const { depth, oldestAgeSeconds } = await this.outbox.backlog();
      this.metrics.outboxDepth.set({ outbox: 'notifications' }, depth);
      this.metrics.outboxOldestAge.set({ outbox: 'notifications' }, oldestAgeSeconds);
    });
  }
}
