import { loadConfig, runService, startService } from '@lapor/runtime';
import { createSmsIntakeApp } from './sms-intake.app';

runService('sms-intake', async () => {
  const config = loadConfig();
  await startService(await createSmsIntakeApp(config), config.port('SMS_INTAKE_PORT', 3004), 'sms-intake');
});
