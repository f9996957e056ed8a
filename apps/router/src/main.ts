import { loadConfig, runService, startService } from '@lapor/runtime';
import { createRouterApp } from './router.app';

runService('router', async () => {
  const config = loadConfig(process.env, { service: 'router', requires: ['KAFKA_BROKERS', 'DATABASE_URL'] });
  await startService(await createRouterApp(config), config.port('ROUTER_PORT', 3002), 'router');
});
