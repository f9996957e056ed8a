import { loadConfig, runService, startService } from '@lapor/runtime';
import { createDeskApp } from './desk.app';
import { CliLink } from './desk.module';

runService('desk', async () => {
  const config = loadConfig(process.env, { service: 'desk', requires: ['KAFKA_BROKERS', 'DATABASE_URL'] });
  const port = config.port('DESK_PORT', 3006);
  const app = await createDeskApp(config);
  await startService(app, port, 'desk');
  app.get(CliLink).publish(port);
});
