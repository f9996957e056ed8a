import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';

/**
 * A `pg`-compatible pool over one PGlite instance (real PostgreSQL compiled to WASM) for
 * the zero-setup embedded mode. PGlite has exactly one session, so the pool hands it to
 * one caller at a time: a TypeORM transaction holds it from BEGIN to COMMIT and nobody
 * else's statements can land inside it. (typeorm-pglite shares the session between
 * concurrent callers, which interleaves transactions; hence this small adapter.)
 */
type Callback = (err: Error | null, client?: PGliteClient, release?: () => void) => void;

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

/** TypeORM listens for `error`/`notice` on a client, as on a pg.Client. */
class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(text: string | { text: string; values?: unknown[] }, params?: unknown[] | Function, cb?: Function): Promise<PgResult> {
    const sql = typeof text === 'string' ? text : text.text;
    const values = typeof params === 'function' ? undefined : (params ?? (typeof text === 'string' ? undefined : text.values));
    const callback = typeof params === 'function' ? params : cb;
    try {
      const res = values && values.length
        ? await this.db.query(sql, values as unknown[])
        : ((await this.db.exec(sql)).at(-1) ?? { rows: [], fields: [], affectedRows: 0 });
      const out: PgResult = {
        rows: res.rows,
        rowCount: res.affectedRows ?? res.rows.length,
        command: sql.trimStart().split(/\s+/, 1)[0].toUpperCase(),
        fields: res.fields,
      };
      callback?.(null, out);
      return out;
    } catch (error) {
      callback?.(error);
      throw error;
    }
  }
}

const boolSerializer = (val: unknown) => (val === true || val === 'true' || val === 1 ? 'TRUE' : val === false || val === 'false' || val === 0 ? 'FALSE' : String(val));

/**
 * Memory for an embedded database of one deployment's complaints, far below PostgreSQL's
 * server defaults (shared_buffers 128 MB and friends): PGlite's WASM memory only grows, so
 * whatever the buffers touch stays resident for the life of `npm start`.
 */
export const PGLITE_SETTINGS = ['shared_buffers = 16MB', 'temp_buffers = 4MB', 'work_mem = 4MB', 'maintenance_work_mem = 16MB', 'wal_buffers = 1MB'];

/**
 * A new data folder is initialised (initdb) in a short-lived child process: initdb's WASM
 * instance takes some 450 MB that the process running it never gets back, which would stay
 * in `npm start`'s RSS for its whole life.
 */
async function initialiseOutOfProcess(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  const script = `const { PGlite } = require(process.argv[1]);
PGlite.create({ dataDir: process.argv[2], postgresqlconf: JSON.parse(process.argv[3]) })
  .then((db) => db.close())
  .then(() => process.exit(0), (error) => { console.error(error); process.exit(1); });`;
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ['-e', script, require.resolve('@electric-sql/pglite'), dataDir, JSON.stringify(PGLITE_SETTINGS)], { env: { ...process.env, NODE_OPTIONS: '' } }, (error, _stdout, stderr) =>
      error ? reject(new Error(`PGlite could not initialise ${dataDir}: ${stderr.trim() || error.message}`)) : resolve(),
    ),
  );
}

export function pglitePoolFor(dataDir: string) {
  let instance: Promise<PGlite> | undefined;
  const open = () =>
    (instance ??= initialiseOutOfProcess(dataDir).then(() => PGlite.create({ dataDir, postgresqlconf: PGLITE_SETTINGS, serializers: { [types.BOOL]: boolSerializer } })));

  class SerializedPGlitePool extends EventEmitter {
    private tail: Promise<void> = Promise.resolve();

    connect(callback?: Callback): Promise<PGliteClient> | void {
      const previous = this.tail;
      let unlock!: () => void;
      this.tail = new Promise<void>((r) => (unlock = r));
      const acquired = previous.then(open).then(
        (db) => {
          let released = false;
          const release = () => {
            if (!released) (released = true), unlock();
          };
          const client = Object.assign(new PGliteClient(db), { release });
          return { client, release };
        },
        (error) => {
          unlock();
          throw error;
        },
      );
      if (!callback) return acquired.then((a) => a.client);
      acquired.then(({ client, release }) => callback(null, client, release), (error) => callback(error));
    }

    async query(text: string, params?: unknown[]): Promise<PgResult> {
      const client = (await this.connect()) as PGliteClient & { release(): void };
      try {
        return await client.query(text, params);
      } finally {
        client.release();
      }
    }

    end(callback?: (err?: Error) => void): Promise<void> {
      const closing = this.tail.then(async () => {
        if (instance) await (await instance).close();
        instance = undefined;
      });
      closing.then(() => callback?.(), (e) => callback?.(e));
      return closing;
    }
  }
  // TypeORM's postgres driver accepts a `driver` module exposing `Pool`.
  return { Pool: SerializedPGlitePool };
}
