import { BadRequestException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { CreateOfficerRequest, OfficerRole } from '@lapor/contracts';
import { z } from 'zod';
import { apiTokenView, ApiTokensService } from '../accounts/api-tokens.service';
import { OfficersService, officerView } from '../accounts/officers.service';
import { AuditActor } from '../audit/audit.service';
import { BodyDirectory } from '../bodies/body-directory';
import { messageOf } from '../http-message';

/** One CLI command, as parsed from `npm run desk -- …` (and sent as JSON to a running `npm start`). */
export const DeskCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('officer add'), body: z.string().optional(), role: OfficerRole, unit: z.string().optional(), email: z.string(), name: z.string().optional() }),
  z.object({ command: z.literal('officer list'), body: z.string().optional() }),
  z.object({ command: z.literal('officer disable'), email: z.string() }),
  z.object({ command: z.literal('officer reset-password'), email: z.string() }),
  z.object({ command: z.literal('token create'), body: z.string(), name: z.string().optional(), readOnly: z.boolean().optional() }),
  z.object({ command: z.literal('token list'), body: z.string().optional() }),
  z.object({ command: z.literal('token revoke'), id: z.string() }),
]);
export type DeskCommand = z.infer<typeof DeskCommand>;

export type CommandResult = { ok: true; lines: string[] } | { ok: false; error: string };

const CLI: AuditActor = { kind: 'cli', label: `cli (${process.env.USER ?? 'operator'})` };

/**
 * The CLI's commands, run by the CLI on a store it opened itself, or by a running
 * `npm start` on its behalf (PGlite is single-process). Output is plain lines; secrets
 * (one-time passwords, tokens) are printed once and stored only hashed.
 */
@Injectable()
export class DeskCommands {
  constructor(
    private readonly officers: OfficersService,
    private readonly tokens: ApiTokensService,
    private readonly bodies: BodyDirectory,
  ) {}

  async run(command: DeskCommand): Promise<CommandResult> {
    try {
      return { ok: true, lines: await this.dispatch(command) };
    } catch (error) {
      if (error instanceof HttpException) return { ok: false, error: messageOf(error) };
      if (error instanceof z.ZodError) return { ok: false, error: error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
      throw error;
    }
  }

  private async dispatch(c: DeskCommand): Promise<string[]> {
    switch (c.command) {
      case 'officer add': {
        const input = CreateOfficerRequest.parse({ email: c.email, role: c.role, body: c.body, unit: c.unit, displayName: c.name });
        const { officer, oneTimePassword } = await this.officers.create(input, CLI);
        return [
          `created ${officer.role} ${officer.email}${officer.bodyName ? ` for ${officer.bodyName} (${officer.bodyCode})` : ''}${officer.unit ? `, unit ${officer.unit}` : ''}`,
          `one-time password (shown once, must be changed at first login): ${oneTimePassword}`,
        ];
      }
      case 'officer list': {
        const rows = await this.officers.list({ bodyCode: c.body });
        return rows.map((o) => {
          const v = officerView(o);
          return [v.email, v.role, v.bodyCode ?? '-', v.unit ?? '-', v.disabledAt ? 'disabled' : v.lockedUntil && new Date(v.lockedUntil) > new Date() ? 'locked' : 'active'].join('\t');
        });
      }
      case 'officer disable': {
        const officer = await this.officerByEmail(c.email);
        await this.officers.disable(officer, CLI);
        return [`disabled ${officer.email}; their sessions ended`];
      }
      case 'officer reset-password': {
        const officer = await this.officerByEmail(c.email);
        const password = await this.officers.resetPassword(officer, CLI);
        return [`new one-time password for ${officer.email} (shown once): ${password}`];
      }
      case 'token create': {
        const body = this.bodies.describe(c.body);
        if (!body) throw new BadRequestException(`Instansi "${c.body}" tidak dikenal (kode wilayah seperti 32.73 atau slug instansi)`);
        const { apiToken, token } = await this.tokens.create({ bodyCode: body.code, name: c.name ?? 'cli', readOnly: !!c.readOnly }, CLI);
        return [`created ${apiToken.readOnly ? 'read-only ' : ''}API token ${apiToken.id} for ${body.name} (${body.code})`, `token (shown once): ${token}`];
      }
      case 'token list': {
        const rows = await this.tokens.list({ bodyCode: c.body });
        return rows.map((t) => {
          const v = apiTokenView(t);
          return [v.id, v.bodyCode, v.name, `${v.prefix}…`, v.readOnly ? 'read-only' : 'read-write', v.revokedAt ? `revoked ${v.revokedAt}` : 'active'].join('\t');
        });
      }
      case 'token revoke': {
        const token = await this.tokens.get(c.id);
        if (!token) throw new NotFoundException(`no token ${c.id}`);
        if (token.revokedAt) return [`token ${token.id} was already revoked`];
        await this.tokens.revoke(token, CLI);
        return [`revoked token ${token.id} (${token.name}, ${token.bodyCode})`];
      }
    }
  }

  private async officerByEmail(email: string) {
    const officer = await this.officers.findByEmail(email);
    if (!officer) throw new NotFoundException(`no official with e-mail ${email}`);
    return officer;
  }
}

