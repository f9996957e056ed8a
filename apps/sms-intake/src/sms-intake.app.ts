import { Module } from '@nestjs/common';
import type { EventBus } from '@lapor/bus';
import { AppConfig, createService, RuntimeModule } from '@lapor/runtime';
import { SmsIntakeModule } from './sms-intake.module';

/**
 * sms-intake as its own service: stateless, a bus producer only. It refuses to start
 * without TWILIO_AUTH_TOKEN, since it could not verify a single webhook. (Embedded mode
 * starts without it and answers the SMS routes 503 with the reason.)
 */
export async function createSmsIntakeApp(config: AppConfig, overrides: { bus?: EventBus } = {}) {
  if (!config.env.TWILIO_AUTH_TOKEN) {
    throw new Error('sms-intake needs TWILIO_AUTH_TOKEN (the Twilio auth token that signs webhooks); see docs/channels/sms.md');
  }
  @Module({ imports: [RuntimeModule.forRoot(config, { clientId: 'sms-intake', bus: overrides.bus }), SmsIntakeModule.forRoot(config)] })
  class SmsIntakeAppModule {}
  return createService(SmsIntakeAppModule, { consumesEvents: false, http: 'fastify' });
}
