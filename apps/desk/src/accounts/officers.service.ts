import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CreateOfficerRequest, OfficerRole, OfficerView } from '@lapor/contracts';
import { isUniqueViolation } from '@lapor/persistence';
import { DataSource, IsNull } from 'typeorm';
import { AuditActor, AuditService } from '../audit/audit.service';
import { BodyDirectory } from '../bodies/body-directory';
import { OfficerEntity } from '../entities';
import { hashPassword, oneTimePassword, passwordProblem, verifyPassword } from './passwords';

/**
 * Officials' accounts: created by the CLI, by the national admin (any body) and by a
 * body's liaison (their own body). A new account gets a one-time password that must be
 * changed at first login. Scope checks happen before these calls (ScopeService).
 */
@Injectable()
export class OfficersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly bodies: BodyDirectory,
  ) {}

  async create(input: CreateOfficerRequest, by: AuditActor): Promise<{ officer: OfficerEntity; oneTimePassword: string }> {
    const body = this.resolveBody(input.role, input.body);
    if (input.role === 'officer' && !input.unit) throw new BadRequestException('Petugas unit kerja harus punya --unit (unit kerja)');
    const password = oneTimePassword();
    const officer: OfficerEntity = Object.assign(new OfficerEntity(), {
      id: randomUUID(),
      email: input.email.toLowerCase(),
      displayName: input.displayName ?? input.email.split('@')[0],
      role: input.role,
      bodyCode: body?.code ?? null,
      bodyName: body?.name ?? null,
      unit: input.role === 'officer' ? input.unit!.trim().replace(/\s+/g, ' ') : null,
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      failedLogins: 0,
      lockedUntil: null,
      disabledAt: null,
      createdAt: new Date(),
      lastLoginAt: null,
    });
    try {
      await this.db.transaction(async (tx) => {
        await tx.insert(OfficerEntity, officer);
        await this.audit.record({ actor: by, action: 'officer.create', bodyCode: officer.bodyCode, detail: { officerId: officer.id, email: officer.email, role: officer.role, unit: officer.unit } }, tx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictException(`Sudah ada akun dengan e-mail ${officer.email}`);
      throw error;
    }
    return { officer, oneTimePassword: password };
  }

  /** The body an account belongs to: none for the national admin, a known body for everyone else. */
  resolveBody(role: OfficerRole, code: string | undefined) {
    if (role === 'national-admin') {
      if (code) throw new BadRequestException('Admin nasional tidak terikat pada satu instansi (hapus --body)');
      return undefined;
    }
    if (!code) throw new BadRequestException('Instansi wajib diisi (--body: kode wilayah seperti 32.73 atau slug instansi)');
    const body = this.bodies.describe(code);
    if (!body) throw new BadRequestException(`Instansi "${code}" tidak dikenal (kode wilayah seperti 32.73 atau slug instansi)`);
    return body;
  }

  list(filter: { bodyCode?: string } = {}): Promise<OfficerEntity[]> {
    return this.db.manager.find(OfficerEntity, { where: filter.bodyCode ? { bodyCode: filter.bodyCode } : {}, order: { bodyCode: 'ASC', role: 'ASC', email: 'ASC' } });
  }

  get(id: string): Promise<OfficerEntity | null> {
    return /^[0-9a-f-]{36}$/i.test(id) ? this.db.manager.findOne(OfficerEntity, { where: { id } }) : Promise.resolve(null);
  }

  findByEmail(email: string): Promise<OfficerEntity | null> {
    return this.db.manager.createQueryBuilder(OfficerEntity, 'o').where('lower(o.email) = lower(:email)', { email: email.trim() }).getOne();
  }

  async countActive(): Promise<number> {
    return this.db.manager.count(OfficerEntity, { where: { disabledAt: IsNull() } });
  }

  async disable(officer: OfficerEntity, by: AuditActor): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.update(OfficerEntity, { id: officer.id }, { disabledAt: new Date() });
      await tx.query('DELETE FROM desk_sessions WHERE officer_id = $1', [officer.id]);
      await this.audit.record({ actor: by, action: 'officer.disable', bodyCode: officer.bodyCode, detail: { officerId: officer.id, email: officer.email } }, tx);
    });
  }

  /** A new one-time password (the account is unlocked; its sessions end). */
  async resetPassword(officer: OfficerEntity, by: AuditActor): Promise<string> {
    const password = oneTimePassword();
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      await tx.update(OfficerEntity, { id: officer.id }, { passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null, disabledAt: null });
      await tx.query('DELETE FROM desk_sessions WHERE officer_id = $1', [officer.id]);
      await this.audit.record({ actor: by, action: 'officer.reset-password', bodyCode: officer.bodyCode, detail: { officerId: officer.id, email: officer.email } }, tx);
    });
    return password;
  }

  /** The official's own change (required after a one-time password). */
  async changePassword(officer: OfficerEntity, current: string, next: string, clientAddress: string): Promise<string | null> {
    if (!(await verifyPassword(officer.passwordHash, current))) return 'Kata sandi saat ini salah.';
    const problem = passwordProblem(next, officer.email);
    if (problem) return problem;
    if (next === current) return 'Kata sandi baru harus berbeda dari yang lama.';
    const passwordHash = await hashPassword(next);
    await this.db.transaction(async (tx) => {
      await tx.update(OfficerEntity, { id: officer.id }, { passwordHash, mustChangePassword: false });
      await this.audit.record({ actor: { kind: 'officer', id: officer.id, label: officer.email }, action: 'officer.change-password', bodyCode: officer.bodyCode, clientAddress }, tx);
    });
    return null;
  }
}

export function officerView(o: OfficerEntity): OfficerView {
  return {
    id: o.id,
    email: o.email,
    displayName: o.displayName,
    role: o.role,
    bodyCode: o.bodyCode,
    bodyName: o.bodyName,
    unit: o.unit,
    mustChangePassword: o.mustChangePassword,
    lockedUntil: o.lockedUntil?.toISOString() ?? null,
    disabledAt: o.disabledAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
    lastLoginAt: o.lastLoginAt?.toISOString() ?? null,
  };
}
