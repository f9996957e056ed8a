import { BadRequestException, Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { checkTrackingId, ComplaintView, CreateComplaintRequest, CreateComplaintResponse } from '@lapor/contracts';
import { RequireJson, ZodBody } from '@lapor/runtime';
import { ComplaintReader } from '../clients/complaint-reader';
import { WebIntakeService } from '../services/web-intake.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The public complaint API for the web form and the mobile app (see /api/v1/openapi.json). */
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly intake: WebIntakeService,
    private readonly reader: ComplaintReader,
  ) {}

  /** 202 only once the complaint is durably on the bus; 503 (nothing stored) when it could not be. */
  @Post()
  @HttpCode(202)
  @UseGuards(RequireJson)
  async create(
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('x-client-channel') clientChannel: string | undefined,
    @Body(new ZodBody(CreateComplaintRequest)) body: CreateComplaintRequest,
  ): Promise<CreateComplaintResponse> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException({ message: 'Idempotency-Key tidak valid', fields: { 'Idempotency-Key': ['1–200 printable ASCII characters, e.g. a UUID'] } });
    }
    return this.intake.accept(body, { channel: clientChannel === 'mobile' ? 'mobile' : 'web', idempotencyKey });
  }

  @Get(':trackingId')
  async get(@Param('trackingId') raw: string): Promise<ComplaintView> {
    const check = checkTrackingId(raw);
    if (!check.ok) {
      throw new NotFoundException(
        check.reason === 'checksum'
          ? 'Nomor pelacakan salah ketik: karakter pemeriksa tidak cocok (tracking id mistyped: check character does not match)'
          : 'Nomor pelacakan tidak dikenal: harus 11 karakter (tracking id malformed: 11 characters expected)',
      );
    }
    const view = await this.reader.get(check.trackingId);
    if (!view) throw new NotFoundException('Laporan tidak ditemukan; laporan yang baru dikirim muncul dalam beberapa detik (complaint not found)');
    return view;
  }
}
