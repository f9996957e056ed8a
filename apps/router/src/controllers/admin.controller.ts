import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { checkTrackingId, normalizeText } from '@lapor/contracts';
import { ZodBody } from '@lapor/runtime';
import { z } from 'zod';
import { AdminQueueService } from '../services/admin-queue.service';
import { AdminTokenGuard } from './admin-token.guard';

/** Free text is normalized like every other text that enters (normalizeText), so a stray control character never reaches the record. */
const FreeText = (max: number) => z.string().overwrite(normalizeText).trim().max(max);
const AssignRequest = z.object({ code: z.string().min(1).max(80), unit: FreeText(300).min(1).optional(), by: FreeText(100).optional() });

/**
 * For the national admin (triage queue) and each body's admin (complaints whose unit the
 * model was unsure of). Keep /admin on the internal network, like /internal.
 */
@Controller('admin/v1')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(private readonly admin: AdminQueueService) {}

  /** `?body=35.78` lists that body's unit-review queue; without it, the national triage queue. */
  @Get('queue')
  queue(@Query('body') body?: string, @Query('limit') limit?: string) {
    return this.admin.queue({ body, limit: Math.min(500, Math.max(1, Number(limit) || 50)) });
  }

  @Post('complaints/:trackingId/assignment')
  @HttpCode(204)
  async assign(@Param('trackingId') raw: string, @Body(new ZodBody(AssignRequest)) body: z.infer<typeof AssignRequest>) {
    const check = checkTrackingId(raw);
    if (!check.ok) throw new NotFoundException(`invalid tracking id (${check.reason})`);
    await this.admin.assign(check.trackingId, body);
  }
}
