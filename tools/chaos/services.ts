import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/support/kafka-broker';

export type AppName = 'web-intake' | 'sms-intake' | 'social-intake' | 'router' | 'notifier';

/** The port variable each service reads when started alone (libs/runtime config). */
const PORT_VAR: Record<AppName, string> = {
  'web-intake': 'WEB_INTAKE_PORT',
  'sms-intake': 'SMS_INTAKE_PORT',
  'social-intake': 'SOCIAL_INTAKE_PORT',
  router: 'ROUTER_PORT',
  notifier: 'NOTIFIER_PORT',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * One replica of one app as its own OS process, as deployed: `node dist/apps/<app>/main.js`
 * when `useDist` (npm run build) or the TypeScript source through @swc-node/register.
 * Output goes to <logDir>/<name>.log, each start appended with a marker line.
 */
/** Every replica started by this process, so none outlives the harness however it ends. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  /** When the current process was spawned (Date.now()). */
  startedAt = 0;
  /** Exits nobody asked for (neither kill9 nor stop). */
  readonly unexpectedExits: { at: number; code: number | null; signal: string | null }[] = [];
  private expectingExit = false;

  constructor(
    readonly name: string,
    readonly app: AppName,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    private readonly useDist: boolean,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(readyTimeoutMs = 180_000): Promise<void> {
    this.log ??= createWriteStream(join(this.logDir, `${this.name}.log`), { flags: 'a' });
    this.log.write(`==== chaos: starting ${this.name} at ${new Date().toISOString()} ====\n`);
    const dist = join(REPO_ROOT, 'dist', 'apps', this.app, 'main.js');
    const args = this.useDist && existsSync(dist) ? [dist] : ['-r', '@swc-node/register', join('apps', this.app, 'src', 'main.ts')];
    this.expectingExit = false;
    this.startedAt = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, [PORT_VAR[this.app]]: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      running.delete(child);
      this.log?.write(`==== chaos: ${this.name} exited (code ${code}, signal ${signal}) at ${new Date().toISOString()} ====\n`);
      if (!this.expectingExit) this.unexpectedExits.push({ at: Date.now(), code, signal });
    });
    await this.waitReady(readyTimeoutMs);
  }

  /** Until GET /health/ready answers 200 (bus and, for router/notifier, the database). */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited during start-up (see ${join(this.logDir, `${this.name}.log`)})`);
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** kill -9: no shutdown hooks, no leaving the consumer group, leases and transactions left as they are. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.expectingExit = true;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM (graceful: Nest shutdown hooks), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (child && this.running) {
      this.expectingExit = true;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((r) => (this.log ? this.log.end(r) : r()));
    this.log = undefined;
  }
}
