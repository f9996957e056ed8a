import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@lapor/persistence';
import type { EventBus } from '@lapor/bus';
import { AppConfig, createService, RuntimeModule } from '@lapor/runtime';
import type { Clock } from '../../desk/src/clock';
import { DESK_ENTITIES, DESK_MIGRATIONS, DeskModule } from '../../desk/src/desk.module';
import { NOTIFIER_ENTITIES, NOTIFIER_MIGRATIONS, NotifierModule } from '../../notifier/src/notifier.module';
import { ROUTER_ENTITIES, ROUTER_MIGRATIONS, RouterModule } from '../../router/src/router.module';
import { SmsIntakeModule } from '../../sms-intake/src/sms-intake.module';
import { SocialIntakeModule } from '../../social-intake/src/social-intake.module';
import { WebIntakeModule } from '../../web-intake/src/web-intake.module';
import { useCitizenErrorFilter } from '../../web-intake/src/http/citizen-error.filter';

/**
 * The whole system in one process: the same feature modules as the separate services,
 * wired to one bus and one database (PGlite and the journaled in-process bus unless
 * DATABASE_URL / KAFKA_BROKERS say otherwise). This file is wiring only.
 */
/** `overrides.clock`: the desk's notion of now (tests move it to make deadlines fall due; the default is the system clock). */
export async function createEmbeddedApp(config: AppConfig, overrides: { bus?: EventBus; clock?: Clock } = {}) {
  // Locally the Telegram bot long-polls (no public URL needed); it is skipped without TELEGRAM_BOT_TOKEN.
  config.env.TELEGRAM_MODE ??= 'polling';
  @Module({
    imports: [
      RuntimeModule.forRoot(config, { clientId: 'embedded', bus: overrides.bus }),
      TypeOrmModule.forRoot(
        dataSourceOptions({
          ...config.database,
          entities: [...ROUTER_ENTITIES, ...NOTIFIER_ENTITIES, ...DESK_ENTITIES],
          migrations: [...ROUTER_MIGRATIONS, ...NOTIFIER_MIGRATIONS, ...DESK_MIGRATIONS],
          migrationsTableName: 'embedded_migrations',
        }),
      ),
      WebIntakeModule,
      SmsIntakeModule.forRoot(config),
      SocialIntakeModule.forRoot(config),
      RouterModule,
      NotifierModule,
      DeskModule.forRoot({ clock: overrides.clock }),
    ],
  })
  class EmbeddedAppModule {}
  return useCitizenErrorFilter(await createService(EmbeddedAppModule, { consumesEvents: true }));
}
