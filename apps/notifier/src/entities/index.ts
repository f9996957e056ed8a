import { DeliveryReportEntity } from './delivery-report.entity';
import { NotificationEntity } from './notification.entity';
import { RecipientEntity } from './recipient.entity';

export * from './delivery-report.entity';
export * from './notification.entity';
export * from './recipient.entity';
export const NOTIFIER_ENTITIES = [NotificationEntity, RecipientEntity, DeliveryReportEntity];
