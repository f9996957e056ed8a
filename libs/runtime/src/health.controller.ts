import { Controller, Get, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { DataSource } from 'typeorm';
import { EVENT_BUS } from './tokens';

/** Kubernetes probes: live = the process answers; ready = the bus (and database, if any) answer. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Optional() private readonly dataSource?: DataSource,
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
    const ok = bus && database !== false;
    const body = { status: ok ? 'ok' : 'unavailable', bus, ...(database === undefined ? {} : { database }) };
    if (!ok) throw new ServiceUnavailableException(body);
    return body;
  }
}
