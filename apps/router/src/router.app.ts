import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@lapor/persistence';
import type { EventBus } from '@lapor/bus';
import { AppConfig, createService, RuntimeModule } from '@lapor/runtime';
import { ROUTER_ENTITIES, ROUTER_MIGRATIONS, RouterModule } from './router.module';

/** The router as its own service: its bus client, its database connection, its migrations. */
export async function createRouterApp(config: AppConfig, overrides: { bus?: EventBus } = {}) {
  @Module({
    imports: [
      RuntimeModule.forRoot(config, { clientId: 'router', bus: overrides.bus }),
      TypeOrmModule.forRoot(
        dataSourceOptions({ ...config.database, entities: ROUTER_ENTITIES, migrations: ROUTER_MIGRATIONS, migrationsTableName: 'router_migrations' }),
      ),
      RouterModule,
    ],
  })
  class RouterAppModule {}
  return createService(RouterAppModule, { consumesEvents: true });
}
