import { Inject, Injectable } from '@nestjs/common';
import { ChannelCommand, ChannelNotice, ComplaintInbound, DeliveryStatus, isMeaningfulText, trackingIdFor } from '@lapor/contracts';
import { APP_CONFIG, AppConfig, EventPublisher, PendingEvent } from '@lapor/runtime';
import { TwilioInboundSms, TwilioSmsAdapter, TwilioStatusCallback } from '../adapters/twilio/twilio-sms.adapter';
import { parseSmsBody } from '../keywords/sms-keywords';

export type InboundOutcome = 'complaint' | 'command' | 'help' | 'too_long';

/**
 * Turns one inbound SMS into exactly one event and publishes it; resolves only when the
 * event is durable, so the webhook's 2xx means "stored" and a bus failure means Twilio
 * retries. Stateless: follow-up threading and rate limits are the router's, who sees
 * every replica's messages.
 */
@Injectable()
export class SmsIntakeService {
  constructor(
    private readonly twilio: TwilioSmsAdapter,
    private readonly events: EventPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async acceptMessage(msg: TwilioInboundSms, receivedAt = new Date()): Promise<InboundOutcome> {
    const { event, outcome } = await this.toEvent(msg, receivedAt);
    await this.events.publish(event);
    return outcome;
  }

  /** False when Twilio reports a status that is not about our sends (nothing to record). */
  async acceptStatus(cb: TwilioStatusCallback, reportedAt = new Date()): Promise<boolean> {
    const status = this.twilio.toDeliveryStatus(cb, reportedAt);
    if (!status) return false;
    await this.events.publish(this.events.event(DeliveryStatus, status, `sms:${cb.MessageSid}`));
    return true;
  }

  private async toEvent(msg: TwilioInboundSms, receivedAt: Date): Promise<{ event: PendingEvent; outcome: InboundOutcome }> {
    const correlationId = trackingIdFor('sms', msg.MessageSid);
    const intent = parseSmsBody(msg.Body);
    // A photo without words is still a complaint; an empty SMS, or one with only emoji or
    // invisible characters, is someone asking how this works.
    const wordless = intent.kind === 'empty' || (intent.kind === 'complaint' && !isMeaningfulText(intent.text));
    if (wordless && msg.NumMedia === 0) {
      return { outcome: 'help', event: this.events.event(ChannelCommand, this.twilio.toCommand(msg, 'help', undefined, receivedAt), correlationId) };
    }
    if (intent.kind === 'command') {
      return { outcome: 'command', event: this.events.event(ChannelCommand, this.twilio.toCommand(msg, intent.command, intent.argument, receivedAt), correlationId) };
    }
    const text = intent.kind === 'complaint' ? intent.text : '';
    const limit = this.config.env.SMS_MAX_BODY_CHARS;
    // Characters as people count them (code points), not UTF-16 units: an emoji is one.
    if ([...text].length > limit) {
      return {
        outcome: 'too_long',
        event: this.events.event(
          ChannelNotice,
          { channel: 'sms', senderId: msg.From, inReplyTo: msg.MessageSid, notice: 'body_too_long', onceKey: `body_too_long:sms:${msg.MessageSid}`, limit, locale: 'id' },
          correlationId,
        ),
      };
    }
    return { outcome: 'complaint', event: this.events.event(ComplaintInbound, await this.twilio.withStoredMedia(this.twilio.toInbound(msg, text, receivedAt)), correlationId) };
  }
}
