import { Injectable, NotFoundException } from '@nestjs/common';
import type { Attachment } from '@lapor/contracts';
import { AttachmentStore } from '@lapor/storage';
import { auditActorOf, Principal } from '../access/principal';
import { NOT_FOUND_MESSAGE } from '../access/scope.service';
import { AuditService } from '../audit/audit.service';
import { RouterClient } from '../clients/router.client';
import type { DeskComplaintEntity } from '../entities';

const ATTACHMENT_NOT_FOUND = 'Lampiran tidak ditemukan';

/**
 * A complaint's stored files, for officials who may see that complaint (the caller has
 * passed DeskAuthGuard's scope check, so another body's official never gets here). The file
 * must belong to this complaint: a key from elsewhere is "not found", so knowing a key opens
 * nothing. Every download is audit-logged. Files of Anonim complaints leave only this way.
 */
@Injectable()
export class DeskAttachmentsService {
  constructor(
    private readonly router: RouterClient,
    private readonly store: AttachmentStore,
    private readonly audit: AuditService,
  ) {}

  async download(principal: Principal, complaint: DeskComplaintEntity, sha256: string, clientAddress: string): Promise<{ attachment: Attachment; body: Buffer }> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new NotFoundException(ATTACHMENT_NOT_FOUND);
    const view = await this.router.view(complaint.trackingId);
    if (!view) throw new NotFoundException(NOT_FOUND_MESSAGE);
    const key = `att/${sha256}`;
    const attachment = view.messages.flatMap((m) => m.attachments).find((a) => a.storageKey === key);
    const stored = attachment ? await this.store.objects.get(key) : null;
    if (!attachment || !stored) throw new NotFoundException(ATTACHMENT_NOT_FOUND);
    await this.audit.record({ actor: auditActorOf(principal), action: 'complaint.attachment.download', trackingId: complaint.trackingId, bodyCode: complaint.bodyCode, clientAddress, detail: { storageKey: key } });
    return { attachment, body: stored.body };
  }
}
