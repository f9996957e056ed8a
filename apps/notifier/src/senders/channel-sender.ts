import type { RenderedMessage } from '../messages/status-message';

export interface SendResult {
  externalId: string;
}

/** One outbound vendor for one channel. A thrown error is retried by the notifier. */
export interface ChannelSender {
  readonly channel: 'email' | 'sms' | 'telegram' | 'x';
  send(to: string, message: RenderedMessage, headers: Record<string, string>): Promise<SendResult>;
}

export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');
