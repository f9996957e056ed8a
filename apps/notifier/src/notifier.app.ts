import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@lapor/persistence';
import type { EventBus } from '@lapor/bus';
import { AppConfig, createService, RuntimeModule } from '@lapor/runtime';
import { NOTIFIER_ENTITIES, NOTIFIER_MIGRATIONS, NotifierModule } from './notifier.module';

/** The notifier as its own service: its bus client, its database connection, its migrations. */
export async function createNotifierApp(config: AppConfig, overrides: { bus?: EventBus } = {}) {
  @Module({
    imports: [
      RuntimeModule.forRoot(config, { clientId: 'notifier', bus: overrides.bus }),
      TypeOrmModule.forRoot(
        dataSourceOptions({ ...config.database, entities: NOTIFIER_ENTITIES, migrations: NOTIFIER_MIGRATIONS, migrationsTableName: 'notifier_migrations' }),
      ),
      NotifierModule,
    ],
  })
  class NotifierAppModule {}
  return createService(NotifierAppModule, { consumesEvents: true });
}
