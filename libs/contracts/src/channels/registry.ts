import { z } from 'zod';
import { apiRoot, conversationChannel, defineChannel, emptyAsUnset, envNumber, optionalEnv } from './channel-definition';

/**
 * The channel registry: one entry per channel. Adding a channel is one entry here (plus
 * its adapter, sender, fixtures and docs; README "Adding a channel"). The order is the
 * order of the derived enums (and of docs/json-schema).
 */
export const CHANNELS = {
  web: defineChannel({ label: 'Situs web', direction: 'in', replies: false, docs: 'README.md' }),
  mobile: defineChannel({ label: 'Aplikasi seluler', direction: 'in', replies: false, docs: 'README.md' }),
  email: defineChannel({ label: 'E-mail', direction: 'out', replies: false }),
  sms: conversationChannel({
    label: 'SMS 1708',
    // One reply is kept to one GSM-7 segment where it can be (apps/notifier messages); Twilio takes up to 1,600.
    chars: 1600,
    commands: { style: 'keyword' },
    whereToAnswer: 'lewat SMS ke 1708 dari nomor yang Anda pakai untuk melapor',
    docs: 'docs/channels/sms.md',
    // The auth token verifies webhooks; SID + token + a sender (number or messaging
    // service) send SMS, else they go to OUTBOX_DIR/sms. TWILIO_API_BASE_URL: tests and
    // local stand-ins only (Twilio REST calls go there instead of https://api.twilio.com).
    env: {
      ...optionalEnv('TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM_NUMBER', 'TWILIO_MESSAGING_SERVICE_SID', 'TWILIO_API_BASE_URL'),
      SMS_MAX_BODY_CHARS: envNumber(1600),
      SMS_RATE_LIMIT_MAX_MESSAGES: envNumber(20),
      SMS_RATE_LIMIT_WINDOW_SECONDS: envNumber(3600),
    },
  }),
  telegram: conversationChannel({
    label: 'Telegram',
    // https://core.telegram.org/bots/api#sendmessage: 1-4096 characters after entities parsing.
    chars: 4096,
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
      ...optionalEnv('TELEGRAM_BOT_TOKEN'),
      /** setWebhook's secret_token: 1-256 characters A-Z a-z 0-9 _ - (Bot API). */
      TELEGRAM_WEBHOOK_SECRET: emptyAsUnset(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters A-Z a-z 0-9 _ -').optional()),
      /** webhook (production) or polling (local); unset: webhook, except in embedded mode (polling). */
      TELEGRAM_MODE: emptyAsUnset(z.enum(['webhook', 'polling']).optional()),
      TELEGRAM_API_ROOT: apiRoot('https://api.telegram.org'),
      TELEGRAM_WEBHOOK_PATH: z.string().regex(/^\/[\w\-/.]*$/, 'a path such as /webhooks/telegram').default('/webhooks/telegram'),
    },
  }),
  x: conversationChannel({
    label: 'X (Twitter)',
    // DMs take 10,000 characters; a public reply under a post 280 (apps/notifier public-reply.message.ts keeps to it).
    chars: 10000,
    commands: { style: 'keyword' },
    whereToAnswer: 'lewat Direct Message ke akun LAPOR! di X dari akun yang Anda pakai untuk melapor',
    docs: 'docs/channels/social.md',
    // Intake needs the consumer secret and the account id; sending needs all four keys.
    // X_API_CA_FILE: PEM file of an extra CA to trust for X_API_ROOT (a stand-in with a self-signed certificate).
    env: {
      ...optionalEnv('X_CONSUMER_KEY', 'X_CONSUMER_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET', 'X_ACCOUNT_ID', 'X_API_CA_FILE'),
      /** https://api.x.com, or a local stand-in (twitter-api-v2 always speaks HTTPS). */
      X_API_ROOT: apiRoot('https://api.x.com'),
    },
  }),
  whatsapp: conversationChannel({
    label: 'WhatsApp',
    // Free-form text only within 24 hours of the citizen's last message; after that an approved
    // template (https://developers.facebook.com/docs/whatsapp/pricing#customer-service-windows).
    replyWindow: { hours: 24, outside: 'template' },
    // A text message body is at most 4,096 characters (Cloud API messages reference).
    chars: 4096,
    commands: { style: 'keyword' },
    whereToAnswer: 'lewat WhatsApp ke nomor LAPOR! dari nomor yang Anda pakai untuk melapor',
    docs: 'docs/channels/whatsapp.md',
    // Off without the app secret (X-Hub-Signature-256 is its HMAC-SHA256 of the raw body) and the
    // verify token (any string of ours, entered in the app's webhook settings; GET /webhooks/whatsapp
    // echoes hub.challenge when it matches). Sending needs the phone number id and token, else the outbox.
    env: {
      ...optionalEnv('WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID', 'WHATSAPP_ACCESS_TOKEN'),
      /** https://graph.facebook.com/v23.0, or a local stand-in. */
      WHATSAPP_API_ROOT: apiRoot('https://graph.facebook.com/v23.0'),
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
