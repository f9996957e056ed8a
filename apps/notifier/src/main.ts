import { loadConfig, startService } from '@lapor/runtime';
import { createNotifierApp } from './notifier.app';

async function main() {
  const config = loadConfig();
  await startService(await createNotifierApp(config), config.port('NOTIFIER_PORT', 3003), 'notifier');
}

void main();
