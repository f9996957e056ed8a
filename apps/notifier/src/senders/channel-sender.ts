import type { OutboundChannel } from '../entities';

export interface OutboundMessage {
  /** E-mail only. */
  subject?: string | null;
  body: string;
  /** Extra metadata a vendor can carry (e-mail headers); others may ignore it. */
  headers: Record<string, string>;
}

export interface SendResult {
  /** The vendor's id of the message (used to match delivery reports). */
  externalId: string;
}

/**
 * One outbound vendor for one channel (novu-style provider). Throw PermanentSendError
 * when this address can never be reached this way, RetryLaterError to be retried after
 * a vendor-given delay; anything else is retried with exponential backoff.
 */
export interface ChannelSender {
  readonly channel: OutboundChannel;
  send(to: string, message: OutboundMessage): Promise<SendResult>;
  /** For vendors with delivery reports: does this error code mean the address is dead? */
  isPermanentDeliveryError?(code: string): boolean;
}

export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');

export class PermanentSendError extends Error {
  constructor(
    message: string,
    /** True when the address itself is dead (invalid number, bot blocked): stop sending to it. */
    readonly recipientUnreachable = true,
    readonly vendorCode?: string,
  ) {
    super(message);
    this.name = 'PermanentSendError';
  }
}

export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
