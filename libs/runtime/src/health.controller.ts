import { Controller, Get, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { DataSource } from 'typeorm';
import type { ConsumerReadiness } from './bus-telemetry';
import { CONSUMER_READINESS, EVENT_BUS } from './tokens';

/**
 * Kubernetes probes. live: the process answers. ready: the bus takes a publish, every consumer
 * group of this app has joined (its partitions are assigned), and the database answers where the
 * app owns tables. (Three checks: @nestjs/terminus would add a dependency for no more than this.)
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Optional() private readonly dataSource?: DataSource,
    @Optional() @Inject(CONSUMER_READINESS) private readonly consumers?: ConsumerReadiness,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    const bus = await this.bus.isHealthy();
    let database: boolean | undefined;
    if (this.dataSource) database = await this.dataSource.query('SELECT 1').then(() => true, () => false);
    const waitingFor = this.consumers?.waitingFor() ?? [];
    const ok = bus && database !== false && waitingFor.length === 0;
    const failing = [!bus && 'bus', database === false && 'database', waitingFor.length && `consumer groups not joined (${waitingFor.join(', ')})`].filter(Boolean);
    const body = {
      status: ok ? 'ok' : 'unavailable',
      ...(ok ? {} : { message: `not ready: ${failing.join('; ')}` }),
      bus,
      ...(database === undefined ? {} : { database }),
      ...(waitingFor.length ? { consumerGroupsNotJoined: waitingFor } : {}),
    };
    if (!ok) throw new ServiceUnavailableException(body);
    return body;
  }
}
