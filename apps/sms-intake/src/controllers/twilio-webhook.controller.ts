import { Body, Controller, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ZodBody } from '@lapor/runtime';
import { TwilioInboundSms, TwilioSmsAdapter, TwilioStatusCallback } from '../adapters/twilio/twilio-sms.adapter';
import { SmsIntakeService } from '../services/sms-intake.service';
import { TwilioSignatureGuard } from './twilio-signature.guard';

/**
 * The two URLs configured at Twilio (docs/channels/sms.md). Each answers 2xx only once
 * its event is durably on the bus; a bus failure is 503, and Twilio retries the webhook
 * with the same MessageSid, which the router registers once.
 */
@Controller('webhooks/twilio')
@UseGuards(TwilioSignatureGuard)
export class TwilioWebhookController {
  constructor(
    private readonly intake: SmsIntakeService,
    private readonly twilio: TwilioSmsAdapter,
  ) {}

  /** A citizen's SMS to 1708. Answered with empty TwiML: every reply is sent by the notifier. */
  @Post('sms')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async inbound(@Body(new ZodBody(TwilioInboundSms)) msg: TwilioInboundSms): Promise<string> {
    await this.intake.acceptMessage(msg);
    return this.twilio.emptyTwiml();
  }

  /** Delivery report for an SMS the notifier sent (StatusCallback). */
  @Post('status')
  @HttpCode(204)
  async status(@Body(new ZodBody(TwilioStatusCallback)) cb: TwilioStatusCallback): Promise<void> {
    await this.intake.acceptStatus(cb);
  }
}
