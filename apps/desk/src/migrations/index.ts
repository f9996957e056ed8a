import { CreateDesk1764700000000 } from './1764700000000-create-desk';
import { Deadlines1765000000000 } from './1765000000000-deadlines';

/** In order; the desk's migration history table is `desk_migrations` (embedded mode: `embedded_migrations`). */
export const DESK_MIGRATIONS = [CreateDesk1764700000000, Deadlines1765000000000];
