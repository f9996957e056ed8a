import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AgencyNotice, AgencyNoticeKind, AgencyNoticePayload, ComplaintStatusChangedPayload } from '@lapor/contracts';
import { APP_CONFIG, AppConfig, EventPublisher } from '@lapor/runtime';
import { DataSource, IsNull } from 'typeorm';
import { sameUnit } from '../access/principal';
import { BodyDirectory } from '../bodies/body-directory';
import { BodySettingsEntity, DeskComplaintEntity, FastLaneEntity, OfficerEntity } from '../entities';
import { FastLanesService } from '../fast-lanes/fast-lanes.service';
import { ReadModelService } from '../read-model/read-model.service';

interface NoticeTrigger {
  kind: AgencyNoticeKind;
  sequence: number;
}

/**
 * Direct delivery: the officials who must act are told within seconds, by e-mail (the
 * notifier renders and sends it) and on the body's own system (the signed webhook).
 * assigned → the body's liaisons; disposed → the unit's officers; the reporter's answer
 * (provide-info) and objection (reopened) → whoever works it (the unit's officers, else
 * the liaisons). The notice never carries the reporter's identity. Its id is stable per
 * status change, so a redelivered event makes the same notice and the notifier sends it once.
 */
@Injectable()
export class AgencyNoticesService {
  private readonly log = new Logger(AgencyNoticesService.name);
  private warnedNoSecret = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly readModel: ReadModelService,
    private readonly events: EventPublisher,
    private readonly bodies: BodyDirectory,
    private readonly fastLanes: FastLanesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onStatusChanged(p: ComplaintStatusChangedPayload, correlationId: string): Promise<void> {
    const trigger = triggerOf(p);
    if (!trigger) return;
    const row = await this.readModel.get(p.trackingId);
    // Without the registration (other topic) there is no excerpt yet: onRegistered announces it.
    if (!row?.registeredSeen) return;
    if (!p.assignment || p.assignment.kind === 'triage' || !p.assignment.code) return;
    await this.publish(trigger, { ...row, bodyKind: p.assignment.kind, bodyCode: p.assignment.code, bodyName: p.assignment.name, unit: p.assignment.unit ?? null, status: p.status }, correlationId);
  }

  /** After a late registration: the current status's notice, if it needs one and was not sent. */
  async announcePending(row: DeskComplaintEntity, correlationId: string): Promise<void> {
    if (row.notifiedSequence >= row.lastSequence || !row.bodyCode || row.bodyKind === 'triage') return;
    const kind = ({ assigned: 'assigned', disposed: 'disposed', reopened: 'reopened' } as const)[row.status as 'assigned'];
    if (kind) await this.publish({ kind, sequence: row.lastSequence }, row, correlationId);
  }

  /**
   * A fast lane's read-only copy for a coordinating body (docs/fast-lanes.md): its liaisons
   * and its webhook are told, with the priority flag and why they got it. Stable id per
   * complaint and body, so the notifier sends it once.
   */
  async announceCopy(c: DeskComplaintEntity, copyBodyCode: string, lane: Pick<FastLaneEntity, 'slug' | 'name'>, correlationId: string): Promise<void> {
    const name = c.bodyKind === 'triage' ? null : (c.bodyName ?? c.routing?.routedBody?.name);
    const responsible = name ?? 'menunggu verifikasi admin nasional';
    await this.publish({ kind: 'copy', sequence: 0 }, c, correlationId, {
      bodyCode: copyBodyCode,
      noticeId: `${c.trackingId}:copy:${copyBodyCode}`,
      message: `Tembusan jalur cepat "${lane.name}" (hanya baca). Instansi penanggung jawab: ${responsible}.`,
    });
  }

  private async publish(trigger: NoticeTrigger, c: DeskComplaintEntity, correlationId: string, copy?: { bodyCode: string; noticeId: string; message: string }): Promise<void> {
    const bodyCode = copy?.bodyCode ?? c.bodyCode!;
    const recipients = await this.recipients(trigger.kind, bodyCode, c.unit);
    const webhook = await this.webhook(bodyCode);
    if (!recipients.length && !webhook) {
      // Common while bodies are being connected: a log line, not a warning.
      this.log.log(`${c.trackingId}: nobody to tell about "${trigger.kind}" at ${bodyCode}${c.unit ? ` / ${c.unit}` : ''} (no officials registered, no webhook)`);
      if (!copy) await this.readModel.markNotified(c.trackingId, trigger.sequence);
      return;
    }
    const body = this.bodies.describe(bodyCode);
    // A fast lane's shorter acceptance deadline, from when the body got it (the scheduler stores and enforces it).
    const dueAt = c.status === 'assigned' && c.priority ? await this.fastLanes.laneDueAt(c, 'acceptance', c.statusAt ?? c.registeredAt ?? new Date()) : null;
    const payload: AgencyNoticePayload = {
      noticeId: copy?.noticeId ?? `${c.trackingId}:${trigger.sequence}:${trigger.kind}`,
      kind: trigger.kind,
      trackingId: c.trackingId,
      body: copy ? { kind: body?.kind ?? 'agency', code: bodyCode, name: body?.name ?? bodyCode } : { kind: body?.kind ?? (c.bodyKind === 'triage' || !c.bodyKind ? 'agency' : c.bodyKind), code: bodyCode, name: body?.name ?? c.bodyName ?? bodyCode },
      ...(c.unit && trigger.kind !== 'assigned' && !copy ? { unit: c.unit } : {}),
      recipients: recipients.map((o) => ({ email: o.email, name: o.displayName })),
      ...(webhook ? { webhook } : {}),
      complaint: this.complaintPart(c, {
        ...(c.routing?.unitSuggestion && trigger.kind === 'assigned' ? { unitSuggestion: c.routing.unitSuggestion } : {}),
        evidence: c.routing?.evidence ?? [],
        ...(c.priority ? { priority: true } : {}),
        ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
      }),
      ...this.consoleLink(c.trackingId),
      ...(copy ? { message: copy.message } : {}),
    };
    await this.events.publish(this.events.event(AgencyNotice, payload, correlationId));
    if (!copy) await this.readModel.markNotified(c.trackingId, trigger.sequence);
    this.log.log(`${c.trackingId}: "${trigger.kind}" notice to ${recipients.length} official(s) of ${bodyCode}${webhook ? ' and its webhook' : ''}`);
  }

  /**
   * A deadline's reminder or escalation (DeadlinesService): to the officials given, and to the
   * webhook of `webhookBody` when it has one. The notice id is stable per deadline and kind, so
   * a job that runs again after a crash makes the same notice and the notifier sends it once.
   * False when there was nobody to tell.
   */
  async publishDeadlineNotice(
    n: { kind: 'reminder' | 'escalated'; noticeId: string; complaint: DeskComplaintEntity; body: AgencyNoticePayload['body']; recipients: OfficerEntity[]; webhookBody: string | null; dueAt: Date; message: string },
    correlationId: string,
  ): Promise<boolean> {
    const c = n.complaint;
    const webhook = n.webhookBody ? await this.webhook(n.webhookBody) : undefined;
    if (!n.recipients.length && !webhook) {
      this.log.log(`${c.trackingId}: nobody to tell about "${n.kind}" (${n.body.code}: no officials registered, no webhook)`);
      return false;
    }
    const payload: AgencyNoticePayload = {
      noticeId: n.noticeId,
      kind: n.kind,
      trackingId: c.trackingId,
      body: n.body,
      ...(c.unit ? { unit: c.unit } : {}),
      recipients: n.recipients.map((o) => ({ email: o.email, name: o.displayName })),
      ...(webhook ? { webhook } : {}),
      complaint: this.complaintPart(c, { evidence: [], dueAt: n.dueAt.toISOString() }),
      ...this.consoleLink(c.trackingId),
      message: n.message,
    };
    await this.events.publish(this.events.event(AgencyNotice, payload, correlationId));
    this.log.log(`${c.trackingId}: "${n.kind}" notice to ${n.recipients.length} official(s)${webhook ? ' and a webhook' : ''}`);
    return true;
  }

  /**
   * What every notice says about the complaint (status, type, channel, excerpt, the reporter's
   * Anonim/Rahasia choice; never who they are), plus what this kind of notice adds: one shape
   * for status, copy and deadline notices.
   */
  private complaintPart(c: DeskComplaintEntity, extra: Pick<AgencyNoticePayload['complaint'], 'evidence'> & Partial<AgencyNoticePayload['complaint']>): AgencyNoticePayload['complaint'] {
    return {
      status: c.status,
      ...(c.submissionType ? { submissionType: c.submissionType } : {}),
      channel: c.channel ?? 'web',
      registeredAt: (c.registeredAt ?? new Date()).toISOString(),
      excerpt: c.excerpt ?? '',
      confidential: c.confidential,
      anonymous: c.anonymous,
      ...extra,
    };
  }

  /** The complaint's page in the console, when the desk knows its public URL. */
  private consoleLink(trackingId: string): { consoleUrl?: string } {
    const base = (this.config.env.DESK_PUBLIC_URL ?? this.config.env.PUBLIC_BASE_URL)?.replace(/\/$/, '');
    return base ? { consoleUrl: `${base}/desk/laporan/${trackingId}` } : {};
  }

  private async recipients(kind: AgencyNoticeKind, bodyCode: string, unit: string | null): Promise<OfficerEntity[]> {
    const officials = await this.db.manager.find(OfficerEntity, { where: { bodyCode, disabledAt: IsNull() } });
    const liaisons = officials.filter((o) => o.role === 'liaison');
    const unitOfficers = officials.filter((o) => o.role === 'officer' && sameUnit(o.unit, unit));
    if (kind === 'assigned' || kind === 'copy') return liaisons;
    if (kind === 'disposed') return unitOfficers;
    return unitOfficers.length ? unitOfficers : liaisons;
  }

  private async webhook(bodyCode: string): Promise<AgencyNoticePayload['webhook']> {
    const settings = await this.db.manager.findOne(BodySettingsEntity, { where: { bodyCode } });
    if (!settings?.webhookUrl || settings.keyVersion < 1) return undefined;
    if (!this.config.env.AGENCY_WEBHOOK_SECRET) {
      if (!this.warnedNoSecret) this.log.warn('AGENCY_WEBHOOK_SECRET is not set: agency webhooks are off');
      this.warnedNoSecret = true;
      return undefined;
    }
    return { url: settings.webhookUrl, keyVersion: settings.keyVersion };
  }
}

function triggerOf(p: ComplaintStatusChangedPayload): NoticeTrigger | null {
  // A missed deadline's escalation repeats the status: DeadlinesService tells the level above, not this trigger.
  if (p.escalation) return null;
  if (p.status === 'assigned') return { kind: 'assigned', sequence: p.sequence };
  if (p.status === 'disposed') return { kind: 'disposed', sequence: p.sequence };
  if (p.status === 'reopened') return { kind: 'reopened', sequence: p.sequence };
  // Only the reporter's answer leads from waiting_info to in_progress (an admin closing or archiving leads elsewhere).
  if (p.previousStatus === 'waiting_info' && p.status === 'in_progress' && p.actor?.kind !== 'officer' && p.actor?.kind !== 'system') return { kind: 'info_provided', sequence: p.sequence };
  return null;
}
