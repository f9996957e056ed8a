import { randomBytes } from 'node:crypto';
import { Client, Pool, PoolConfig } from 'pg';

/**
 * A fresh PostgreSQL database on the server at DATABASE_URL (the machine's real
 * PostgreSQL), for one test file; drop() removes it.
 */
export interface TestDatabase {
  url: string;
  /**
   * A pool on this database for a test's own queries. It listens for 'error': drop() ends the
   * database WITH (FORCE), and a client that pool.end() is still closing then receives FATAL 57P01
   * ("terminating connection due to administrator command"); pg-pool re-emits that on the pool,
   * and without a listener Node turns it into an uncaught error that fails the whole test file.
   */
  pool(options?: Omit<PoolConfig, 'connectionString'>): Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'lapor_test'): Promise<TestDatabase> {
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    pool(options = {}) {
      const pool = new Pool({ ...options, connectionString: url.toString() });
      pool.on('error', () => undefined);
      return pool;
    },
    async drop() {
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
