import { Module } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { AppConfig, createService, RuntimeModule } from '@lapor/runtime';
import { SocialIntakeModule } from './social-intake.module';

/** social-intake as its own service: stateless, a bus producer only. */
export async function createSocialIntakeApp(config: AppConfig, overrides: { bus?: EventBus } = {}) {
  @Module({ imports: [RuntimeModule.forRoot(config, { clientId: 'social-intake', bus: overrides.bus }), SocialIntakeModule.forRoot(config)] })
  class SocialIntakeAppModule {}
  return createService(SocialIntakeAppModule, { consumesEvents: false, http: 'fastify' });
}
