import { loadConfig, startService } from '@lapor/runtime';
import { createWebIntakeApp } from './web-intake.app';

async function main() {
  const config = loadConfig();
  await startService(await createWebIntakeApp(config), config.port('WEB_INTAKE_PORT', 3001), 'web-intake');
}

void main();
