import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { CreateApiTokenRequest, CreateOfficerRequest, SetWebhookRequest, SetWorkingWeekRequest } from '@lapor/contracts';
import { ZodBody } from '@lapor/runtime';
import type { Request } from 'express';
import { Access, MANAGERS, Surface } from '../access/access.decorator';
import { clientAddress } from '../access/cookies';
import { CurrentPrincipal, DeskAuthGuard } from '../access/desk-auth.guard';
import { Principal } from '../access/principal';
import { apiTokenView } from '../accounts/api-tokens.service';
import { ManagementService } from '../accounts/management.service';
import { officerView } from '../accounts/officers.service';

/** Officials, API tokens, webhook settings and the audit log of a body: liaisons (own body) and the national admin. */
@Controller('desk/v1')
@Surface('api')
@UseGuards(DeskAuthGuard)
@Access({ roles: MANAGERS })
export class ManagementApiController {
  constructor(private readonly manage: ManagementService) {}

  @Get('officers')
  async officers(@CurrentPrincipal() p: Principal, @Query('body') body?: string) {
    return (await this.manage.listOfficers(p, body)).map(officerView);
  }

  @Post('officers')
  async createOfficer(@CurrentPrincipal() p: Principal, @Body(new ZodBody(CreateOfficerRequest)) input: CreateOfficerRequest) {
    const { officer, oneTimePassword } = await this.manage.createOfficer(p, input);
    return { officer: officerView(officer), oneTimePassword };
  }

  @Post('officers/:officerId/disable')
  @HttpCode(200)
  async disable(@CurrentPrincipal() p: Principal, @Param('officerId') id: string) {
    return officerView(await this.manage.disableOfficer(p, id));
  }

  @Post('officers/:officerId/reset-password')
  @HttpCode(200)
  async reset(@CurrentPrincipal() p: Principal, @Param('officerId') id: string) {
    const { officer, oneTimePassword } = await this.manage.resetPassword(p, id);
    return { officer: officerView(officer), oneTimePassword };
  }

  @Get('tokens')
  async tokens(@CurrentPrincipal() p: Principal, @Query('body') body?: string) {
    return (await this.manage.listTokens(p, body)).map(apiTokenView);
  }

  @Post('tokens')
  async createToken(@CurrentPrincipal() p: Principal, @Body(new ZodBody(CreateApiTokenRequest)) input: CreateApiTokenRequest) {
    const { apiToken, token } = await this.manage.createToken(p, input);
    return { apiToken: apiTokenView(apiToken), token };
  }

  @Delete('tokens/:tokenId')
  async revoke(@CurrentPrincipal() p: Principal, @Param('tokenId') id: string) {
    return apiTokenView(await this.manage.revokeToken(p, id));
  }

  @Get('bodies/:bodyCode/webhook')
  webhook(@CurrentPrincipal() p: Principal, @Param('bodyCode') body: string) {
    return this.manage.webhook(p, body);
  }

  @Put('bodies/:bodyCode/webhook')
  setWebhook(@CurrentPrincipal() p: Principal, @Param('bodyCode') body: string, @Body(new ZodBody(SetWebhookRequest)) input: SetWebhookRequest, @Req() req: Request) {
    return this.manage.setWebhook(p, body, input.url, clientAddress(req));
  }

  @Post('bodies/:bodyCode/webhook/rotate')
  @HttpCode(200)
  rotate(@CurrentPrincipal() p: Principal, @Param('bodyCode') body: string, @Req() req: Request) {
    return this.manage.rotateWebhookKey(p, body, clientAddress(req));
  }

  @Delete('bodies/:bodyCode/webhook')
  @HttpCode(204)
  async removeWebhook(@CurrentPrincipal() p: Principal, @Param('bodyCode') body: string, @Req() req: Request) {
    await this.manage.removeWebhook(p, body, clientAddress(req));
  }

  @Get('bodies/:bodyCode/working-week')
  workingWeek(@CurrentPrincipal() p: Principal, @Param('bodyCode') body: string) {
    return this.manage.workingWeek(p, body);
  }

  @Put('bodies/:bodyCode/working-week')
  setWorkingWeek(@CurrentPrincipal() p: Principal, @Param('bodyCode') body: string, @Body(new ZodBody(SetWorkingWeekRequest)) input: SetWorkingWeekRequest, @Req() req: Request) {
    return this.manage.setWorkingWeek(p, body, input.sixDayWeek, clientAddress(req));
  }

  @Get('audit')
  async audit(@CurrentPrincipal() p: Principal, @Query('body') body?: string, @Query('trackingId') trackingId?: string) {
    return (await this.manage.auditLog(p, { body, trackingId })).map((a) => ({ at: a.at.toISOString(), actor: { kind: a.actorKind, label: a.actorLabel }, action: a.action, trackingId: a.trackingId, bodyCode: a.bodyCode, clientAddress: a.clientAddress, detail: a.detail }));
  }
}
