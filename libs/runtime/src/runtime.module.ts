import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { LoggerModule } from 'nestjs-pino';
import { createBus } from './bus.factory';
import type { AppConfig } from './config';
import { EventPublisher } from './event-publisher';
import { HealthController } from './health.controller';
import { loggerParams } from './logging';
import { LaporMetrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { APP_CONFIG, EVENT_BUS, METRICS } from './tokens';

/** What every app needs: its configuration, the bus, the event publisher, logs, metrics and health probes. */
@Global()
@Module({})
export class RuntimeModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  static forRoot(config: AppConfig, options: { clientId: string; bus?: EventBus }): DynamicModule {
    const metrics = new LaporMetrics(options.clientId);
    return {
      module: RuntimeModule,
      imports: [LoggerModule.forRoot(loggerParams(config, options.clientId))],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: METRICS, useValue: metrics },
        // Built while Nest starts, so its first log lines already go through the app's logger.
        { provide: EVENT_BUS, useFactory: () => options.bus ?? createBus(config, options.clientId) },
        EventPublisher,
      ],
      exports: [APP_CONFIG, EVENT_BUS, METRICS, EventPublisher],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.stop();
  }
}
