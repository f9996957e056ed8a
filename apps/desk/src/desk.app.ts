import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@lapor/persistence';
import type { EventBus } from '@lapor/bus';
import { AppConfig, createService, RuntimeModule } from '@lapor/runtime';
import type { Clock } from './clock';
import { DESK_ENTITIES, DESK_MIGRATIONS, DeskModule } from './desk.module';

/** The desk as its own service: its bus client, its database connection, its migrations (desk_migrations). */
export async function createDeskApp(config: AppConfig, overrides: { bus?: EventBus; clock?: Clock } = {}) {
  @Module({
    imports: [
      RuntimeModule.forRoot(config, { clientId: 'desk', bus: overrides.bus }),
      TypeOrmModule.forRoot(dataSourceOptions({ ...config.database, entities: DESK_ENTITIES, migrations: DESK_MIGRATIONS, migrationsTableName: 'desk_migrations' })),
      DeskModule.forRoot({ clock: overrides.clock }),
    ],
  })
  class DeskAppModule {}
  return createService(DeskAppModule, { consumesEvents: true });
}
