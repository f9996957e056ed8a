import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminController } from './controllers/admin.controller';
import { CommandConsumer } from './controllers/command.consumer';
import { AgencyComplaintsController, ComplaintsController, PublicComplaintsController } from './controllers/complaints.controller';
import { InboundConsumer } from './controllers/inbound.consumer';
import { ROUTER_ENTITIES } from './entities';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { PublicComplaintRepository } from './repositories/public-complaint.repository';
import { RouterOutbox } from './outbox/router-outbox.service';
import { BodyRoutingService } from './routing/body-routing.service';
import { AdminQueueService } from './services/admin-queue.service';
import { ComplaintLifecycleService } from './services/complaint-lifecycle.service';
import { ComplaintQueryService } from './services/complaint-query.service';
import { ReporterActionsService } from './services/reporter-actions.service';
import { ComplaintRecordService } from './services/complaint-record.service';
import { ComplaintBatchRegistrationService } from './services/complaint-batch-registration.service';
import { ComplaintRegistrationService } from './services/complaint-registration.service';
import { StatusQueryService } from './services/status-query.service';
import { PublicComplaintsService } from './services/public-complaints.service';

export { ROUTER_ENTITIES } from './entities';
export { ROUTER_MIGRATIONS } from './migrations';

/** The router's features; the hosting process provides RuntimeModule and the TypeORM connection. */
@Module({
  imports: [TypeOrmModule.forFeature(ROUTER_ENTITIES)],
  controllers: [InboundConsumer, CommandConsumer, ComplaintsController, AgencyComplaintsController, PublicComplaintsController, AdminController],
  providers: [BodyRoutingService, RouterOutbox, OutboxRelay, ComplaintRecordService, ComplaintLifecycleService, ComplaintRegistrationService, ComplaintBatchRegistrationService, ComplaintQueryService, StatusQueryService, ReporterActionsService, AdminQueueService, PublicComplaintRepository, PublicComplaintsService],
})
export class RouterModule {}
