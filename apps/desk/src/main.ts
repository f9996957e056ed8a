import { loadConfig, startService } from '@lapor/runtime';
import { CliLink } from './desk.module';
import { createDeskApp } from './desk.app';

async function main() {
  const config = loadConfig();
  const port = config.port('DESK_PORT', 3006);
  const app = await createDeskApp(config);
  await startService(app, port, 'desk');
  app.get(CliLink).publish(port);
}

void main();
