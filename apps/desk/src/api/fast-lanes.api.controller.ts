import { Body, Controller, Get, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import { FastLaneInput, FastLaneView } from '@lapor/contracts';
import { ZodBody } from '@lapor/runtime';
import type { Request } from 'express';
import { Access, Surface } from '../access/access.decorator';
import { clientAddress } from '../access/cookies';
import { CurrentPrincipal, DeskAuthGuard } from '../access/desk-auth.guard';
import { Principal } from '../access/principal';
import { FastLanesService } from '../fast-lanes/fast-lanes.service';

/** Fast lanes (docs/fast-lanes.md): declared, changed and switched on/off by the national admin only; audited. */
@Controller('desk/v1/fast-lanes')
@Surface('api')
@UseGuards(DeskAuthGuard)
@Access({ roles: ['national-admin'] })
export class FastLanesApiController {
  constructor(private readonly lanes: FastLanesService) {}

  @Get()
  async list(): Promise<FastLaneView[]> {
    return (await this.lanes.list()).map((l) => this.lanes.view(l));
  }

  @Post()
  async create(@CurrentPrincipal() p: Principal, @Body(new ZodBody(FastLaneInput)) input: FastLaneInput, @Req() req: Request): Promise<FastLaneView> {
    return this.lanes.view(await this.lanes.create(p, input, clientAddress(req)));
  }

  @Put(':laneId')
  async update(@CurrentPrincipal() p: Principal, @Param('laneId') id: string, @Body(new ZodBody(FastLaneInput)) input: FastLaneInput, @Req() req: Request): Promise<FastLaneView> {
    return this.lanes.view(await this.lanes.update(p, id, input, clientAddress(req)));
  }
}
