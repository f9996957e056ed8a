import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { composeObservers, EventBus } from '@lapor/bus';
import { LoggerModule } from 'nestjs-pino';
import { busLogObserver, createBus } from './bus.factory';
import { ConsumerReadiness, metricsBusObserver } from './bus-telemetry';
import type { AppConfig } from './config';
import { EventPublisher } from './event-publisher';
import { HealthController } from './health.controller';
import { loggerParams } from './logging';
import { LaporMetrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { APP_CONFIG, CONSUMER_READINESS, EVENT_BUS, METRICS } from './tokens';

/** What every app needs: its configuration, the bus, the event publisher, logs, metrics and health probes. */
@Global()
@Module({})
export class RuntimeModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  static forRoot(config: AppConfig, options: { clientId: string; bus?: EventBus }): DynamicModule {
    const metrics = new LaporMetrics(options.clientId);
    const readiness = new ConsumerReadiness(config.env.BUS_NAMESPACE);
    const observer = composeObservers(busLogObserver(), metricsBusObserver(metrics), readiness.observer);
    return {
      module: RuntimeModule,
      imports: [LoggerModule.forRoot(loggerParams(config, options.clientId))],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: METRICS, useValue: metrics },
        // A bus passed in (tests) reports nothing here: consumers are then ready once started.
        { provide: CONSUMER_READINESS, useValue: options.bus ? undefined : readiness },
        // Built while Nest starts, so its first log lines already go through the app's logger.
        { provide: EVENT_BUS, useFactory: () => options.bus ?? createBus(config, options.clientId, observer) },
        EventPublisher,
      ],
      exports: [APP_CONFIG, EVENT_BUS, METRICS, CONSUMER_READINESS, EventPublisher],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.stop();
  }
}
