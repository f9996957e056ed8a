import { mkdirSync } from 'node:fs';
import { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { pglitePoolFor } from './pglite-pool';

export interface DatabaseConfig {
  /** postgres://… — the real PostgreSQL. Unset: embedded PGlite under `pgliteDir`. */
  databaseUrl?: string;
  pgliteDir: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Each service keeps its own migration history, so several can share one database. */
  migrationsTableName: string;
  poolSize?: number;
}

/**
 * One place that decides between PostgreSQL and PGlite. Both run the same entities and
 * the same migrations; `synchronize` is never used, so the schema is what migrations say.
 */
export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: config.entities,
    migrations: config.migrations,
    migrationsTableName: config.migrationsTableName,
    migrationsRun: true,
    synchronize: false,
    installExtensions: false,
    logging: ['warn' as const, 'migration' as const],
  };
  if (config.databaseUrl) {
    return { ...common, url: config.databaseUrl, extra: { max: config.poolSize ?? 10 } };
  }
  mkdirSync(config.pgliteDir, { recursive: true });
  return { ...common, driver: pglitePoolFor(config.pgliteDir), database: 'postgres', extra: { max: 1 } };
}

interface PgError {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

/**
 * True for PostgreSQL's unique_violation (23505). With `constraint`, only when that
 * constraint was violated: a table usually has several unique keys and each means
 * something else ("this message is already stored" is not "this id is taken"), so callers
 * that treat a violation as "done" name the one they mean and let every other error through.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as PgError;
  const unique = e?.code === '23505' || e?.driverError?.code === '23505';
  return unique && (constraint === undefined || violatedConstraint(error) === constraint);
}

/** The name of the constraint a PostgreSQL error is about (pg and PGlite both report it), if any. */
export function violatedConstraint(error: unknown): string | undefined {
  const e = error as PgError;
  return e?.constraint ?? e?.driverError?.constraint;
}
