import { Body, Controller, Get, Put, Req, UseGuards } from '@nestjs/common';
import { DeadlinePolicyDocument, SetDeadlinePolicyRequest } from '@lapor/contracts';
import { ZodBody } from '@lapor/runtime';
import type { Request } from 'express';
import { Access, ALL_ROLES, Surface } from '../access/access.decorator';
import { clientAddress } from '../access/cookies';
import { CurrentPrincipal, DeskAuthGuard } from '../access/desk-auth.guard';
import { Principal } from '../access/principal';
import { DeadlinePolicyService, policyDocument } from '../deadlines/deadline-policy.service';

/**
 * The deadline policy (docs/deadlines.md): every official and body token may read it (their
 * deadlines come from it); only the national admin changes it, as a new audited version that
 * applies to stages starting afterwards.
 */
@Controller('desk/v1')
@Surface('api')
@UseGuards(DeskAuthGuard)
export class DeadlinePolicyApiController {
  constructor(private readonly policies: DeadlinePolicyService) {}

  @Get('deadline-policy')
  @Access({ roles: ALL_ROLES, tokens: true })
  async get(): Promise<DeadlinePolicyDocument> {
    return policyDocument(await this.policies.current());
  }

  @Put('deadline-policy')
  @Access({ roles: ['national-admin'] })
  async set(@CurrentPrincipal() p: Principal, @Body(new ZodBody(SetDeadlinePolicyRequest)) input: SetDeadlinePolicyRequest, @Req() req: Request): Promise<DeadlinePolicyDocument> {
    return policyDocument(await this.policies.set(p, input.policy, clientAddress(req)));
  }
}
