import { CreateDesk1764700000000 } from './1764700000000-create-desk';
import { Deadlines1765000000000 } from './1765000000000-deadlines';
import { DeskOmbudsman1765100000001 } from './1765100000001-desk-ombudsman';
import { FastLanes1765200000000 } from './1765200000000-fast-lanes';
import { CreateStats1765300000000 } from './1765300000000-create-stats';
import { DeadlinePause1766100000000 } from './1766100000000-deadline-pause';

/** In order; the desk's migration history table is `desk_migrations` (embedded mode: `embedded_migrations`). */
export const DESK_MIGRATIONS = [CreateDesk1764700000000, Deadlines1765000000000, DeskOmbudsman1765100000001, FastLanes1765200000000, CreateStats1765300000000, DeadlinePause1766100000000];
