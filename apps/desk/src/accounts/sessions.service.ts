import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { Clock, DESK_CLOCK } from '../clock';
import { OfficerEntity, SessionEntity } from '../entities';

export const SESSION_COOKIE = 'lapor_desk';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Console sessions: a random 256-bit id in a Secure HttpOnly SameSite cookie (only its
 * SHA-256 is stored, so a leaked table opens no session) and a per-session CSRF token.
 * Sessions end after DESK_SESSION_IDLE_MINUTES idle or DESK_SESSION_MAX_HOURS in all.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DESK_CLOCK) private readonly clock: Clock,
  ) {}

  async open(officerId: string): Promise<{ id: string; csrfToken: string; maxAgeSeconds: number }> {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    const maxAgeSeconds = this.config.env.DESK_SESSION_MAX_HOURS * 3600;
    await this.db.manager.insert(SessionEntity, { idHash: sha256(id), officerId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + maxAgeSeconds * 1000) });
    return { id, csrfToken, maxAgeSeconds };
  }

  /** The session's official, or null (unknown, expired, idle too long, account disabled). */
  async resolve(id: string): Promise<{ officer: OfficerEntity; csrfToken: string } | null> {
    if (!id || id.length > 100) return null;
    const session = await this.db.manager.findOne(SessionEntity, { where: { idHash: sha256(id) } });
    if (!session) return null;
    const now = this.clock.now();
    const idleLimit = new Date(now.getTime() - this.config.env.DESK_SESSION_IDLE_MINUTES * 60_000);
    if (session.expiresAt <= now || session.lastSeenAt < idleLimit) {
      await this.db.manager.delete(SessionEntity, { idHash: session.idHash });
      return null;
    }
    const officer = await this.db.manager.findOne(OfficerEntity, { where: { id: session.officerId } });
    if (!officer || officer.disabledAt) return null;
    // Touch at most once a minute: a page view should not always be a write.
    if (now.getTime() - session.lastSeenAt.getTime() > 60_000) await this.db.manager.update(SessionEntity, { idHash: session.idHash }, { lastSeenAt: now });
    return { officer, csrfToken: session.csrfToken };
  }

  async close(id: string): Promise<void> {
    if (id) await this.db.manager.delete(SessionEntity, { idHash: sha256(id) });
  }
}
