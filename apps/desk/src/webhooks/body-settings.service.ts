import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { agencyWebhookKey, WebhookSettingsView, WorkingWeekView } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { AuditActor, AuditService } from '../audit/audit.service';
import { BodySettingsEntity } from '../entities';

/**
 * A body's webhook settings. The signing key is derived, never stored
 * (agencyWebhookKey: HMAC of AGENCY_WEBHOOK_SECRET, the body code and the key version), so
 * the desk shows it once when the webhook is set or rotated, and the notifier derives the
 * same key to sign. Rotating bumps the version: the old key stops working at once.
 */
@Injectable()
export class BodySettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(bodyCode: string): Promise<WebhookSettingsView> {
    return this.view(bodyCode, await this.db.manager.findOne(BodySettingsEntity, { where: { bodyCode } }));
  }

  /** Sets the URL; a first URL (or `rotate`) makes a new key version, shown once. */
  async setWebhook(bodyCode: string, url: string, by: AuditActor, clientAddress?: string): Promise<{ settings: WebhookSettingsView; key: string }> {
    const secret = this.secret();
    const row = await this.db.transaction(async (tx) => {
      const current = await tx.findOne(BodySettingsEntity, { where: { bodyCode }, lock: { mode: 'pessimistic_write' } });
      const next = Object.assign(current ?? Object.assign(new BodySettingsEntity(), { bodyCode, keyVersion: 0 }), { webhookUrl: url, keyVersion: (current?.keyVersion ?? 0) + 1, updatedAt: new Date(), updatedBy: by.label ?? by.kind });
      await tx.save(BodySettingsEntity, next);
      await this.audit.record({ actor: by, action: 'webhook.set', bodyCode, clientAddress, detail: { url, keyVersion: next.keyVersion } }, tx);
      return next;
    });
    return { settings: this.view(bodyCode, row), key: agencyWebhookKey(secret, bodyCode, row.keyVersion) };
  }

  async rotate(bodyCode: string, by: AuditActor, clientAddress?: string): Promise<{ settings: WebhookSettingsView; key: string } | null> {
    const current = await this.db.manager.findOne(BodySettingsEntity, { where: { bodyCode } });
    if (!current?.webhookUrl) return null;
    return this.setWebhook(bodyCode, current.webhookUrl, by, clientAddress);
  }

  async remove(bodyCode: string, by: AuditActor, clientAddress?: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(BodySettingsEntity, { bodyCode }, { webhookUrl: null, updatedAt: new Date(), updatedBy: by.label ?? by.kind });
      await this.audit.record({ actor: by, action: 'webhook.remove', bodyCode, clientAddress }, tx);
    });
  }

  async workingWeek(bodyCode: string): Promise<WorkingWeekView> {
    return workingWeekView(bodyCode, await this.db.manager.findOne(BodySettingsEntity, { where: { bodyCode } }));
  }

  /**
   * Declares (or ends) the body's six-day working week, audited with before and after. The
   * deadlines service reads it when a stage starts, so it applies to stages starting afterwards.
   */
  async setWorkingWeek(bodyCode: string, sixDayWeek: boolean, by: AuditActor, clientAddress?: string): Promise<WorkingWeekView> {
    const row = await this.db.transaction(async (tx) => {
      const current = await tx.findOne(BodySettingsEntity, { where: { bodyCode }, lock: { mode: 'pessimistic_write' } });
      const next = Object.assign(current ?? Object.assign(new BodySettingsEntity(), { bodyCode, keyVersion: 0, webhookUrl: null }), { sixDayWeek, updatedAt: new Date(), updatedBy: by.label ?? by.kind });
      await tx.save(BodySettingsEntity, next);
      await this.audit.record({ actor: by, action: 'working-week.set', bodyCode, clientAddress, detail: { from: current?.sixDayWeek ?? false, to: sixDayWeek } }, tx);
      return next;
    });
    return workingWeekView(bodyCode, row);
  }

  private secret(): string {
    const secret = this.config.env.AGENCY_WEBHOOK_SECRET;
    if (!secret) throw new ServiceUnavailableException('Webhook instansi tidak aktif: AGENCY_WEBHOOK_SECRET belum diatur pada server');
    return secret;
  }

  private view(bodyCode: string, row: BodySettingsEntity | null): WebhookSettingsView {
    return { bodyCode, url: row?.webhookUrl ?? null, keyVersion: row?.keyVersion ?? 0, enabled: !!this.config.env.AGENCY_WEBHOOK_SECRET, updatedAt: row?.updatedAt.toISOString() ?? null };
  }
}

function workingWeekView(bodyCode: string, row: BodySettingsEntity | null): WorkingWeekView {
  return { bodyCode, sixDayWeek: row?.sixDayWeek ?? false, updatedAt: row?.updatedAt.toISOString() ?? null };
}
