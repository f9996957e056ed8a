import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { CreateApiTokenRequest, CreateOfficerRequest } from '@lapor/contracts';
import { auditActorOf, bodyOf, Principal, scopeOf } from '../access/principal';
import { ScopeService } from '../access/scope.service';
import { AuditService } from '../audit/audit.service';
import { BodyDirectory } from '../bodies/body-directory';
import { ApiTokenEntity, OfficerEntity } from '../entities';
import { BodySettingsService } from '../webhooks/body-settings.service';
import { ApiTokensService } from './api-tokens.service';
import { OfficersService } from './officers.service';

/**
 * Managing a body's officials, API tokens and webhook, for the API and the console alike:
 * the national admin for any body, a liaison for their own (others' are 404). A liaison
 * creates liaisons and unit officers, never a national admin.
 */
@Injectable()
export class ManagementService {
  constructor(
    private readonly scope: ScopeService,
    private readonly officers: OfficersService,
    private readonly tokens: ApiTokensService,
    private readonly webhooks: BodySettingsService,
    private readonly bodies: BodyDirectory,
    private readonly audit: AuditService,
  ) {}

  /** The body a request is about: the liaison's own unless the national admin names one. */
  bodyFor(principal: Principal, requested: string | undefined): string {
    const own = bodyOf(principal);
    const code = requested?.trim() || own;
    if (!code) throw new BadRequestException('Sebutkan instansi (body: kode wilayah atau slug instansi)');
    this.scope.assertBody(principal, code);
    if (!this.bodies.describe(code)) throw new BadRequestException(`Instansi "${code}" tidak dikenal`);
    return code;
  }

  listOfficers(principal: Principal, body?: string): Promise<OfficerEntity[]> {
    if (scopeOf(principal).all && !body) return this.officers.list();
    return this.officers.list({ bodyCode: this.bodyFor(principal, body) });
  }

  async createOfficer(principal: Principal, input: CreateOfficerRequest) {
    if (input.role === 'national-admin') {
      if (!scopeOf(principal).all) throw new ForbiddenException('Hanya admin nasional yang dapat membuat akun admin nasional');
      return this.officers.create(input, auditActorOf(principal));
    }
    return this.officers.create({ ...input, body: this.bodyFor(principal, input.body) }, auditActorOf(principal));
  }

  async officer(principal: Principal, id: string): Promise<OfficerEntity> {
    const officer = await this.officers.get(id);
    if (!officer) throw new NotFoundException('Akun tidak ditemukan');
    if (officer.role === 'national-admin' && !scopeOf(principal).all) throw new NotFoundException('Akun tidak ditemukan');
    if (officer.role !== 'national-admin') this.scope.assertBody(principal, officer.bodyCode);
    return officer;
  }

  async disableOfficer(principal: Principal, id: string): Promise<OfficerEntity> {
    const officer = await this.officer(principal, id);
    if (principal.kind === 'officer' && principal.officer.id === officer.id) throw new BadRequestException('Anda tidak dapat menonaktifkan akun Anda sendiri');
    await this.officers.disable(officer, auditActorOf(principal));
    return officer;
  }

  async resetPassword(principal: Principal, id: string): Promise<{ officer: OfficerEntity; oneTimePassword: string }> {
    const officer = await this.officer(principal, id);
    return { officer, oneTimePassword: await this.officers.resetPassword(officer, auditActorOf(principal)) };
  }

  listTokens(principal: Principal, body?: string): Promise<ApiTokenEntity[]> {
    if (scopeOf(principal).all && !body) return this.tokens.list();
    return this.tokens.list({ bodyCode: this.bodyFor(principal, body) });
  }

  createToken(principal: Principal, input: CreateApiTokenRequest) {
    return this.tokens.create({ bodyCode: this.bodyFor(principal, input.body), name: input.name, readOnly: input.readOnly }, auditActorOf(principal));
  }

  async revokeToken(principal: Principal, id: string): Promise<ApiTokenEntity> {
    const token = await this.tokens.get(id);
    if (!token) throw new NotFoundException('Token tidak ditemukan');
    this.scope.assertBody(principal, token.bodyCode);
    if (!token.revokedAt) await this.tokens.revoke(token, auditActorOf(principal));
    return token;
  }

  webhook(principal: Principal, body: string) {
    return this.webhooks.get(this.bodyFor(principal, body));
  }

  setWebhook(principal: Principal, body: string, url: string, clientAddress: string) {
    return this.webhooks.setWebhook(this.bodyFor(principal, body), url, auditActorOf(principal), clientAddress);
  }

  async rotateWebhookKey(principal: Principal, body: string, clientAddress: string) {
    const rotated = await this.webhooks.rotate(this.bodyFor(principal, body), auditActorOf(principal), clientAddress);
    if (!rotated) throw new BadRequestException('Atur URL webhook terlebih dahulu');
    return rotated;
  }

  workingWeek(principal: Principal, body: string) {
    return this.webhooks.workingWeek(this.bodyFor(principal, body));
  }

  setWorkingWeek(principal: Principal, body: string, sixDayWeek: boolean, clientAddress: string) {
    return this.webhooks.setWorkingWeek(this.bodyFor(principal, body), sixDayWeek, auditActorOf(principal), clientAddress);
  }

  async removeWebhook(principal: Principal, body: string, clientAddress: string) {
    await this.webhooks.remove(this.bodyFor(principal, body), auditActorOf(principal), clientAddress);
  }

  auditLog(principal: Principal, filter: { body?: string; trackingId?: string }) {
    const scope = scopeOf(principal);
    return this.audit.recent({ bodyCode: scope.all ? filter.body : this.bodyFor(principal, filter.body), trackingId: filter.trackingId, limit: 200 });
  }
}
