import { loadConfig, runService, startService } from '@lapor/runtime';
import { createWebIntakeApp } from './web-intake.app';

runService('web-intake', async () => {
  const config = loadConfig(process.env, { service: 'web-intake', requires: ['KAFKA_BROKERS'] });
  await startService(await createWebIntakeApp(config), config.port('WEB_INTAKE_PORT', 3001), 'web-intake');
});
