import { Body, Controller, Get, Header, Headers, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ComplaintAction, DeskComplaintDetail, DeskComplaintPage, DeskComplaintQuery, RevealReporterRequest } from '@lapor/contracts';
import { ZodBody } from '@lapor/runtime';
import type { Request, Response } from 'express';
import { Access, Surface } from '../access/access.decorator';
import { clientAddress } from '../access/cookies';
import { CurrentPrincipal, DeskAuthGuard, ScopedComplaint } from '../access/desk-auth.guard';
import { Principal } from '../access/principal';
import { DeskAttachmentsService } from '../complaints/desk-attachments.service';
import { DeskComplaintsService } from '../complaints/desk-complaints.service';
import { toCsv } from '../complaints/csv';
import { DeskComplaintEntity } from '../entities';
import { ZodQuery } from './zod-query';

/** The officer API over complaints (`/desk/v1`): bearer token or session cookie; scope checked by DeskAuthGuard. */
@Controller('desk/v1')
@Surface('api')
@UseGuards(DeskAuthGuard)
@Access({ tokens: true })
export class ComplaintsApiController {
  constructor(
    private readonly complaints: DeskComplaintsService,
    private readonly attachments: DeskAttachmentsService,
  ) {}

  @Get('complaints')
  list(@CurrentPrincipal() principal: Principal, @Query(new ZodQuery(DeskComplaintQuery)) query: DeskComplaintQuery): Promise<DeskComplaintPage> {
    return this.complaints.list(principal, query);
  }

  @Get('complaints.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  async export(@CurrentPrincipal() principal: Principal, @Query(new ZodQuery(DeskComplaintQuery)) query: DeskComplaintQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const rows = await this.complaints.export(principal, query, clientAddress(req));
    res.setHeader('Content-Disposition', `attachment; filename="laporan-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.send(toCsv(rows));
  }

  @Get('complaints/:trackingId')
  @Access({ tokens: true, complaint: true, copies: true })
  detail(@CurrentPrincipal() principal: Principal, @ScopedComplaint() complaint: DeskComplaintEntity, @Req() req: Request): Promise<DeskComplaintDetail> {
    return this.complaints.detail(principal, complaint, clientAddress(req));
  }

  /**
   * One of the complaint's stored files (photos without their EXIF). For the console too (the
   * session cookie works here). Never cached by a shared proxy; never sniffed into HTML.
   */
  @Get('complaints/:trackingId/attachments/:sha256')
  @Access({ tokens: true, complaint: true })
  async attachment(@CurrentPrincipal() principal: Principal, @ScopedComplaint() complaint: DeskComplaintEntity, @Param('sha256') sha256: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { attachment, body } = await this.attachments.download(principal, complaint, sha256, clientAddress(req));
    const name = (attachment.name ?? `lampiran-${sha256.slice(0, 8)}`).replace(/[^\w.\- ]/g, '_');
    res.setHeader('Content-Type', attachment.mimeType ?? 'application/octet-stream');
    res.setHeader('Content-Disposition', `${attachment.kind === 'image' ? 'inline' : 'attachment'}; filename="${name}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.send(body);
  }

  @Post('complaints/:trackingId/actions')
  @HttpCode(200)
  @Access({ tokens: true, complaint: true })
  act(
    @CurrentPrincipal() principal: Principal,
    @ScopedComplaint() complaint: DeskComplaintEntity,
    @Body(new ZodBody(ComplaintAction)) action: ComplaintAction,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
  ): Promise<DeskComplaintDetail> {
    const key = idempotencyKey && /^[\x21-\x7e]{1,150}$/.test(idempotencyKey) ? `api:${idempotencyKey}` : undefined;
    return this.complaints.act(principal, complaint, action, clientAddress(req), { idempotencyKey: key });
  }

  /** The national admin's explicit reveal of a reporter's identity, with a reason; audit-logged. */
  @Post('complaints/:trackingId/reporter')
  @HttpCode(200)
  @Access({ roles: ['national-admin'], complaint: true })
  async reveal(@CurrentPrincipal() principal: Principal, @ScopedComplaint() complaint: DeskComplaintEntity, @Body(new ZodBody(RevealReporterRequest)) body: RevealReporterRequest, @Req() req: Request) {
    return { trackingId: complaint.trackingId, reporter: await this.complaints.revealReporter(principal, complaint, body.reason, clientAddress(req)) };
  }
}
