import { CreateNotifications1763800100000 } from './1763800100000-create-notifications';

/** In order; the notifier's migration history table is `notifier_migrations`. */
export const NOTIFIER_MIGRATIONS = [CreateNotifications1763800100000];
