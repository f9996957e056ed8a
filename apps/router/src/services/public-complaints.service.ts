import { Inject, Injectable } from '@nestjs/common';
import { isTerminal, PublicComplaint, PublicComplaintList, PublicComplaintQuery, statusLabel, TERMINAL_STATUSES, timeZoneOfRegion, toZonedIso } from '@lapor/contracts';
import { complaintCategories } from '@lapor/routing';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { PublicComplaintFilter, PublicComplaintRepository, PublicComplaintRow, PublicTimelineSummary } from '../repositories/public-complaint.repository';

/**
 * What anyone may read about complaints without holding a tracking id (Open311's request
 * lists and reads in web-intake): progress only. Rahasia complaints are never selected (the
 * repository), nothing about the reporter is ever read (Anonim or not), and a category is
 * shown only when it is a catalogue code, since the web API's `category` is free text.
 */
@Injectable()
export class PublicComplaintsService {
  private catalogue?: Set<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly complaints: PublicComplaintRepository,
  ) {}

  async list(query: PublicComplaintQuery): Promise<PublicComplaintList> {
    const filter = this.filterOf(query);
    if (!filter) return { complaints: [] };
    const rows = await this.complaints.find(filter);
    const timelines = await this.complaints.timelines(rows.map((r) => r.trackingId));
    return { complaints: rows.map((row) => this.publicView(row, timelines.get(row.trackingId))) };
  }

  /** The repository's filter, or null when nothing can match (only unknown service codes asked for). */
  private filterOf(q: PublicComplaintQuery): PublicComplaintFilter | null {
    const categories = q.categories?.filter((code) => this.isServiceCode(code));
    if (categories && !categories.length) return null;
    const states = new Set(q.states ?? ['open', 'closed']);
    return {
      ids: q.ids,
      categories,
      // open = any status that is not terminal; both states = no status filter at all.
      ...(states.size === 1 ? (states.has('closed') ? { statuses: TERMINAL_STATUSES } : { excludedStatuses: TERMINAL_STATUSES }) : {}),
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      limit: q.limit,
    };
  }

  private publicView(c: PublicComplaintRow, timeline: PublicTimelineSummary | undefined): PublicComplaint {
    const routed = c.assignmentKind && c.assignmentKind !== 'triage';
    const zone = timeZoneOfRegion(routed ? c.assignmentCode : null);
    return {
      trackingId: c.trackingId,
      status: c.status,
      statusLabel: statusLabel(c.status),
      state: isTerminal(c.status) ? 'closed' : 'open',
      category: c.category && this.isServiceCode(c.category) ? c.category : null,
      body: routed ? c.assignmentName : null,
      response: timeline?.response ?? null,
      registeredAt: toZonedIso(c.registeredAt, zone),
      updatedAt: toZonedIso(timeline?.updatedAt ?? c.registeredAt, zone),
    };
  }

  private isServiceCode(code: string): boolean {
    this.catalogue ??= new Set(complaintCategories(this.config.env.ROUTING_RULES_FILE).map((rule) => rule.id));
    return this.catalogue.has(code);
  }
}
