import { BadRequestException, Body, Controller, ForbiddenException, Get, Headers, HttpCode, Post, Query, Req, ServiceUnavailableException } from '@nestjs/common';
import type { HttpRequest } from '@lapor/runtime';
import { XAccountActivityAdapter } from '../adapters/x/x.adapter';
import { SocialIntakeService } from '../services/social-intake.service';

/** X Account Activity webhook: the CRC challenge (GET) and signed events (POST). */
@Controller('webhooks/x')
export class XWebhookController {
  constructor(
    private readonly adapter: XAccountActivityAdapter,
    private readonly intake: SocialIntakeService,
  ) {}

  /** X checks the URL at registration and hourly; it must answer within 3 s. */
  @Get()
  crc(@Query('crc_token') crcToken: string | undefined) {
    if (this.adapter.settings.off) throw new ServiceUnavailableException(this.adapter.settings.off);
    if (!crcToken || typeof crcToken !== 'string') throw new BadRequestException('crc_token missing');
    return this.adapter.crcResponse(crcToken);
  }

  /** 403 (nothing published) unless the body is signed with our consumer secret; 200 once durably on the bus. */
  @Post()
  @HttpCode(200)
  async receive(@Req() req: HttpRequest, @Headers('x-twitter-webhooks-signature') signature: string | undefined, @Body() body: unknown) {
    if (this.adapter.settings.off) throw new ServiceUnavailableException(this.adapter.settings.off);
    if (!this.adapter.verifySignature(req.rawBody, signature)) throw new ForbiddenException('x-twitter-webhooks-signature missing or invalid');
    return this.intake.acceptXActivity(body);
  }
}
