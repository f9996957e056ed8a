import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { headerOf, HttpRequest } from '@lapor/runtime';
import { TwilioSmsAdapter } from '../adapters/twilio/twilio-sms.adapter';

/**
 * Runs before the body is validated or anything is published: without a configured auth
 * token the route answers 503 with the reason; a missing or wrong X-Twilio-Signature is 403.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly log = new Logger('TwilioWebhook');

  constructor(private readonly twilio: TwilioSmsAdapter) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<HttpRequest>();
    if (!this.twilio.configured) {
      throw new ServiceUnavailableException('Layanan SMS belum dikonfigurasi (TWILIO_AUTH_TOKEN is not set, so Twilio webhooks cannot be verified)');
    }
    if (!this.twilio.verifySignature(req)) {
      this.log.warn(`refused ${req.originalUrl}: ${headerOf(req, 'x-twilio-signature') ? 'signature does not match' : 'no X-Twilio-Signature'} (signed URL expected: ${this.twilio.signedUrl(req)})`);
      throw new ForbiddenException('Tanda tangan Twilio tidak valid (missing or invalid X-Twilio-Signature)');
    }
    return true;
  }
}
