import { loadConfig, runService, startService } from '@lapor/runtime';
import { CliLink, FirstAdmin } from '../../desk/src/desk.module';
import { banner, channelLines } from './banner';
import { createEmbeddedApp } from './embedded.app';

/** `npm start`: every app's routes on one port, no servers or credentials needed. */
runService('lapor-gateway', async () => {
  // A calm first start: warnings and errors only (Nest's ~40 route-mapping lines are `log`); LOG_LEVEL overrides.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  // Readable log lines for a person at a terminal (LOG_FORMAT=json for machines).
  config.env.LOG_FORMAT ??= 'pretty';
  const port = config.port('PORT', 3000);
  // web-intake reads complaints from the router's internal API: here, this very process.
  config.env.ROUTER_URL ??= `http://127.0.0.1:${port}`;
  config.env.DESK_PUBLIC_URL ??= config.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`;
  const app = await createEmbeddedApp(config);
  const url = await startService(app, port, 'lapor-gateway');
  app.get(CliLink).publish(port);
  const firstAdmin = await app.get(FirstAdmin).ensure();
  console.log(
    banner({
      url,
      channels: channelLines(app, config, url),
      bus: config.bus.kind === 'kafka' ? `Kafka ${config.bus.brokers.join(',')}` : `in-process bus (journal ${config.bus.journalDir})`,
      database: config.database.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.database.pgliteDir})`,
      mail: config.env.SMTP_URL ? 'SMTP (SMTP_URL)' : `outbox folder ${config.outboxDir}`,
      logLevel: config.env.LOG_LEVEL,
      firstAdmin,
    }),
  );
});
