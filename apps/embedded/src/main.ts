import { loadConfig, runService, startService } from '@lapor/runtime';
import { CliLink, FirstAdmin } from '../../desk/src/desk.module';
import { createEmbeddedApp } from './embedded.app';

/** `npm start`: every app's routes on one port, no servers or credentials needed. */
runService('lapor-gateway', async () => {
  const config = loadConfig();
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
  const bus = config.bus.kind === 'kafka' ? `Kafka ${config.bus.brokers.join(',')}` : `in-process (journal ${config.bus.journalDir})`;
  const db = config.database.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.database.pgliteDir})`;
  const mail = config.env.SMTP_URL ? 'SMTP (SMTP_URL)' : `outbox folder ${config.outboxDir}`;
  console.log(
    [
      '',
      `lapor-gateway is running: ${url}`,
      `  bus: ${bus} · database: ${db} · e-mail: ${mail}`,
      `  web form: ${url}/ · status page: ${url}/lapor/cek · API: ${url}/api/v1/openapi.json`,
      '',
      'File a complaint:',
      `  curl -s -X POST ${url}/api/v1/complaints -H 'Content-Type: application/json' -d '{"text":"Jalan rusak parah di depan SDN 1, mohon diperbaiki","regionCode":"32.73","reporter":{"email":"warga@example.com"}}'`,
      'Then look it up (use the trackingId it printed):',
      `  curl -s ${url}/api/v1/complaints/<trackingId>`,
      '',
      `Agency desk (officials' console): ${url}/desk · officer API: ${url}/desk/v1/openapi.json`,
      ...(firstAdmin
        ? [
            `  First start: log in as national admin ${firstAdmin.email} with the one-time password ${firstAdmin.oneTimePassword}`,
            '  (you choose your own password at first login; add officials with: npm run desk -- officer add --help)',
          ]
        : []),
      '',
    ].join('\n'),
  );
});
