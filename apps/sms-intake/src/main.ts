import { loadConfig, startService } from '@lapor/runtime';
import { createSmsIntakeApp } from './sms-intake.app';

async function main() {
  const config = loadConfig();
  await startService(await createSmsIntakeApp(config), config.port('SMS_INTAKE_PORT', 3004), 'sms-intake');
}

main().catch((error: Error) => {
  console.error(`sms-intake: ${error.message}`);
  process.exit(1);
});
