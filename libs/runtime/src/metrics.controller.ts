import { Controller, Get, Header, Inject } from '@nestjs/common';
import { LaporMetrics } from './metrics';
import { METRICS } from './tokens';

/** Prometheus scrapes this (k8s/base/monitoring/pod-monitors.yaml). Internal only: the ingress never routes it. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: LaporMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.exposition();
  }
}
