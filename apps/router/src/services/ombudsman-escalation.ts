import { ComplaintEscalatedPayload, OmbudsmanReason, statusLabel } from '@lapor/contracts';
import type { ComplaintEntity, ComplaintMessageEntity, StatusChangeEntity } from '../entities';
import { agencyView, reporterIdentity } from './complaint-views';

/**
 * What Ombudsman RI's intake receives when the reporter forwards a complaint
 * (`complaint.escalated`, docs/ombudsman.md): the complaint with every message, the whole
 * timeline as officials see it, the body and unit, the deadlines the handling missed, and
 * the reporter's identity only as they allowed it: none for Anonim, marked for Rahasia.
 */
export function escalationPayload(
  c: ComplaintEntity,
  messages: ComplaintMessageEntity[],
  history: StatusChangeEntity[],
  forward: { reason: OmbudsmanReason; note?: string; at: Date },
): ComplaintEscalatedPayload {
  const view = agencyView(c, messages, history);
  const identity = c.anonymous ? null : reporterIdentity(c);
  return {
    escalationId: `${c.trackingId}:ombudsman`,
    trackingId: c.trackingId,
    forwardedAt: forward.at.toISOString(),
    reason: forward.reason,
    ...(forward.note ? { reporterNote: forward.note } : {}),
    complaint: {
      text: c.text,
      messages: view.messages.map((m) => ({ at: m.at, channel: m.channel, text: m.text })),
      channel: c.channel,
      receivedAt: view.receivedAt,
      registeredAt: view.registeredAt,
      submissionType: c.submissionType,
      status: c.status,
      statusLabel: statusLabel(c.status),
      category: c.category,
      region: c.regionCode ? { code: c.regionCode } : null,
    },
    agency: view.assignment && view.assignment.kind !== 'triage' ? { kind: view.assignment.kind, code: view.assignment.code, name: view.assignment.name, unit: view.assignment.unit ?? null } : null,
    timeline: view.timeline,
    missedDeadlines: history
      .filter((h) => h.escalation)
      .map((h) => ({ stage: h.escalation!.stage, dueAt: h.escalation!.dueAt, escalatedAt: h.at.toISOString(), escalatedTo: h.escalation!.escalatedTo })),
    reporter: { disclosure: c.anonymous ? 'anonymous' : c.confidential ? 'confidential' : 'open', identity },
  };
}
