import { FakeTwilio } from '../../test/support/fake-twilio';
import { startFakeTelegram } from '../../test/support/fake-telegram';
import { startFakeX } from '../../test/support/fake-x';
import { startSmtpServer } from '../../test/support/smtp';

/** One message a vendor stand-in accepted, in one shape for every channel. */
export interface VendorSend {
  channel: 'sms' | 'email' | 'telegram' | 'x';
  /** The notifier's address for it: phone number, e-mail, chat id, X user id or `post:<id>`. */
  address: string;
  body: string;
  /**
   * The notifier's id of the notification where the vendor carries it (SMS: the attempt in
   * the StatusCallback URL; e-mail: the Message-ID), so a send is matched exactly.
   */
  notificationId?: string;
  /** E-mail: the X-Lapor-Notification header (the status change's dedupe key). */
  dedupeKey?: string;
  at: number;
}

export const CHAOS_TELEGRAM_TOKEN = '7000000001:AAH-chaos-harness-token';
export const CHAOS_X_ACCOUNT = '1580661436132757506';
export const CHAOS_X_CONSUMER_SECRET = 'chaos-consumer-secret';
export const CHAOS_TWILIO_SID = 'AC00000000000000000000000000000000';
export const CHAOS_TWILIO_TOKEN = 'chaos-auth-token-000000000000000';
export const CHAOS_TELEGRAM_SECRET = 'chaos_webhook-secret';

/**
 * The vendors' clouds, as the local stand-ins the tests use (test/support), reached by the
 * real client libraries: Twilio REST, the Telegram Bot API, the X API over HTTPS and a
 * real SMTP server. `sends()` reads what each recorded as one list.
 */
export async function startVendors() {
  const [twilio, telegram, x, smtp] = await Promise.all([new FakeTwilio().start(), startFakeTelegram(), startFakeX(), startSmtpServer()]);
  return {
    /** What the notifier processes need to reach the stand-ins. */
    env: {
      TWILIO_ACCOUNT_SID: CHAOS_TWILIO_SID,
      TWILIO_AUTH_TOKEN: CHAOS_TWILIO_TOKEN,
      TWILIO_FROM_NUMBER: '1708',
      TWILIO_API_BASE_URL: twilio.url,
      TELEGRAM_BOT_TOKEN: CHAOS_TELEGRAM_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: CHAOS_TELEGRAM_SECRET,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      X_CONSUMER_KEY: 'chaos-consumer-key',
      X_CONSUMER_SECRET: CHAOS_X_CONSUMER_SECRET,
      X_ACCESS_TOKEN: `${CHAOS_X_ACCOUNT}-chaos`,
      X_ACCESS_SECRET: 'chaos-access-secret',
      X_ACCOUNT_ID: CHAOS_X_ACCOUNT,
      X_API_ROOT: x.apiRoot,
      X_API_CA_FILE: x.caFile,
      SMTP_URL: smtp.url,
    } as Record<string, string>,
    sends(): VendorSend[] {
      const out: VendorSend[] = [];
      for (const m of twilio.messages) {
        const attempt = m.params.StatusCallback ? new URL(m.params.StatusCallback).searchParams.get('attempt') : null;
        out.push({ channel: 'sms', address: m.params.To, body: m.params.Body, notificationId: attempt?.split('.')[0], at: m.at.getTime() });
      }
      for (const m of telegram.sent) out.push({ channel: 'telegram', address: m.chatId, body: m.text, at: 0 });
      for (const r of x.requests) {
        if (r.method !== 'POST') continue;
        const dm = /^\/2\/dm_conversations\/with\/(\d+)\/messages$/.exec(r.path);
        if (dm) out.push({ channel: 'x', address: dm[1], body: String(r.body.text), at: 0 });
        else if (r.path === '/2/tweets') out.push({ channel: 'x', address: `post:${r.body.reply?.in_reply_to_tweet_id}`, body: String(r.body.text), at: 0 });
      }
      for (const { mail, rcptTo } of smtp.inbox) {
        const id = /^<?([0-9a-f-]{36})@/i.exec(mail.messageId ?? '')?.[1];
        const header = mail.headers.get('x-lapor-notification');
        for (const to of rcptTo) out.push({ channel: 'email', address: to, body: (mail.text ?? '').trim(), notificationId: id, dedupeKey: typeof header === 'string' ? header : undefined, at: mail.date?.getTime() ?? 0 });
      }
      return out;
    },
    counts: () => ({ sms: twilio.messages.length, telegram: telegram.sent.length, x: x.requests.length, email: smtp.inbox.length }),
    stop: async () => {
      await Promise.allSettled([twilio.stop(), telegram.stop(), x.stop(), smtp.stop()]);
    },
  };
}
export type Vendors = Awaited<ReturnType<typeof startVendors>>;
