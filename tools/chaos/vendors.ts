import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { FakeTwilio } from '../../test/support/fake-twilio';
import { startFakeTelegram } from '../../test/support/fake-telegram';
import { startFakeX } from '../../test/support/fake-x';

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

interface RecordedMail {
  rcptTo: string[];
  messageId?: string;
  notification?: string;
  body: string;
  at: number;
}

/**
 * A real SMTP server (smtp-server) that records each mail's recipients, Message-ID,
 * X-Lapor-Notification header and body. Unlike test/support/smtp.ts it does not parse MIME
 * (cheaper at hundreds of mails a second) and it survives a client that vanishes mid-session,
 * as a notifier killed with kill -9 does.
 */
async function startSmtpRecorder(): Promise<{ url: string; inbox: RecordedMail[]; stop(): Promise<void> }> {
  const inbox: RecordedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const split = raw.search(/\r?\n\r?\n/);
        const head = (split >= 0 ? raw.slice(0, split) : raw).replace(/\r?\n[ \t]+/g, ' ');
        const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim();
        inbox.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), messageId: header('Message-ID'), notification: header('X-Lapor-Notification'), body: split >= 0 ? raw.slice(split).trim() : '', at: Date.now() });
        callback();
      });
    },
  });
  // A connection reset by a killed client is that client's problem, not the recorder's.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return { url: `smtp://127.0.0.1:${port}`, inbox, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
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
  const [twilio, telegram, x, smtp] = await Promise.all([new FakeTwilio().start(), startFakeTelegram(), startFakeX(), startSmtpRecorder()]);
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
      for (const mail of smtp.inbox) {
        const id = /^<?([0-9a-f-]{36})@/i.exec(mail.messageId ?? '')?.[1];
        for (const to of mail.rcptTo) out.push({ channel: 'email', address: to, body: mail.body, notificationId: id, dedupeKey: mail.notification, at: mail.at });
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
