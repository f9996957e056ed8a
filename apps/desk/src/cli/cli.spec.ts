import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dataSourceOptions } from '@lapor/persistence';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DeskHarness } from '../../../../test/support/desk';
import { findFreeBasePort, REPO_ROOT } from '../../../../test/support/kafka-broker';
import { waitFor } from '../../../../test/support/wait-for';
import { DESK_MIGRATIONS } from '../migrations';

const exec = promisify(execFile);

/** `npm run desk -- …` as an operator runs it, with only the store's variables set. */
async function desk(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
  for (const k of ['DATABASE_URL', 'DATA_DIR', 'KAFKA_BROKERS']) delete base[k];
  try {
    const { stdout, stderr } = await exec('npm', ['run', '--silent', 'desk', '--', ...args], { cwd: REPO_ROOT, env: { ...base, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const passwordIn = (stdout: string) => /one-time password[^:]*: (\S+)/.exec(stdout)?.[1];
const tokenIn = (stdout: string) => /token \(shown once\): (\S+)/.exec(stdout)?.[1];

describe('desk CLI', () => {
  describe('on PostgreSQL (DATABASE_URL)', () => {
    const harness = new DeskHarness();
    beforeAll(() => harness.start({}, { fakeRouter: true }), 60_000);
    afterAll(() => harness.stop());

    it('should add an official whose one-time password logs in and must be changed', async () => {
      const env = { DATABASE_URL: harness.databaseUrl! };
      const added = await desk(['officer', 'add', '--body', '32.73', '--role', 'liaison', '--email', 'Penghubung@Bandung.go.id'], env);
      expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining('created liaison penghubung@bandung.go.id for Kota Bandung (32.73)') });
      const password = passwordIn(added.stdout)!;
      const login = await harness.http().post('/desk/masuk').type('form').send({ email: 'penghubung@bandung.go.id', password });
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe('/desk/kata-sandi');
      expect((await desk(['officer', 'list', '--body', '32.73'], env)).stdout).toContain('penghubung@bandung.go.id\tliaison\t32.73\t-\tactive');
      const twice = await desk(['officer', 'add', '--body', '32.73', '--role', 'liaison', '--email', 'penghubung@bandung.go.id'], env);
      expect(twice).toMatchObject({ code: 1, stderr: expect.stringContaining('Sudah ada akun') });
      const unknown = await desk(['officer', 'add', '--body', '99.99', '--role', 'liaison', '--email', 'x@contoh.go.id'], env);
      expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('tidak dikenal') });
      const noUnit = await desk(['officer', 'add', '--body', '32.73', '--role', 'officer', '--email', 'y@contoh.go.id'], env);
      expect(noUnit).toMatchObject({ code: 1, stderr: expect.stringContaining('--unit') });
    }, 90_000);

    it('should print a token once, list it without the secret, and revoke it', async () => {
      const env = { DATABASE_URL: harness.databaseUrl! };
      const created = await desk(['token', 'create', '--body', '32.73', '--name', 'sistem kota'], env);
      expect(created.code).toBe(0);
      const token = tokenIn(created.stdout)!;
      expect(token).toMatch(/^lpd_[A-Za-z0-9_-]{43}$/);
      expect((await harness.http().get('/desk/v1/complaints').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      const listed = await desk(['token', 'list', '--body', '32.73'], env);
      expect(listed.stdout).toContain('sistem kota');
      expect(listed.stdout).not.toContain(token);
      const id = listed.stdout.split('\n').find((l) => l.includes('sistem kota'))!.split('\t')[0];
      expect((await desk(['token', 'revoke', '--id', id], env)).stdout).toContain('revoked token');
      expect((await harness.http().get('/desk/v1/complaints').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    }, 90_000);
  });

  describe('on the embedded store (DATA_DIR) when nothing is running', () => {
    it('should open PGlite itself', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'lapor-desk-cli-'));
      // The store as a desk that once ran left it: its migrations applied.
      const store = new DataSource({ ...dataSourceOptions({ pgliteDir: join(dataDir, 'pglite'), entities: [], migrations: DESK_MIGRATIONS, migrationsTableName: 'desk_migrations' }), logging: false });
      await store.initialize();
      await store.destroy();
      const added = await desk(['officer', 'add', '--role', 'national-admin', '--email', 'admin@kemenpan.go.id'], { DATA_DIR: dataDir });
      expect(added.code).toBe(0);
      expect(passwordIn(added.stdout)).toBeDefined();
      expect((await desk(['officer', 'list'], { DATA_DIR: dataDir })).stdout).toContain('admin@kemenpan.go.id\tnational-admin');
    }, 300_000);
  });

  describe('on the embedded store while npm start holds it', () => {
    let child: ChildProcess;
    let output = '';
    let url = '';
    const dataDir = mkdtempSync(join(tmpdir(), 'lapor-desk-start-'));

    beforeAll(async () => {
      const port = await findFreeBasePort(1, 38100);
      url = `http://127.0.0.1:${port}`;
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_OPTIONS: '' };
      for (const k of ['KAFKA_BROKERS', 'DATABASE_URL', 'SMTP_URL', 'ROUTER_URL']) delete env[k];
      child = spawn('npm', ['start', '--silent'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      await waitFor(() => output.includes('officer add --help'), { what: `npm start; output so far:\n${output}`, timeoutMs: 120_000, intervalMs: 200 });
    }, 150_000);

    afterAll(() => {
      if (child?.pid) process.kill(-child.pid, 'SIGTERM');
    });

    it("should print the national admin's one-time password on first start, and it should log in", async () => {
      const line = output.split('\n').find((l) => l.includes('log in as national admin'))!;
      const [, email, password] = /national admin (\S+) with the one-time password (\S+)/.exec(line)!;
      const login = await request(url).post('/desk/masuk').type('form').send({ email, password });
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe('/desk/kata-sandi');
    });

    it('should send its command to the running process, which stores it', async () => {
      const added = await desk(['officer', 'add', '--body', 'polri', '--role', 'liaison', '--email', 'penghubung@polri.go.id'], { DATA_DIR: dataDir });
      expect(added.stderr).toBe('');
      const password = passwordIn(added.stdout)!;
      const login = await request(url).post('/desk/masuk').type('form').send({ email: 'penghubung@polri.go.id', password });
      expect(login.status).toBe(303);
      const token = tokenIn((await desk(['token', 'create', '--body', '32.73'], { DATA_DIR: dataDir })).stdout)!;
      expect((await request(url).get('/desk/v1/complaints').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    }, 60_000);

    it('should refuse the command endpoint without the secret', async () => {
      expect((await request(url).post('/internal/desk/v1/commands').send({ command: 'officer list' })).status).toBe(404);
    });
  });
});
