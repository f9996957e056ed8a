import { BadRequestException, Body, Controller, Get, HttpCode, Logger, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { AgencyComplaintView, ApplyActionRequest, checkTrackingId, ComplaintView, PublicComplaintList, PublicComplaintQuery, ReporterIdentity } from '@lapor/contracts';
import { ZodBody } from '@lapor/runtime';
import { ComplaintLifecycleService } from '../services/complaint-lifecycle.service';
import { ComplaintQueryService } from '../services/complaint-query.service';
import { PublicComplaintsService } from '../services/public-complaints.service';

/** A tracking id from a path, or 404 (a mistyped id never reaches another complaint). */
function trackingIdOf(raw: string): string {
  const check = checkTrackingId(raw);
  if (!check.ok) throw new NotFoundException(`invalid tracking id (${check.reason})`);
  return check.trackingId;
}

/**
 * Internal API of the record's owner (keep /internal off the public ingress): the
 * citizen's view (web-intake answers citizens from it), the lifecycle's actions (the
 * desk, and web-intake for a web reporter's objection or confirmation), and the
 * reporter's identity for the national admin's audited reveal.
 */
@Controller('internal/v1/complaints')
export class ComplaintsController {
  private readonly log = new Logger('IdentityReveal');

  constructor(
    private readonly query: ComplaintQueryService,
    private readonly lifecycle: ComplaintLifecycleService,
  ) {}

  @Get(':trackingId')
  async get(@Param('trackingId') raw: string): Promise<ComplaintView> {
    const view = await this.query.view(trackingIdOf(raw));
    if (!view) throw new NotFoundException('complaint not found');
    return view;
  }

  /** 200 with the complaint after the action; 400 bad body; 404 unknown complaint; 409 not allowed now (the reason says why). */
  @Post(':trackingId/actions')
  @HttpCode(200)
  async act(@Param('trackingId') raw: string, @Body(new ZodBody(ApplyActionRequest)) body: ApplyActionRequest): Promise<AgencyComplaintView> {
    return this.lifecycle.apply(trackingIdOf(raw), body);
  }

  /**
   * The reporter's identity, for the national admin's explicit, reasoned reveal: the desk
   * checks the role, audits the read and passes `officer` and `reason`, which are logged
   * here too (never the identity itself).
   */
  @Get(':trackingId/reporter')
  async reporter(@Param('trackingId') raw: string, @Query('officer') officer?: string, @Query('reason') reason?: string): Promise<{ anonymous: boolean; reporter: ReporterIdentity | null }> {
    const trackingId = trackingIdOf(raw);
    if (!officer?.trim() || !reason?.trim()) throw new BadRequestException('Pembukaan identitas pelapor memerlukan petugas dan alasan (officer and reason query parameters)');
    const found = await this.query.reporter(trackingId);
    if (!found) throw new NotFoundException('complaint not found');
    this.log.warn(`reporter identity of ${trackingId}${found.anonymous ? ' (Anonim)' : ''} read by officer ${officer.slice(0, 100)}: ${reason.slice(0, 500)}`);
    return { anonymous: found.anonymous, reporter: found.identity };
  }
}

/** What the desk shows officials: `GET /internal/v1/agency/complaints/{trackingId}` (reporter null for Anonim). */
@Controller('internal/v1/agency/complaints')
export class AgencyComplaintsController {
  constructor(private readonly query: ComplaintQueryService) {}

  @Get(':trackingId')
  async get(@Param('trackingId') raw: string): Promise<AgencyComplaintView> {
    const view = await this.query.agencyView(trackingIdOf(raw));
    if (!view) throw new NotFoundException('complaint not found');
    return view;
  }
}

/**
 * `GET /internal/v1/public/complaints`: the public, read-only query behind Open311's request
 * lists and reads (web-intake). Never a Rahasia complaint, never anything about the reporter.
 */
@Controller('internal/v1/public/complaints')
export class PublicComplaintsController {
  constructor(private readonly complaints: PublicComplaintsService) {}

  @Get()
  list(@Query(new ZodBody(PublicComplaintQuery, 'Parameter pencarian tidak valid (invalid query)')) query: PublicComplaintQuery): Promise<PublicComplaintList> {
    return this.complaints.list(query);
  }
}
