import { ComplaintMessageEntity } from './complaint-message.entity';
import { ComplaintEntity } from './complaint.entity';
import { StatusChangeEntity } from './status-change.entity';

export { ComplaintEntity, ComplaintMessageEntity, StatusChangeEntity };
export const ROUTER_ENTITIES = [ComplaintEntity, ComplaintMessageEntity, StatusChangeEntity];
