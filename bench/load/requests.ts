import { createHmac, randomBytes, randomInt } from 'node:crypto';
import twilio from 'twilio';
import { postBytes } from './http-connection';

/** What each kind of load posts. The bare baselines get byte-for-byte the same requests. */
export type RequestKind = 'web' | 'sms' | 'x';

/** Secrets shared by the generator, the apps and the bare servers (bench-only values). */
export const BENCH_SECRETS = {
  twilioAuthToken: 'bench-twilio-auth-token-0123456789',
  twilioAccountSid: 'AC0000000000000000000000000000bench',
  xConsumerSecret: 'bench-x-consumer-secret-0123456789',
  xAccountId: '1580661436132757506',
};

/** One JSON body for every web request, as the measurements used. */
export const WEB_BODY = JSON.stringify({ text: 'Jalan berlubang besar di Kecamatan Coblong, Kota Bandung, sudah dua bulan tidak diperbaiki', regionCode: '32.73' });
const SMS_TEXT = 'Jalan berlubang besar di Kecamatan Coblong, Kota Bandung, sudah dua bulan tidak diperbaiki';

export const PATHS: Record<RequestKind, string> = { web: '/api/v1/complaints', sms: '/webhooks/twilio/sms', x: '/webhooks/x' };

/**
 * A factory of the i-th request's bytes. SMS and X requests need their own message ids
 * (the channel's idempotency key) and so their own signature: computed here, in the
 * generator, as the vendor would.
 * `signedBase` is the public URL Twilio signs (the app's and the bare server's PUBLIC_BASE_URL).
 */
export function requestFactory(kind: RequestKind, signedBase: string): (i: number) => Buffer {
  const run = randomBytes(6).toString('hex');
  if (kind === 'web') {
    const bytes = postBytes(PATHS.web, { 'Content-Type': 'application/json' }, WEB_BODY);
    return () => bytes;
  }
  if (kind === 'sms') {
    const url = signedBase + PATHS.sms;
    return (i) => {
      const sid = `SM${run}${i.toString(16).padStart(20, '0')}`;
      const params: Record<string, string> = {
        ToCountry: 'ID',
        SmsMessageSid: sid,
        NumMedia: '0',
        SmsSid: sid,
        SmsStatus: 'received',
        Body: SMS_TEXT,
        FromCountry: 'ID',
        To: '1708',
        NumSegments: '1',
        MessageSid: sid,
        AccountSid: BENCH_SECRETS.twilioAccountSid,
        From: `+62812${String(i % 1_000_000).padStart(7, '0')}`,
        ApiVersion: '2010-04-01',
      };
      const signature = twilio.getExpectedTwilioSignature(BENCH_SECRETS.twilioAuthToken, url, params);
      return postBytes(PATHS.sms, { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature }, new URLSearchParams(params).toString());
    };
  }
  // X event ids are numeric strings: one random prefix per run, then the request's number.
  const idBase = BigInt(randomInt(1, 2 ** 40)) * 10_000_000n;
  return (i) => {
    const body = JSON.stringify(xDirectMessage((idBase + BigInt(i)).toString(), String(3_805_000_000 + (i % 1_000_000))));
    const signature = `sha256=${createHmac('sha256', BENCH_SECRETS.xConsumerSecret).update(body).digest('base64')}`;
    return postBytes(PATHS.x, { 'Content-Type': 'application/json', 'X-Twitter-Webhooks-Signature': signature }, body);
  };
}

/** An Account Activity DM event, shaped like apps/social-intake's fixtures. */
function xDirectMessage(numericId: string, senderId: string) {
  return {
    for_user_id: BENCH_SECRETS.xAccountId,
    direct_message_events: [
      {
        type: 'message_create',
        id: numericId,
        created_timestamp: String(Date.now()),
        message_create: {
          target: { recipient_id: BENCH_SECRETS.xAccountId },
          sender_id: senderId,
          message_data: { text: SMS_TEXT, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } },
        },
      },
    ],
    users: {
      [senderId]: { id: senderId, name: 'Warga', screen_name: `warga${senderId}` },
      [BENCH_SECRETS.xAccountId]: { id: BENCH_SECRETS.xAccountId, name: 'LAPOR! (uji)', screen_name: 'lapor_uji' },
    },
  };
}
