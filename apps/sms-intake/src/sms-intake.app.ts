import { Module } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { AppConfig, ConfigError, createService, missingSettings, RuntimeModule } from '@lapor/runtime';
import { SmsIntakeModule } from './sms-intake.module';

/**
 * sms-intake as its own service: stateless, a bus producer only. It refuses to start
 * without TWILIO_AUTH_TOKEN, since it could not verify a single webhook. (Embedded mode
 * starts without it and answers the SMS routes 503 with the reason.)
 */
export async function createSmsIntakeApp(config: AppConfig, overrides: { bus?: EventBus } = {}) {
  const missing = missingSettings(config.env, { service: 'sms-intake', requires: ['TWILIO_AUTH_TOKEN'] });
  if (missing.length) throw new ConfigError(missing);
  @Module({ imports: [RuntimeModule.forRoot(config, { clientId: 'sms-intake', bus: overrides.bus }), SmsIntakeModule.forRoot(config)] })
  class SmsIntakeAppModule {}
  return createService(SmsIntakeAppModule, { consumesEvents: false, http: 'fastify' });
}
