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
describe('npm start (embedded mode)', () => {
  let child: ChildProcess;
  let output = '';

  beforeAll(async () => {
    const port = await findFreeBasePort(1, 38000);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-start-')), NODE_OPTIONS: '' };
    for (const k of ['KAFKA_BROKERS', 'DATABASE_URL', 'SMTP_URL', 'ROUTER_URL']) delete env[k];
    child = spawn('npm', ['start', '--silent'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    await waitFor(() => output.includes('Then look it up'), { what: `npm start to print its example; output so far:\n${output}`, timeoutMs: 120_000, intervalMs: 200 });
  }, 150_000);

  afterAll(() => {
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
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
