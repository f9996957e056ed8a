import { Module } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { AppConfig, createService, RuntimeModule } from '@lapor/runtime';
import { useCitizenErrorFilter } from './http/citizen-error.filter';
import { WebIntakeModule } from './web-intake.module';

/** web-intake as its own service: stateless, a bus producer only. */
export async function createWebIntakeApp(config: AppConfig, overrides: { bus?: EventBus } = {}) {
  @Module({ imports: [RuntimeModule.forRoot(config, { clientId: 'web-intake', bus: overrides.bus }), WebIntakeModule] })
  class WebIntakeAppModule {}
  return useCitizenErrorFilter(await createService(WebIntakeAppModule, { consumesEvents: false, http: 'fastify' }));
}
