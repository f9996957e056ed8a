import { loadConfig, startService } from '@lapor/runtime';
import { createRouterApp } from './router.app';

async function main() {
  const config = loadConfig();
  await startService(await createRouterApp(config), config.port('ROUTER_PORT', 3002), 'router');
}

void main();
