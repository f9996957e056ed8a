import { loadConfig, runService, startService } from '@lapor/runtime';
import { createSocialIntakeApp } from './social-intake.app';

runService('social-intake', async () => {
  const config = loadConfig(process.env, { service: 'social-intake', requires: ['KAFKA_BROKERS'] });
  await startService(await createSocialIntakeApp(config), config.port('SOCIAL_INTAKE_PORT', 3005), 'social-intake');
});
