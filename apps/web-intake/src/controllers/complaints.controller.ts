import { BadRequestException, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Req, ServiceUnavailableException, UnsupportedMediaTypeException } from '@nestjs/common';
import { BusUnavailableError } from '@lapor/bus';
import { checkTrackingId, ComplaintView, CreateComplaintResponse, RegionListing } from '@lapor/contracts';
import { Locale, translate, validationMessages, webMessages } from '@lapor/i18n';
import { hasMediaType, HttpRequest } from '@lapor/runtime';
import type { IncomingFile } from '@lapor/storage';
import { ComplaintReader } from '../clients/complaint-reader';
import { requestLocale } from '../http/request-locale';
import { ComplaintRequestValidator } from '../services/complaint-request.validator';
import { Region, RegionDirectory } from '../services/region-directory';
import { trackingIdProblem } from '../services/tracking-id-problem';
import { WebIntakeService } from '../services/web-intake.service';
import { isMultipart, readMultipart } from '../uploads/multipart';
import { attachmentHttpError, WebUploadLimits } from '../uploads/upload-limits';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The public complaint API for the web form and the mobile app (see /api/v1/openapi.json).
 * Answers, errors included, are in Bahasa Indonesia unless the client asks for English
 * (`Accept-Language: en`, `?lang=en`); the complaint keeps that language for every later message.
 */
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(
    private readonly intake: WebIntakeService,
    private readonly reader: ComplaintReader,
    private readonly limits: WebUploadLimits,
    private readonly validator: ComplaintRequestValidator,
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
    const { locale } = requestLocale(req);
    const say = (key: keyof typeof validationMessages) => translate(validationMessages, key, locale);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException({ message: say('idempotencyKey.message'), fields: { 'Idempotency-Key': [say('idempotencyKey.invalid')] } });
    }
    let raw: unknown;
    let files: IncomingFile[] = [];
    if (isMultipart(req)) {
      const multipart = await readMultipart(req, this.limits).catch((error) => Promise.reject(attachmentHttpError(error)));
      raw = parseComplaintPart(multipart.fields.complaint, locale);
      files = multipart.files;
    } else if (hasMediaType(req, 'application/json')) {
      raw = req.body ?? {};
    } else {
      throw new UnsupportedMediaTypeException(say('body.unsupportedType'));
    }
    const checked = this.validator.validate(raw, locale);
    if (!checked.ok) throw new BadRequestException({ message: say('body.invalid'), fields: checked.fields });
    try {
      return await this.intake.accept(checked.data, { channel: clientChannel === 'mobile' ? 'mobile' : 'web', idempotencyKey, locale }, files);
    } catch (error) {
      if (error instanceof BusUnavailableError) throw new ServiceUnavailableException(translate(webMessages, 'api.busy', locale));
      throw attachmentHttpError(error);
    }
  }

  @Get(':trackingId')
  async get(@Param('trackingId') raw: string, @Req() req: HttpRequest): Promise<ComplaintView> {
    const { locale } = requestLocale(req);
    const check = checkTrackingId(raw);
    if (!check.ok) throw new NotFoundException(trackingIdProblem(raw, locale));
    const view = await this.reader.get(check.trackingId).catch(() => Promise.reject(new ServiceUnavailableException(translate(webMessages, 'api.unavailable', locale))));
    if (!view) throw new NotFoundException(translate(webMessages, 'trackingId.notFound', locale));
    return view;
  }
}

/** The Kemendagri regions, for the form's place picker (with JavaScript) and for apps that let people choose a place. */
@Controller('api/v1/regions')
export class RegionsController {
  constructor(private readonly regions: RegionDirectory) {}

  @Get()
  provinces(): RegionListing {
    return { region: null, children: this.regions.children(null).map(summary) };
  }

  @Get(':code')
  region(@Param('code') code: string, @Req() req: HttpRequest): RegionListing {
    const region = this.regions.get(code);
    if (!region) throw new NotFoundException(translate(webMessages, 'api.regionNotFound', requestLocale(req).locale, { code }));
    return { region: summary(region), children: this.regions.children(region.code).map(summary) };
  }
}

function summary(r: Region) {
  return { code: r.code, name: r.name, level: r.level };
}

/** The multipart part `complaint`: the JSON body of a plain POST. */
function parseComplaintPart(part: string | undefined, locale: Locale): unknown {
  const fail = (key: 'body.complaintPartMissing' | 'body.malformedJson', field: string) => {
    const message = translate(validationMessages, key, locale);
    return new BadRequestException({ message, fields: { [field]: [message] } });
  };
  if (part === undefined) throw fail('body.complaintPartMissing', 'complaint');
  try {
    return JSON.parse(part);
  } catch {
    throw fail('body.malformedJson', 'complaint');
  }
}
