import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeliveryStatusPayload } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { DeliveryReportEntity, NotificationEntity } from '../entities';
import { SenderRegistry } from '../senders/sender-registry';
import { RecipientsService } from './recipients.service';

/** How far along a message is; a later report never moves it back (callbacks arrive out of order). */
const PROGRESS: Record<string, number> = { queued: 1, sending: 2, sent: 3, delivered: 4, read: 5, undelivered: 4, failed: 4 };

/**
 * Vendor delivery reports. Each is stored as it arrives, then applied to its notification
 * if the dispatcher has already stored the vendor's message id; otherwise the dispatcher
 * applies it right after the send returns. So an early report (Twilio may call back
 * before its API answer has been saved) is never lost, and an old one never wins.
 */
@Injectable()
export class DeliveryReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly senders: SenderRegistry,
    private readonly recipients: RecipientsService,
  ) {}

  async record(p: DeliveryStatusPayload): Promise<void> {
    await this.db.manager.insert(DeliveryReportEntity, {
      id: randomUUID(),
      channel: p.channel,
      externalId: p.externalId,
      status: p.status,
      errorCode: p.errorCode ?? null,
      reportedAt: new Date(p.reportedAt),
    });
    await this.apply(p.channel, p.externalId);
  }

  /** Brings the notification of this vendor message up to its most advanced report. */
  async apply(channel: string, externalId: string): Promise<void> {
    // Reports first: after a send there usually is none yet, and then one look-up is all (issue 12).
    const reports = await this.db.manager.find(DeliveryReportEntity, { where: { channel, externalId }, order: { reportedAt: 'ASC' } });
    if (!reports.length) return;
    const repo = this.db.getRepository(NotificationEntity);
    const n = await repo.findOne({ where: { channel: channel as NotificationEntity['channel'], externalId } });
    if (!n) return;
    const latest = reports.reduce((a, b) => ((PROGRESS[b.status] ?? 0) >= (PROGRESS[a.status] ?? 0) ? b : a));
    const state =
      latest.status === 'delivered' || latest.status === 'read' ? 'delivered' : latest.status === 'undelivered' || latest.status === 'failed' ? 'undelivered' : n.state;
    await repo.update({ id: n.id }, { vendorStatus: latest.status, vendorError: latest.errorCode, state });
    if (state === 'undelivered' && latest.errorCode && this.senders.for(channel)?.isPermanentDeliveryError?.(latest.errorCode)) {
      await this.recipients.markUnreachable(n.channel, n.address, `${channel} error ${latest.errorCode}`);
    }
  }
}
