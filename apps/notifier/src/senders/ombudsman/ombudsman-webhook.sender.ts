import { Inject, Injectable, Logger } from '@nestjs/common';
import { AGENCY_WEBHOOK_HEADERS } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { ChannelSender, OutboundMessage, PermanentSendError, SendResult } from '../channel-sender';
import { postSignedWebhook } from '../webhook/agency-webhook.sender';

const H = AGENCY_WEBHOOK_HEADERS;

/**
 * POSTs a complaint the reporter forwarded to Ombudsman RI's intake (OMBUDSMAN_WEBHOOK_URL,
 * docs/ombudsman.md), signed exactly like the agency webhooks: `X-Lapor-Signature:
 * sha256=<hex HMAC-SHA256 of the raw body>`, here with OMBUDSMAN_WEBHOOK_SECRET itself as
 * the key (one receiver, so no per-body derivation), plus X-Lapor-Event
 * `complaint.escalated` and an X-Lapor-Delivery that is the same on every retry.
 */
@Injectable()
export class OmbudsmanWebhookSender implements ChannelSender {
  readonly channel = 'ombudsman' as const;
  readonly vendor = 'ombudsman-webhook';
  private readonly log = new Logger(OmbudsmanWebhookSender.name);
  private readonly secret?: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = config.env.OMBUDSMAN_WEBHOOK_SECRET;
    if (config.env.OMBUDSMAN_WEBHOOK_URL && !this.secret) this.log.warn('OMBUDSMAN_WEBHOOK_URL is set without OMBUDSMAN_WEBHOOK_SECRET: forwards to Ombudsman RI are not posted (unsigned posts are never sent)');
  }

  async send(url: string, message: OutboundMessage): Promise<SendResult> {
    if (!this.secret) throw new PermanentSendError('Ombudsman webhook is off: OMBUDSMAN_WEBHOOK_SECRET is not set', false);
    const delivery = message.headers[H.delivery];
    if (!delivery) throw new PermanentSendError(`Ombudsman webhook message without ${H.delivery}`, false);
    return postSignedWebhook(url, message, this.secret, { [H.event]: message.headers[H.event] ?? 'complaint.escalated', [H.delivery]: delivery });
  }
}
