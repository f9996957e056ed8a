import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { createBus } from './bus.factory';
import type { AppConfig } from './config';
import { EventPublisher } from './event-publisher';
import { HealthController } from './health.controller';
import { APP_CONFIG, EVENT_BUS } from './tokens';

/** What every app needs: its configuration, the bus, the event publisher and health probes. */
@Global()
@Module({})
export class RuntimeModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_BUS) private readonly bus: EventBus) {}

  static forRoot(config: AppConfig, options: { clientId: string; bus?: EventBus }): DynamicModule {
    return {
      module: RuntimeModule,
      controllers: [HealthController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: EVENT_BUS, useValue: options.bus ?? createBus(config, options.clientId) },
        EventPublisher,
      ],
      exports: [APP_CONFIG, EVENT_BUS, EventPublisher],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.stop();
  }
}
