import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployableApps } from '../support/deployables';
import { REPO_ROOT } from '../support/kafka-broker';

/** What a service started on its own is given in production (docker-compose.yml, k8s): valid, never contacted here (the start stops at the settings). */
const VALID: NodeJS.ProcessEnv = {
  KAFKA_BROKERS: '127.0.0.1:1',
  DATABASE_URL: 'postgres://lapor@127.0.0.1:1/lapor',
  TWILIO_AUTH_TOKEN: 'test-token',
};

/**
 * Each entry point (`npm start`'s and every service's main.ts) × a required variable left out
 * and a value that cannot be right: one line on stderr naming the variable and what is wrong,
 * exit code 1, nothing else (no stack trace, no log lines).
 */
const CASES: [app: string, change: NodeJS.ProcessEnv, line: RegExp][] = [
  ['embedded', { PORT: 'abc' }, /^LAPOR config: PORT must be a port number from 1 to 65535 \(got "abc"\)$/],
  ['embedded', { LOG_LEVEL: 'loud' }, /^LAPOR config: LOG_LEVEL must be one of error, warn, log, debug, verbose \(got "loud"\)$/],
  ['web-intake', { KAFKA_BROKERS: undefined }, /^LAPOR config: KAFKA_BROKERS is required for the web-intake service \(a service started on its own reaches the others only through Kafka; `npm start` runs them all in one process without it\)$/],
  ['web-intake', { WEB_INTAKE_PORT: '70000' }, /^LAPOR config: WEB_INTAKE_PORT must be a port number from 1 to 65535 \(got "70000"\)$/],
  ['sms-intake', { TWILIO_AUTH_TOKEN: undefined }, /^LAPOR config: TWILIO_AUTH_TOKEN is required for the sms-intake service \(the Twilio auth token that signs webhooks.*docs\/channels\/sms\.md\)$/],
  ['sms-intake', { SMS_RATE_LIMIT_MAX_MESSAGES: 'lots' }, /^LAPOR config: SMS_RATE_LIMIT_MAX_MESSAGES must be a number \(got "lots"\)$/],
  ['social-intake', { KAFKA_BROKERS: undefined }, /^LAPOR config: KAFKA_BROKERS is required for the social-intake service \(/],
  ['social-intake', { TELEGRAM_MODE: 'push' }, /^LAPOR config: TELEGRAM_MODE must be one of webhook, polling \(got "push"\)$/],
  ['router', { DATABASE_URL: undefined }, /^LAPOR config: DATABASE_URL is required for the router service \(it keeps its records in PostgreSQL; `npm start` uses PGlite instead\)$/],
  ['router', { KAFKA_BROKERS: 'kafka' }, /^LAPOR config: KAFKA_BROKERS must be host:port\[,host:port\.\.\.\] \(got "kafka"\)$/],
  ['notifier', { KAFKA_BROKERS: undefined }, /^LAPOR config: KAFKA_BROKERS is required for the notifier service \(/],
  ['notifier', { SMTP_URL: 'mail.example.com' }, /^LAPOR config: SMTP_URL must be a smtp:\/\/ or smtps:\/\/ URL \(got "mail\.example\.com"\)$/],
  ['desk', { DATABASE_URL: undefined }, /^LAPOR config: DATABASE_URL is required for the desk service \(/],
  // The password inside a URL is never repeated.
  ['desk', { DATABASE_URL: 'mysql://lapor:rahasia@db/lapor' }, /^LAPOR config: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL \(got "mysql:\/\/lapor:\*\*\*@db\/lapor"\)$/],
];

function start(app: string, change: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-config-')), ...(app === 'embedded' ? {} : VALID) };
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['-r', '@swc-node/register', join('apps', app, 'src', 'main.ts')], { cwd: REPO_ROOT, env, timeout: 60_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('a missing or invalid setting', () => {
  it('covers every entry point', () => {
    expect([...new Set(CASES.map(([app]) => app))].sort()).toEqual(['embedded', ...deployableApps()].sort());
  });

  it.each(CASES.map(([app, change, line]) => [`${app} with ${JSON.stringify(change, (_k, v) => (v === undefined ? '(unset)' : v))}`, app, change, line] as const))(
    '%s: one line naming it, exit code 1',
    async (_name, app, change, line) => {
      const { code, stdout, stderr } = await start(app, change);
      expect({ code, stdout, lines: stderr.trimEnd().split('\n') }).toEqual({ code: 1, stdout: '', lines: [expect.stringMatching(line)] });
    },
    60_000,
  );
});
