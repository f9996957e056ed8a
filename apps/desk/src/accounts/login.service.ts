import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock, DESK_CLOCK } from '../clock';
import { OfficerEntity } from '../entities';
import { returnedRows } from '../sql';
import { OfficersService } from './officers.service';
import { dummyHash, verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';

export type LoginResult =
  | { ok: true; officer: OfficerEntity; session: { id: string; csrfToken: string; maxAgeSeconds: number } }
  | { ok: false; reason: 'invalid' | 'locked' | 'throttled'; message: string };

/**
 * Login with throttling: an account is locked for DESK_LOCKOUT_MINUTES after
 * DESK_LOCKOUT_THRESHOLD failures in a row, and a client address that failed
 * DESK_ADDRESS_MAX_FAILURES times (any accounts) in that time is refused before any
 * password is checked. Every attempt is in the audit log, which is also what the
 * per-address count reads (so replicas share it).
 */
@Injectable()
export class LoginService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly officers: OfficersService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DESK_CLOCK) private readonly clock: Clock,
  ) {}

  async login(email: string, password: string, clientAddress: string): Promise<LoginResult> {
    const env = this.config.env;
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - env.DESK_LOCKOUT_MINUTES * 60_000);
    const invalid: LoginResult = { ok: false, reason: 'invalid', message: 'E-mail atau kata sandi salah.' };
    if ((await this.audit.failuresFrom(clientAddress, windowStart)) >= env.DESK_ADDRESS_MAX_FAILURES) {
      await this.audit.record({ actor: { kind: 'anonymous', label: email.slice(0, 254) }, action: 'login.throttled', clientAddress });
      return { ok: false, reason: 'throttled', message: `Terlalu banyak percobaan masuk dari alamat ini. Coba lagi dalam ${env.DESK_LOCKOUT_MINUTES} menit.` };
    }
    const officer = await this.officers.findByEmail(email);
    if (!officer || officer.disabledAt) {
      await verifyPassword(await dummyHash(), password);
      await this.audit.record({ actor: { kind: 'anonymous', label: email.slice(0, 254) }, action: 'login.failed', clientAddress, detail: { reason: officer ? 'disabled' : 'unknown account' } });
      return invalid;
    }
    const actor = { kind: 'officer' as const, id: officer.id, label: officer.email };
    if (officer.lockedUntil && officer.lockedUntil > now) {
      await this.audit.record({ actor, action: 'login.locked', bodyCode: officer.bodyCode, clientAddress });
      return { ok: false, reason: 'locked', message: `Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi setelah ${officer.lockedUntil.toLocaleTimeString('id-ID', { timeZone: 'Asia/Jakarta' })} WIB, atau minta admin mengatur ulang kata sandi.` };
    }
    if (!(await verifyPassword(officer.passwordHash, password))) {
      // Counted in the database, so concurrent attempts on several replicas all count.
      const [row] = returnedRows<{ failed_logins: number }>(await this.db.query(
        `UPDATE desk_officers SET failed_logins = failed_logins + 1,
           locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
         WHERE id = $1 RETURNING failed_logins`,
        [officer.id, env.DESK_LOCKOUT_THRESHOLD, new Date(now.getTime() + env.DESK_LOCKOUT_MINUTES * 60_000)],
      ));
      const locked = row.failed_logins >= env.DESK_LOCKOUT_THRESHOLD;
      await this.audit.record({ actor, action: 'login.failed', bodyCode: officer.bodyCode, clientAddress, detail: { reason: 'wrong password', failedLogins: row.failed_logins, locked } });
      return invalid;
    }
    await this.db.manager.update(OfficerEntity, { id: officer.id }, { failedLogins: 0, lockedUntil: null, lastLoginAt: now });
    const session = await this.sessions.open(officer.id);
    await this.audit.record({ actor, action: 'login', bodyCode: officer.bodyCode, clientAddress });
    return { ok: true, officer, session };
  }
}
