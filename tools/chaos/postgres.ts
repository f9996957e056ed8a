import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

/** Where Debian puts the server binaries; the newest installed major version is used. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (!versions.length) throw new Error(`no PostgreSQL server binaries under ${root} (apt-get install postgresql)`);
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * A throwaway PostgreSQL cluster of our own (initdb into a temp dir, its own port), so the
 * harness can crash and restart a database without touching the machine's shared server.
 * PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` user.
 */
export class OwnPostgres {
  private readonly bin = binDir();
  private readonly data: string;
  private readonly asPostgres = process.getuid?.() === 0;

  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    this.data = join(dir, 'data');
  }

  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    if (this.asPostgres) {
      chownSync(this.dir, uid('postgres'), gid('postgres'));
      // The postgres user must be able to reach its directory (mkdtemp makes parents 0700).
      const parent = dirname(this.dir);
      chmodSync(parent, statSync(parent).mode | 0o711);
    }
    await this.run('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
    // Enough connections for 4 services × their pools and the harness; durability as in production
    // (fsync on), so a crash restart tests real recovery.
    writeFileSync(
      join(this.data, 'postgresql.auto.conf'),
      [`port = ${this.port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${this.dir}'`, 'max_connections = 200', 'shared_buffers = 128MB', 'fsync = on', 'synchronous_commit = on', ''].join('\n'),
    );
    if (this.asPostgres) chownSync(join(this.data, 'postgresql.auto.conf'), uid('postgres'), gid('postgres'));
    await this.start();
  }

  async start(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-l', join(this.dir, 'server.log'), '-w', '-t', '60', 'start']);
    await this.waitReady();
  }

  /** `immediate` is a crash (no checkpoint; WAL recovery on start), `fast` a clean restart; both cut every connection. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database), connectionTimeoutMillis: 5_000 });
    // A crash of the server (one of the faults) also emits 'error' on a client mid-query; the
    // query's own rejection is what callers handle, so the event must not kill the harness.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await this.query('SELECT 1');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`own PostgreSQL on ${this.port} not ready: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private run(tool: string, args: string[]): Promise<string> {
    const [cmd, argv] = this.asPostgres ? ['runuser', ['-u', 'postgres', '--', join(this.bin, tool), ...args]] : [join(this.bin, tool), args];
    return new Promise((resolve, reject) =>
      execFile(cmd, argv, { timeout: 120_000, cwd: this.dir }, (err, stdout, stderr) =>
        err ? reject(new Error(`${tool} ${args.join(' ')}: ${err.message}\n${stderr}`.trimEnd())) : resolve(stdout),
      ),
    );
  }
}

function uid(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
function gid(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
