import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeskAuthGuard } from './access/desk-auth.guard';
import { ScopeService } from './access/scope.service';
import { ApiTokensService } from './accounts/api-tokens.service';
import { FirstAdmin } from './accounts/first-admin';
import { LoginService } from './accounts/login.service';
import { ManagementService } from './accounts/management.service';
import { OfficersService } from './accounts/officers.service';
import { SessionsService } from './accounts/sessions.service';
import { ComplaintsApiController } from './api/complaints.api.controller';
import { DeadlinePolicyApiController } from './api/deadline-policy.api.controller';
import { ManagementApiController } from './api/management.api.controller';
import { DeskOpenApiController } from './api/openapi.controller';
import { FastLanesApiController } from './api/fast-lanes.api.controller';
import { AuditService } from './audit/audit.service';
import { BodyDirectory } from './bodies/body-directory';
import { CliEndpointController } from './cli/cli-endpoint.controller';
import { CliLink } from './cli/cli-link';
import { DeskCommands } from './cli/desk-commands';
import { RouterClient } from './clients/router.client';
import { Clock, DESK_CLOCK, systemClock } from './clock';
import { DeskComplaintsService } from './complaints/desk-complaints.service';
import { DeskAttachmentsService } from './complaints/desk-attachments.service';
import { attachmentStoreProvider } from '@lapor/storage';
import { ConsoleController } from './console/console.controller';
import { DeadlinePolicyService } from './deadlines/deadline-policy.service';
import { DeadlinesService } from './deadlines/deadlines.service';
import { AgencyNoticesService } from './delivery/agency-notices.service';
import { DESK_ENTITIES } from './entities';
import { FastLaneMatchingService } from './fast-lanes/fast-lane-matching.service';
import { FastLanesService } from './fast-lanes/fast-lanes.service';
import { RoutingExamplesService } from './learning/routing-examples.service';
import { ComplaintEventsConsumer } from './read-model/complaint-events.consumer';
import { ReadModelService } from './read-model/read-model.service';
import { JobScheduler } from './scheduler/job-scheduler.service';
import { StatsQueryService } from './stats/stats-query.service';
import { ConsoleStatsController, PublicStatsController } from './stats/stats.controller';
import { StatsWriterService } from './stats/stats-writer.service';
import { ObjectionWindowTimer } from './timers/objection-window.timer';
import { BodySettingsService } from './webhooks/body-settings.service';

export { DESK_ENTITIES } from './entities';
export { DESK_MIGRATIONS } from './migrations';
export { FirstAdmin } from './accounts/first-admin';
export { CliLink } from './cli/cli-link';

/** Every desk controller: the authorization matrix test checks each of their routes. */
export const DESK_CONTROLLERS = [ConsoleController, ComplaintsApiController, ManagementApiController, FastLanesApiController, DeskOpenApiController, CliEndpointController, PublicStatsController, ConsoleStatsController, DeadlinePolicyApiController];

const DESK_PROVIDERS: Provider[] = [
  AuditService,
  BodyDirectory,
  OfficersService,
  SessionsService,
  ApiTokensService,
  LoginService,
  ManagementService,
  FirstAdmin,
  ScopeService,
  DeskAuthGuard,
  RouterClient,
  StatsWriterService,
  StatsQueryService,
  ReadModelService,
  AgencyNoticesService,
  FastLanesService,
  FastLaneMatchingService,
  RoutingExamplesService,
  DeskComplaintsService,
  DeskAttachmentsService,
  attachmentStoreProvider,
  BodySettingsService,
  ObjectionWindowTimer,
  JobScheduler,
  DeadlinePolicyService,
  DeadlinesService,
  DeskCommands,
  CliLink,
];

/**
 * The agency desk's features (docs/agency-desk.md): officials' accounts, sessions, tokens,
 * the audit log, scope, the read model of complaints, direct delivery, timers, the console
 * and the officer API. The hosting process provides RuntimeModule and the TypeORM connection.
 */
@Module({})
export class DeskModule {
  /** `clock`: tests pass a controllable one (timers, sessions, lockout). */
  static forRoot(options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: DeskModule,
      imports: [TypeOrmModule.forFeature(DESK_ENTITIES)],
      controllers: [ComplaintEventsConsumer, ...DESK_CONTROLLERS],
      providers: [{ provide: DESK_CLOCK, useValue: options.clock ?? systemClock }, ...DESK_PROVIDERS],
    };
  }
}

