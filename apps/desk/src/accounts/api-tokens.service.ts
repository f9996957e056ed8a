import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTokenView } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { AuditActor, AuditService } from '../audit/audit.service';
import { Clock, DESK_CLOCK } from '../clock';
import { ApiTokenEntity } from '../entities';
import { sha256 } from './sessions.service';

/** Tokens look like `lpd_<43 base64url characters>` (256 random bits), so scanners can recognize a leaked one. */
const TOKEN_PREFIX = 'lpd_';

/**
 * Per-body API tokens for an agency's own system: random, printed once, stored as SHA-256
 * (a fast hash is right here: the token has 256 bits of entropy, nothing to brute-force),
 * scoped to one body, optionally read-only, revocable.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    @Inject(DESK_CLOCK) private readonly clock: Clock,
  ) {}

  async create(input: { bodyCode: string; name: string; readOnly: boolean }, by: AuditActor): Promise<{ apiToken: ApiTokenEntity; token: string }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const apiToken: ApiTokenEntity = Object.assign(new ApiTokenEntity(), {
      id: randomUUID(),
      bodyCode: input.bodyCode,
      name: input.name,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      readOnly: input.readOnly,
      createdBy: by.label ?? by.kind,
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    });
    await this.db.transaction(async (tx) => {
      await tx.insert(ApiTokenEntity, apiToken);
      await this.audit.record({ actor: by, action: 'token.create', bodyCode: input.bodyCode, detail: { tokenId: apiToken.id, name: input.name, readOnly: input.readOnly, prefix: apiToken.prefix } }, tx);
    });
    return { apiToken, token };
  }

  /** The live token behind a bearer value, or null. */
  async resolve(token: string): Promise<ApiTokenEntity | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const found = await this.db.manager.findOne(ApiTokenEntity, { where: { tokenHash: sha256(token) } });
    if (!found || found.revokedAt) return null;
    const now = this.clock.now();
    if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > 60_000) await this.db.manager.update(ApiTokenEntity, { id: found.id }, { lastUsedAt: now });
    return found;
  }

  list(filter: { bodyCode?: string } = {}): Promise<ApiTokenEntity[]> {
    return this.db.manager.find(ApiTokenEntity, { where: filter.bodyCode ? { bodyCode: filter.bodyCode } : {}, order: { createdAt: 'DESC' } });
  }

  get(id: string): Promise<ApiTokenEntity | null> {
    return /^[0-9a-f-]{36}$/i.test(id) ? this.db.manager.findOne(ApiTokenEntity, { where: { id } }) : Promise.resolve(null);
  }

  async revoke(token: ApiTokenEntity, by: AuditActor): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(ApiTokenEntity, { id: token.id }, { revokedAt: this.clock.now() });
      await this.audit.record({ actor: by, action: 'token.revoke', bodyCode: token.bodyCode, detail: { tokenId: token.id, name: token.name, prefix: token.prefix } }, tx);
    });
  }
}

export function apiTokenView(t: ApiTokenEntity): ApiTokenView {
  return {
    id: t.id,
    bodyCode: t.bodyCode,
    name: t.name,
    prefix: t.prefix,
    readOnly: t.readOnly,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
