import { Inject, Injectable } from '@nestjs/common';
import { isTerminal, PublicComplaint, PublicComplaintList, PublicComplaintQuery, REPORTER_KEY_CHANNELS, statusLabel, TERMINAL_STATUSES, timeZoneOfRegion, toZonedIso } from '@lapor/contracts';
import { complaintCategories } from '@lapor/routing';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { PublicComplaintFilter, PublicComplaintRepository, PublicComplaintRow, PublicTimelineSummary } from '../repositories/public-complaint.repository';

/**
 * What anyone may read about complaints (Open311's request lists and reads in web-intake):
 * progress only. Rahasia complaints are never selected (the repository), nothing about the
 * reporter is ever read (Anonim or not), and the service code is a catalogue code, never the
 * web API's free-text category. A list that does not name its ids leaves out web and app
 * complaints: their tracking id is their reporter's key on the status page, and a public list
 * must not hand it out.
 */
@Injectable()
export class PublicComplaintsService {
  private catalogue?: string[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly complaints: PublicComplaintRepository,
  ) {}

  async list(query: PublicComplaintQuery): Promise<PublicComplaintList> {
    const filter = this.filterOf(query);
    if (!filter) return { complaints: [] };
    const rows = await this.complaints.find(filter, this.serviceCodes());
    const timelines = await this.complaints.timelines(rows.map((r) => r.trackingId));
    return { complaints: rows.map((row) => this.publicView(row, timelines.get(row.trackingId))) };
  }

  /** The repository's filter, or null when nothing can match (only unknown service codes asked for). */
  private filterOf(q: PublicComplaintQuery): PublicComplaintFilter | null {
    const serviceCodes = q.categories?.filter((code) => this.serviceCodes().includes(code));
    if (serviceCodes && !serviceCodes.length) return null;
    const states = new Set(q.states ?? ['open', 'closed']);
    return {
      ids: q.ids,
      ...(q.ids ? {} : { excludedChannels: REPORTER_KEY_CHANNELS }),
      serviceCodes,
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
      category: c.serviceCode,
      body: routed ? c.assignmentName : null,
      response: timeline?.response ?? null,
      registeredAt: toZonedIso(c.registeredAt, zone),
      updatedAt: toZonedIso(timeline?.updatedAt ?? c.registeredAt, zone),
    };
  }

  private serviceCodes(): string[] {
    this.catalogue ??= complaintCategories(this.config.env.ROUTING_RULES_FILE).map((rule) => rule.id);
    return this.catalogue;
  }
}
