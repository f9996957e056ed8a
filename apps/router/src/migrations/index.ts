import { CreateComplaints1763800000000 } from './1763800000000-create-complaints';
import { CreateRouterOutbox1764000000000 } from './1764000000000-create-router-outbox';
import { AgencyLifecycle1764100000000 } from './1764100000000-agency-lifecycle';
import { DeadlineEscalations1765000000000 } from './1765000000000-deadline-escalations';
import { Ombudsman1765100000000 } from './1765100000000-ombudsman';
import { PublicComplaintIndex1766200000000 } from './1766200000000-public-complaint-index';

/** In order; the router's migration history table is `router_migrations`. */
export const ROUTER_MIGRATIONS = [CreateComplaints1763800000000, CreateRouterOutbox1764000000000, AgencyLifecycle1764100000000, DeadlineEscalations1765000000000, Ombudsman1765100000000, PublicComplaintIndex1766200000000];
