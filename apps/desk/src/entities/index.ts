import { ApiTokenEntity } from './api-token.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { BodySettingsEntity } from './body-settings.entity';
import { DeskComplaintEntity } from './desk-complaint.entity';
import { ComplaintCopyEntity, FastLaneEntity } from './fast-lane.entity';
import { OfficerEntity } from './officer.entity';
import { RoutingExampleEntity } from './routing-example.entity';
import { SessionEntity } from './session.entity';

export { ApiTokenEntity, AuditEntryEntity, BodySettingsEntity, ComplaintCopyEntity, DeskComplaintEntity, FastLaneEntity, OfficerEntity, RoutingExampleEntity, SessionEntity };
export type { AuditActorKind } from './audit-entry.entity';
export type { RoutingSummary } from './desk-complaint.entity';
export type { CorrectionAction } from './routing-example.entity';

export const DESK_ENTITIES = [OfficerEntity, SessionEntity, ApiTokenEntity, AuditEntryEntity, DeskComplaintEntity, BodySettingsEntity, RoutingExampleEntity, FastLaneEntity, ComplaintCopyEntity];
