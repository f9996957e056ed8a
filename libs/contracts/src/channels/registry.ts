import { z } from 'zod';
import { defineChannel, envNumber, optionalEnvString } from './channel-definition';

/**
 * The channel registry: one entry per channel. Adding a channel is one entry here (plus
 * its adapter, sender, fixtures and docs; README "Adding a channel"). The order is the
 * order of the derived enums (and of docs/json-schema).
 */
export const CHANNELS = {
  web: defineChannel({ label: 'Situs web', direction: 'in', replies: false, docs: 'README.md' }),
  mobile: defineChannel({ label: 'Aplikasi seluler', direction: 'in', replies: false, docs: 'README.md' }),
  email: defineChannel({ label: 'E-mail', direction: 'out', replies: false }),
  sms: defineChannel({
    label: 'SMS 1708',
    direction: 'both',
    replies: true,
    // One reply is kept to one GSM-7 segment where it can be (apps/notifier messages); Twilio takes up to 1,600.
    limits: { inboundChars: 1600, outboundChars: 1600 },
    commands: { style: 'keyword' },
    whereToAnswer: 'lewat SMS ke 1708 dari nomor yang Anda pakai untuk melapor',
    docs: 'docs/channels/sms.md',
    // The auth token verifies webhooks; SID + token + a sender (number or messaging
    // service) send SMS, else they go to OUTBOX_DIR/sms.
    env: {
      TWILIO_ACCOUNT_SID: optionalEnvString,
      TWILIO_AUTH_TOKEN: optionalEnvString,
      TWILIO_FROM_NUMBER: optionalEnvString,
      TWILIO_MESSAGING_SERVICE_SID: optionalEnvString,
      /** Tests and local stand-ins only: send Twilio REST calls to this base URL instead of https://api.twilio.com. */
      TWILIO_API_BASE_URL: optionalEnvString,
      SMS_MAX_BODY_CHARS: envNumber(1600),
      SMS_RATE_LIMIT_MAX_MESSAGES: envNumber(20),
      SMS_RATE_LIMIT_WINDOW_SECONDS: envNumber(3600),
    },
  }),
  telegram: defineChannel({
    label: 'Telegram',
    direction: 'both',
    replies: true,
    // https://core.telegram.org/bots/api#sendmessage: 1-4096 characters after entities parsing.
    limits: { inboundChars: 4096, outboundChars: 4096 },
    commands: {
      style: 'slash',
      // Telegram opens every chat with /start (the welcome, not an opt-in); /lapor asks how to write a complaint.
      aliases: { '/start': 'start', '/lapor': 'report', '/report': 'report' },
      shown: { help: '/bantuan', opt_out: '/berhenti' },
    },
    whereToAnswer: 'di chat Telegram LAPOR! yang Anda pakai untuk melapor',
    docs: 'docs/channels/social.md',
    // Off without a token; webhook mode also needs the secret.
    env: {
      TELEGRAM_BOT_TOKEN: optionalEnvString,
      /** setWebhook's secret_token: 1-256 characters A-Z a-z 0-9 _ - (Bot API). */
      TELEGRAM_WEBHOOK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters A-Z a-z 0-9 _ -').optional()),
      /** webhook (production) or polling (local); unset: webhook, except in embedded mode (polling). */
      TELEGRAM_MODE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['webhook', 'polling']).optional()),
      TELEGRAM_API_ROOT: z.string().default('https://api.telegram.org'),
      TELEGRAM_WEBHOOK_PATH: z.string().regex(/^\/[\w\-/.]*$/, 'a path such as /webhooks/telegram').default('/webhooks/telegram'),
    },
  }),
  x: defineChannel({
    label: 'X (Twitter)',
    direction: 'both',
    replies: true,
    // DMs take 10,000 characters; a public reply under a post 280 (apps/notifier public-reply.message.ts keeps to it).
    limits: { inboundChars: 10000, outboundChars: 10000 },
    commands: { style: 'keyword' },
    whereToAnswer: 'lewat Direct Message ke akun LAPOR! di X dari akun yang Anda pakai untuk melapor',
    docs: 'docs/channels/social.md',
    // Intake needs the consumer secret and the account id; sending needs all four keys.
    env: {
      X_CONSUMER_KEY: optionalEnvString,
      X_CONSUMER_SECRET: optionalEnvString,
      X_ACCESS_TOKEN: optionalEnvString,
      X_ACCESS_SECRET: optionalEnvString,
      X_ACCOUNT_ID: optionalEnvString,
      /** https://api.x.com, or a local stand-in (twitter-api-v2 always speaks HTTPS). */
      X_API_ROOT: z.string().default('https://api.x.com'),
      /** PEM file of an extra CA to trust for X_API_ROOT (a stand-in with a self-signed certificate). */
      X_API_CA_FILE: optionalEnvString,
    },
  }),
  whatsapp: defineChannel({
    label: 'WhatsApp',
    direction: 'both',
    replies: true,
    // Free-form text only within 24 hours of the citizen's last message; after that an approved
    // template (https://developers.facebook.com/docs/whatsapp/pricing#customer-service-windows).
    replyWindow: { hours: 24, outside: 'template' },
    // A text message body is at most 4,096 characters (Cloud API messages reference).
    limits: { inboundChars: 4096, outboundChars: 4096 },
    commands: { style: 'keyword' },
    whereToAnswer: 'lewat WhatsApp ke nomor LAPOR! dari nomor yang Anda pakai untuk melapor',
    docs: 'docs/channels/whatsapp.md',
    // Off without the app secret and verify token (intake); sending needs the phone number id and token, else the outbox.
    env: {
      /** The Meta app's secret: X-Hub-Signature-256 is its HMAC-SHA256 of the raw body. */
      WHATSAPP_APP_SECRET: optionalEnvString,
      /** Any string of ours, entered in the app's webhook settings; GET /webhooks/whatsapp echoes hub.challenge when it matches. */
      WHATSAPP_VERIFY_TOKEN: optionalEnvString,
      WHATSAPP_PHONE_NUMBER_ID: optionalEnvString,
      WHATSAPP_ACCESS_TOKEN: optionalEnvString,
      /** https://graph.facebook.com/v23.0, or a local stand-in. */
      WHATSAPP_API_ROOT: z.string().default('https://graph.facebook.com/v23.0'),
      /** The approved template for messages outside the 24-hour window: one body parameter, the message text. */
      WHATSAPP_TEMPLATE_NAME: z.string().default('lapor_pembaruan_status'),
      WHATSAPP_TEMPLATE_LANGUAGE: z.string().default('id'),
    },
  }),
} as const;

type Channels = typeof CHANNELS;
export type ChannelId = keyof Channels;
/** Channels complaints arrive on. */
export type InboundChannelId = { [K in ChannelId]: Channels[K]['direction'] extends 'out' ? never : K }[ChannelId];
/** Channels the notifier sends to a citizen on (and receives delivery reports for). */
export type OutboundChannelId = { [K in ChannelId]: Channels[K]['direction'] extends 'in' ? never : K }[ChannelId];
/** Channels where a citizen is answered at the address they wrote from (commands, acknowledgements). */
export type ConversationChannelId = { [K in ChannelId]: Channels[K]['replies'] extends true ? K : never }[ChannelId];

const ids = Object.keys(CHANNELS) as ChannelId[];
const nonEmpty = <T extends string>(list: T[]) => list as [T, ...T[]];
export const CHANNEL_IDS = nonEmpty(ids);
export const INBOUND_CHANNEL_IDS = nonEmpty(ids.filter((id): id is InboundChannelId => CHANNELS[id].direction !== 'out'));
export const OUTBOUND_CHANNEL_IDS = nonEmpty(ids.filter((id): id is OutboundChannelId => CHANNELS[id].direction !== 'in'));
export const CONVERSATION_CHANNEL_IDS = nonEmpty(ids.filter((id): id is ConversationChannelId => CHANNELS[id].replies));

export const isConversationChannel = (id: string): id is ConversationChannelId => (CONVERSATION_CHANNEL_IDS as string[]).includes(id);

/** Every channel's environment variables, for libs/runtime's EnvSchema. */
export const CHANNEL_ENV = Object.assign({}, ...ids.map((id) => ('env' in CHANNELS[id] ? CHANNELS[id].env : {}))) as UnionToIntersection<
  { [K in ChannelId]: Channels[K] extends { env: infer E } ? E : never }[ChannelId]
>;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
