import { loadConfig, runService, startService } from '@lapor/runtime';
import { createSmsIntakeApp } from './sms-intake.app';

runService('sms-intake', async () => {
  const config = loadConfig(process.env, { service: 'sms-intake', requires: ['KAFKA_BROKERS', 'TWILIO_AUTH_TOKEN'] });
  await startService(await createSmsIntakeApp(config), config.port('SMS_INTAKE_PORT', 3004), 'sms-intake');
});
