import {
  AgencyComplaintView,
  CitizenTimelineEntry,
  ComplaintView,
  isConversationChannel,
  ombudsmanEligibility,
  ReporterIdentity,
  statusLabel,
  TIMELINE_EVENT_LABELS,
  TimelineEntry,
  timelineEventOf,
  timeZoneOfRegion,
  toZonedIso,
} from '@lapor/contracts';
import type { ComplaintEntity, ComplaintMessageEntity, StatusChangeEntity } from '../entities';
import { assignmentOf } from './complaint.mapper';

/** Steps after which the citizen is told who has the complaint now (a body, or a unit inside it). */
const HANDOVERS = new Set(['assigned', 'accepted', 'disposed']);

/**
 * What a citizen may see about their complaint (public to whoever holds the tracking id):
 * the whole timeline with the body's messages to the reporter, in the handling body's
 * time zone, and nothing that identifies officials or the reporter.
 */
export function citizenView(c: ComplaintEntity, history: StatusChangeEntity[]): ComplaintView {
  const zone = timeZoneOfRegion(c.assignmentKind === 'triage' ? null : c.assignmentCode);
  return {
    trackingId: c.trackingId,
    status: c.status,
    statusLabel: statusLabel(c.status),
    channel: c.channel,
    assignment: assignmentOf(c),
    history: history.map((h): CitizenTimelineEntry => {
      const a = h.assignment;
      const event = timelineEventOf(h);
      return {
        status: h.status,
        label: event ? TIMELINE_EVENT_LABELS[event] : statusLabel(h.status),
        at: toZonedIso(h.at, zone),
        ...(event ? { event } : {}),
        ...(h.reporterMessage ? { message: h.reporterMessage } : {}),
        ...(a && a.kind !== 'triage' && HANDOVERS.has(h.status) ? { handledBy: `${a.name}${a.unit ? `, ${a.unit}` : ''}` } : {}),
        ...(h.closedBy ? { closedBy: h.closedBy } : {}),
        ...(h.archiveReason ? { archiveReason: h.archiveReason } : {}),
        ...(h.mergedInto ? { mergedInto: h.mergedInto } : {}),
      };
    }),
    ...(c.forwardedToOmbudsmanAt ? { forwardedToOmbudsmanAt: toZonedIso(c.forwardedToOmbudsmanAt, zone) } : {}),
    ombudsmanAvailable: ombudsmanEligibility(c.status, history).ok,
    registeredAt: toZonedIso(c.registeredAt, zone),
    timeZone: { name: zone.name, abbreviation: zone.abbreviation },
    mergedInto: c.mergedInto,
    confidential: c.confidential,
  };
}

/**
 * What officials see (the desk, through the internal API): every message, the routing
 * explanation, the timeline with notes and who acted. The reporter's identity only when
 * the complaint is not Anonim: for Anonim it never leaves the record's owner.
 */
export function agencyView(c: ComplaintEntity, messages: ComplaintMessageEntity[], history: StatusChangeEntity[]): AgencyComplaintView {
  return {
    trackingId: c.trackingId,
    status: c.status,
    statusLabel: statusLabel(c.status),
    version: c.version,
    submissionType: c.submissionType,
    channel: c.channel,
    receivedAt: c.receivedAt.toISOString(),
    registeredAt: c.registeredAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    anonymous: c.anonymous,
    confidential: c.confidential,
    category: c.category,
    messages: messages.map((m) => ({ at: m.receivedAt.toISOString(), channel: m.channel, text: m.text, attachments: m.attachments })),
    location: { regionCode: c.regionCode, point: c.lat !== null && c.lon !== null ? { lat: c.lat, lon: c.lon } : null },
    assignment: assignmentOf(c),
    decision: c.decision,
    timeline: history.map(agencyTimelineEntry),
    reporter: c.anonymous ? null : reporterIdentity(c),
    mergedInto: c.mergedInto,
    forwardedToOmbudsmanAt: c.forwardedToOmbudsmanAt?.toISOString() ?? null,
    overdue: c.overdue ?? [],
  };
}

function agencyTimelineEntry(h: StatusChangeEntity): TimelineEntry {
  const event = timelineEventOf(h);
  return {
    sequence: h.sequence,
    status: h.status,
    label: event ? TIMELINE_EVENT_LABELS[event] : statusLabel(h.status),
    at: h.at.toISOString(),
    ...(event ? { event } : {}),
    ...(h.escalation ? { escalation: h.escalation } : {}),
    ...(h.note ? { note: h.note } : {}),
    ...(h.reporterMessage ? { reporterMessage: h.reporterMessage } : {}),
    ...(h.actorKind
      ? {
          actor: {
            kind: h.actorKind,
            ...(h.actorRole ? { role: h.actorRole } : {}),
            ...(h.actorDisplayName ? { displayName: h.actorDisplayName } : {}),
            ...(h.actorBody ? { bodyCode: h.actorBody } : {}),
          },
        }
      : {}),
    ...(h.closedBy ? { closedBy: h.closedBy } : {}),
    ...(h.archiveReason ? { archiveReason: h.archiveReason } : {}),
    ...(h.mergedInto ? { mergedInto: h.mergedInto } : {}),
    ...(h.assignment !== undefined && h.assignment !== null ? { assignment: h.assignment } : {}),
    ...(h.escalation ? { escalation: h.escalation } : {}),
  };
}

/** Name and contact the reporter gave, and the channel address they wrote from (phone, chat, account); null when there is none. */
export function reporterIdentity(c: ComplaintEntity): ReporterIdentity | null {
  const identity: ReporterIdentity = {
    ...(c.reporter?.name ? { name: c.reporter.name } : {}),
    ...(c.reporter?.email ? { email: c.reporter.email } : {}),
    ...(c.reporter?.phone ? { phone: c.reporter.phone } : {}),
    // Web and app senders are a hash or a request id, not an address.
    ...(isConversationChannel(c.channel) ? { channelAddress: c.senderId } : {}),
  };
  return Object.keys(identity).length ? identity : null;
}
