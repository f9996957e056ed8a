import { ComplaintMessageEntity, MESSAGE_DEDUPE_CONSTRAINT } from './complaint-message.entity';
import { COMPLAINT_KEY_CONSTRAINT, ComplaintEntity } from './complaint.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { StatusChangeEntity } from './status-change.entity';

export { COMPLAINT_KEY_CONSTRAINT, ComplaintEntity, ComplaintMessageEntity, MESSAGE_DEDUPE_CONSTRAINT, OutboxEventEntity, StatusChangeEntity };
export const ROUTER_ENTITIES = [ComplaintEntity, ComplaintMessageEntity, StatusChangeEntity, OutboxEventEntity];
