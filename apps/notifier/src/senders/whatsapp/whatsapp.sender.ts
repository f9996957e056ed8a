import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@lapor/runtime/config';
import { APP_CONFIG } from '@lapor/runtime/tokens';
import { ChannelSender, OutboundMessage, PermanentSendError, RetryLaterError, SendResult, transportFailure } from '../channel-sender';

/** Graph API error codes. https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes */
const OUTSIDE_WINDOW = 131047; // Re-engagement message: more than 24 hours since the customer last wrote.
/** The number cannot be reached on WhatsApp (not on WhatsApp, undeliverable, our own number, not registered). */
const DEAD_RECIPIENT = new Set([131026, 131021, 133010]);
/** Throughput and spam limits: wait and try again. */
const RATE_LIMITED = new Set([4, 80007, 130429, 131048, 131056]);
/** The request itself is wrong (a template or parameter problem): no retry helps, but the number is fine. */
const BAD_REQUEST = new Set([100, 131008, 131009, 131051, 132000, 132001, 132005, 132007, 132012, 132015, 132016]);

interface GraphError {
  error?: { code?: number; error_subcode?: number; message?: string; error_data?: { details?: string } };
}

/**
 * WhatsApp through the Cloud API (POST {WHATSAPP_API_ROOT}/{WHATSAPP_PHONE_NUMBER_ID}/messages
 * with the access token). Inside the 24-hour customer-service window a free-form text; when
 * Meta answers that the window is closed (131047), the approved template
 * (WHATSAPP_TEMPLATE_NAME / _LANGUAGE) with the text as its one body parameter.
 * Without the phone number id and token the registry sends to OUTBOX_DIR/whatsapp.
 *
 * - 131026 and friends: the number cannot receive WhatsApp: PermanentSendError, marked unreachable.
 * - 130429 / 131056 / 80007: rate limits, retried later.
 * - a template or parameter error: permanent for this message, the number stays reachable.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages,
 * https://developers.facebook.com/docs/whatsapp/pricing#customer-service-windows
 */
@Injectable()
export class WhatsAppCloudSender implements ChannelSender {
  readonly channel = 'whatsapp' as const;
  readonly vendor = 'meta-cloud-api';
  private readonly log = new Logger('WhatsAppSender');
  private readonly url?: string;
  private readonly token?: string;
  private readonly template: { name: string; language: string };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const env = config.env;
    this.template = { name: env.WHATSAPP_TEMPLATE_NAME, language: env.WHATSAPP_TEMPLATE_LANGUAGE };
    if (!env.WHATSAPP_PHONE_NUMBER_ID || !env.WHATSAPP_ACCESS_TOKEN) return;
    this.url = `${env.WHATSAPP_API_ROOT.replace(/\/+$/, '')}/${encodeURIComponent(env.WHATSAPP_PHONE_NUMBER_ID)}/messages`;
    this.token = env.WHATSAPP_ACCESS_TOKEN;
  }

  get configured(): boolean {
    return !!this.url;
  }

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    if (!this.url) throw new Error('WhatsApp is not configured (WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_ACCESS_TOKEN)');
    const text = { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { preview_url: false, body: message.body } };
    try {
      return await this.post(text);
    } catch (error) {
      if (!(error instanceof OutsideWindow)) throw error;
      this.log.debug(`outside the 24-hour window for ${to}: sending template ${this.template.name}`);
      // A template parameter may not carry line breaks, tabs or more than four spaces in a row.
      const parameter = message.body.replace(/\s+/g, ' ').trim().slice(0, 1000);
      return this.post({
        messaging_product: 'whatsapp',
        to,
        type: 'template',
        template: { name: this.template.name, language: { code: this.template.language }, components: [{ type: 'body', parameters: [{ type: 'text', text: parameter }] }] },
      });
    }
  }

  isPermanentDeliveryError(code: string): boolean {
    return DEAD_RECIPIENT.has(Number(code));
  }

  private async post(body: unknown): Promise<SendResult> {
    let res: Response;
    try {
      res = await fetch(this.url!, { method: 'POST', headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw transportFailure('WhatsApp', error);
    }
    const answer = (await res.json().catch(() => ({}))) as GraphError & { messages?: Array<{ id?: string }> };
    const id = answer.messages?.[0]?.id;
    if (res.ok && id) return { externalId: id };
    const code = answer.error?.code;
    const what = `WhatsApp ${res.status} (${code ?? 'no code'}): ${(answer.error?.error_data?.details ?? answer.error?.message ?? 'no answer body').slice(0, 300)}`;
    if (code === OUTSIDE_WINDOW) throw new OutsideWindow(what);
    if (code !== undefined && DEAD_RECIPIENT.has(code)) throw new PermanentSendError(what, true, String(code));
    if ((code !== undefined && RATE_LIMITED.has(code)) || res.status === 429) {
      const after = Number(res.headers.get('retry-after'));
      throw new RetryLaterError(what, Number.isFinite(after) && after > 0 ? after * 1000 : 60_000);
    }
    if (code !== undefined && BAD_REQUEST.has(code)) throw new PermanentSendError(what, false, String(code));
    throw new Error(what); // 5xx, 131000, an expired token: retried with backoff
  }
}

class OutsideWindow extends Error {}
