import { CreateNotifications1763800100000 } from './1763800100000-create-notifications';
import { CreateDeliveryReports1763800200000 } from './1763800200000-create-delivery-reports';
import { NotificationAttempts1763800300000 } from './1763800300000-notification-attempts';
import { NotificationHeaders1763800500000 } from './1763800500000-notification-headers';

/** In order; the notifier's migration history table is `notifier_migrations`. */
export const NOTIFIER_MIGRATIONS = [CreateNotifications1763800100000, CreateDeliveryReports1763800200000, NotificationAttempts1763800300000, NotificationHeaders1763800500000];
