import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { dataSourceOptions, isUniqueViolation, violatedConstraint } from './data-source';

class CreateThings1700000000000 implements MigrationInterface {
  name = 'CreateThings1700000000000';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE things (id text PRIMARY KEY, n int NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE things');
  }
}

describe('PGlite data source (embedded mode)', () => {
  let dir: string;
  let ds: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lapor-pglite-'));
    ds = new DataSource(dataSourceOptions({ pgliteDir: dir, entities: [], migrations: [CreateThings1700000000000], migrationsTableName: 'test_migrations' }));
    await ds.initialize();
    // PGlite compiles its WebAssembly on first use: seconds on a quiet machine, over a minute when the
    // 2 cores are shared with Kafka and other suites; a timeout here also leaks the pending
    // PGlite.create into the next file of this worker.
  }, 180_000);

  afterAll(async () => {
    await ds?.destroy();
  });

  it('should run the migrations (never synchronize)', async () => {
    const rows = await ds.query('SELECT name FROM test_migrations');
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['CreateThings1700000000000']);
  });

  it('should keep concurrent transactions apart on its single session', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const rolledBack = ds
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO things VALUES ('a', 1)`);
        await held;
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    const committed = ds.transaction(async (tx) => {
      await tx.query(`INSERT INTO things VALUES ('b', 2)`);
    });
    setTimeout(release, 50);
    expect(await rolledBack).toBe('rolled back');
    await committed;
    expect(await ds.query('SELECT id FROM things ORDER BY id')).toEqual([{ id: 'b' }]);
  });

  it('should report unique violations like PostgreSQL does, with the constraint name', async () => {
    const error = await ds.query(`INSERT INTO things VALUES ('b', 3)`).catch((e) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(violatedConstraint(error)).toBe('things_pkey');
    expect(isUniqueViolation(error, 'things_pkey')).toBe(true);
    expect(isUniqueViolation(error, 'uq_something_else')).toBe(false);
  });

  it('should keep the data on disk across restarts', async () => {
    await ds.destroy();
    ds = new DataSource(dataSourceOptions({ pgliteDir: dir, entities: [], migrations: [CreateThings1700000000000], migrationsTableName: 'test_migrations' }));
    await ds.initialize();
    expect(await ds.query('SELECT id, n FROM things')).toEqual([{ id: 'b', n: 2 }]);
  });
});
