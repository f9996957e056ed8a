import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreeBasePort, REPO_ROOT } from '../support/kafka-broker';
import { waitFor } from '../support/wait-for';

const exec = promisify(execFile);

/**
 * `npm start` as a newcomer meets it: one process, no servers, no credentials. The curl
 * example it prints must file a complaint, and a GET must then show it assigned.
 */
/** `npm start` with `env` on top of the test's environment (no Kafka, PostgreSQL or SMTP: the embedded defaults); resolves once the banner is printed. */
async function npmStart(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string; port: number }> {
  const port = await findFreeBasePort(1, 38000);
  const full: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['KAFKA_BROKERS', 'DATABASE_URL', 'SMTP_URL', 'ROUTER_URL', 'LOG_LEVEL', 'PUBLIC_BASE_URL']) delete full[k];
  Object.assign(full, { PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-start-')), NODE_OPTIONS: '' }, env);
  let output = '';
  const child = spawn('npm', ['start', '--silent'], { cwd: REPO_ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitFor(() => output.includes('Then look it up'), { what: `npm start to print its example; output so far:\n${output}`, timeoutMs: 120_000, intervalMs: 200 });
  return { child, output: () => output, port };
}

describe('npm start (embedded mode)', () => {
  let child: ChildProcess;
  let output = '';
  let port: number;

  beforeAll(async () => {
    // Two channels on (any secrets: nothing is called), Telegram and X off.
    const started = await npmStart({ TWILIO_AUTH_TOKEN: 'test-token', WHATSAPP_APP_SECRET: 'test-secret', WHATSAPP_VERIFY_TOKEN: 'test-verify' });
    child = started.child;
    port = started.port;
    output = started.output();
  }, 150_000);

  afterAll(() => {
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
  });

  it('should print a short banner with every URL a newcomer needs, and no route logging', async () => {
    const url = `http://localhost:${port}`;
    const lines = output.split('\n').map((l) => l.trimEnd());
    for (const expected of [
      `lapor-gateway is running: ${url}`,
      `  web form:        ${url}/`,
      `  status page:     ${url}/lapor/cek`,
      `  API docs:        ${url}/api/v1/openapi.json`,
      `  officer console: ${url}/desk   (officer API: ${url}/desk/v1/openapi.json)`,
      '  channel webhooks (give these to each vendor):',
      `    SMS 1708      ${url}/webhooks/twilio/sms , ${url}/webhooks/twilio/status`,
      `    WhatsApp      ${url}/webhooks/whatsapp`,
      '  channels off:    Telegram, X (Twitter) (no credentials set; see docs/channels/)',
      '  logs:            warnings and errors only (LOG_LEVEL=log for more)',
    ]) expect(lines).toContain(expected);
    expect(output).not.toMatch(/Mapped \{|RoutesResolver|RouterExplorer|InstanceLoader|NestFactory|Nest application successfully started/);
    expect(lines.filter((l) => l.trim()).length).toBeLessThanOrEqual(22);
    // Every URL it names answers (the console sends a browser to its login page).
    for (const path of ['/', '/lapor/cek', '/api/v1/openapi.json', '/desk/v1/openapi.json']) expect([path, (await fetch(`${url}${path}`)).status]).toEqual([path, 200]);
    expect([200, 302, 303]).toContain((await fetch(`${url}/desk`, { redirect: 'manual' })).status);
  });

  it('should print a curl example that files a complaint which a GET then shows assigned', async () => {
    const post = output.split('\n').find((l) => l.trim().startsWith('curl -s -X POST'));
    expect(post).toBeDefined();
    const { stdout } = await exec('sh', ['-c', post!.trim()]);
    const { trackingId, status } = JSON.parse(stdout);
    expect(status).toBe('received');

    const get = output.split('\n').find((l) => l.trim().startsWith('curl -s http'))!.trim().replace('<trackingId>', trackingId);
    const view = await waitFor(
      async () => {
        const res = JSON.parse((await exec('sh', ['-c', get])).stdout);
        return res.status === 'assigned' ? res : undefined;
      },
      { what: 'the complaint to be assigned', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(view.assignment).toMatchObject({ kind: 'kota', code: '32.73', name: 'Kota Bandung' });
  });
});

describe('npm start with LOG_LEVEL=log', () => {
  it('should still log everything when asked (the route mapping included)', async () => {
    const { child, output } = await npmStart({ LOG_LEVEL: 'log' });
    try {
      expect(output()).toMatch(/Mapped \{\/api\/v1\/complaints, POST\} route/);
      expect(output()).toContain('LOG_LEVEL=log');
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  }, 150_000);
});
