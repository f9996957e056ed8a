import { loadConfig, startService } from '@lapor/runtime';
import { createSocialIntakeApp } from './social-intake.app';

async function main() {
  const config = loadConfig();
  await startService(await createSocialIntakeApp(config), config.port('SOCIAL_INTAKE_PORT', 3005), 'social-intake');
}

void main();
