import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { checkTrackingId, ComplaintView } from '@lapor/contracts';
import { ComplaintQueryService } from '../services/complaint-query.service';

/**
 * Internal read API (web-intake and the channel apps answer citizens from it). Keep
 * /internal off the public ingress; the public route is web-intake's /api/v1/complaints.
 */
@Controller('internal/v1/complaints')
export class ComplaintsController {
  constructor(private readonly query: ComplaintQueryService) {}

  @Get(':trackingId')
  async get(@Param('trackingId') raw: string): Promise<ComplaintView> {
    const check = checkTrackingId(raw);
    if (!check.ok) throw new NotFoundException(`invalid tracking id (${check.reason})`);
    const view = await this.query.view(check.trackingId);
    if (!view) throw new NotFoundException('complaint not found');
    return view;
  }
}
