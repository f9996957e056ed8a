import { loadConfig, runService, startService } from '@lapor/runtime';
import { createNotifierApp } from './notifier.app';

runService('notifier', async () => {
  const config = loadConfig(process.env, { service: 'notifier', requires: ['KAFKA_BROKERS', 'DATABASE_URL'] });
  await startService(await createNotifierApp(config), config.port('NOTIFIER_PORT', 3003), 'notifier');
});
