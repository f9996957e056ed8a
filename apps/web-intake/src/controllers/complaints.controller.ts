import { BadRequestException, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { checkTrackingId, ComplaintView, CreateComplaintRequest, CreateComplaintResponse } from '@lapor/contracts';
import { hasMediaType, HttpRequest, MALFORMED_JSON, ZodBody } from '@lapor/runtime';
import type { IncomingFile } from '@lapor/storage';
import { ComplaintReader } from '../clients/complaint-reader';
import { WebIntakeService } from '../services/web-intake.service';
import { isMultipart, readMultipart } from '../uploads/multipart';
import { attachmentHttpError, WebUploadLimits } from '../uploads/upload-limits';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** The public complaint API for the web form and the mobile app (see /api/v1/openapi.json). */
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly intake: WebIntakeService,
    private readonly reader: ComplaintReader,
    private readonly limits: WebUploadLimits,
  ) {}

  /**
   * 202 only once the complaint is durably on the bus (and its files in the attachment store);
   * 503 (nothing published) when it could not be. JSON, or multipart/form-data with the same
   * JSON in the part `complaint` and the photos/documents as file parts (README "Attachments").
   */
  @Post()
  @HttpCode(202)
  async create(
    @Req() req: HttpRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('x-client-channel') clientChannel: string | undefined,
  ): Promise<CreateComplaintResponse> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException({ message: 'Idempotency-Key tidak valid', fields: { 'Idempotency-Key': ['1–200 printable ASCII characters, e.g. a UUID'] } });
    }
    let raw: unknown;
    let files: IncomingFile[] = [];
    if (isMultipart(req)) {
      const multipart = await readMultipart(req, this.limits).catch((error) => Promise.reject(attachmentHttpError(error)));
      raw = parseComplaintPart(multipart.fields.complaint);
      files = multipart.files;
    } else if (hasMediaType(req, 'application/json')) {
      raw = req.body;
    } else {
      throw new UnsupportedMediaTypeException('Kirim data sebagai application/json atau multipart/form-data (Content-Type must be application/json or multipart/form-data)');
    }
    const body = new ZodBody(CreateComplaintRequest).transform(raw);
    return this.intake.accept(body, { channel: clientChannel === 'mobile' ? 'mobile' : 'web', idempotencyKey }, files).catch((error) => Promise.reject(attachmentHttpError(error)));
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

/** The multipart part `complaint`: the JSON body of a plain POST. */
function parseComplaintPart(part: string | undefined): unknown {
  if (part === undefined) throw new BadRequestException({ message: 'Bagian "complaint" (JSON laporan) tidak ada (multipart part "complaint" is missing)', fields: { complaint: ['wajib diisi (required)'] } });
  try {
    return JSON.parse(part);
  } catch {
    throw new BadRequestException(MALFORMED_JSON);
  }
}
