import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TestDatabase } from './database';

/**
 * One service of the system in the test process, on its own fresh PostgreSQL database, the
 * way its main starts it but without listening: its bus consumers, then its modules. The
 * router and notifier harnesses build on it.
 */
export abstract class ServiceHarness {
  app!: INestApplication;
  db!: TestDatabase;

  protected async boot(app: INestApplication): Promise<void> {
    await app.startAllMicroservices();
    await app.init();
    this.app = app;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.db?.drop();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as DataSource.query gives them; a test names the columns it reads
  sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.app.get(DataSource).query(query, params);
  }
}
