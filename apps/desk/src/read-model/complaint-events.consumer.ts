import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ComplaintRegistered, ComplaintRegisteredPayload, ComplaintStatusChanged, ComplaintStatusChangedPayload, ConsumerGroups, Envelope } from '@lapor/contracts';
import { OnEvent } from '@lapor/runtime';
import { AgencyNoticesService } from '../delivery/agency-notices.service';
import { FastLaneMatchingService } from '../fast-lanes/fast-lane-matching.service';
import { ReadModelService } from './read-model.service';

/** Where the router's events reach the desk (group lapor-desk): the read model, fast lanes, then direct delivery to officials. */
@Controller()
export class ComplaintEventsConsumer {
  constructor(
    private readonly readModel: ReadModelService,
    private readonly notices: AgencyNoticesService,
    private readonly fastLanes: FastLaneMatchingService,
  ) {}

  @OnEvent(ComplaintRegistered, ConsumerGroups.desk)
  async onRegistered(@Payload() event: Envelope<ComplaintRegisteredPayload>): Promise<void> {
    // The fast lane is decided before the registration is recorded (same transaction), so the body's own notice already says "priority".
    const lane = await this.fastLanes.laneForRegistration(event.payload);
    const { row, entered } = await this.readModel.onRegistered(event.payload, lane?.id);
    await this.fastLanes.afterRegistration(row, entered, event.correlationId);
    // A status change that arrived first could not be announced without the excerpt; now it can.
    await this.notices.announcePending(row, event.correlationId);
  }

  @OnEvent(ComplaintStatusChanged, ConsumerGroups.desk)
  async onStatusChanged(@Payload() event: Envelope<ComplaintStatusChangedPayload>): Promise<void> {
    const applied = await this.readModel.onStatusChanged(event.payload);
    // Another body (an admin's assignment out of triage, a return, a forward): its region or unit may bring it into a lane now.
    if (applied && (applied.before.bodyCode !== applied.after.bodyCode || applied.before.unit !== applied.after.unit)) await this.fastLanes.onMoved(applied.after, event.correlationId);
    await this.notices.onStatusChanged(event.payload, event.correlationId);
  }
}
