import { Controller, Get, Inject, Req } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import type { Request } from 'express';
import { Access, Surface } from '../access/access.decorator';
import { deskOpenApiDocument } from './openapi';

@Controller('desk/v1')
@Surface('api')
@Access({ public: true })
export class DeskOpenApiController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('openapi.json')
  document(@Req() req: Request) {
    const base = this.config.env.DESK_PUBLIC_URL ?? this.config.env.PUBLIC_BASE_URL ?? `${req.protocol}://${req.get('host')}`;
    return deskOpenApiDocument(base.replace(/\/$/, ''));
  }
}
