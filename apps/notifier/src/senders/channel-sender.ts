import type { OutboundChannel } from '../entities';

export interface OutboundMessage {
  /** E-mail only. */
  subject?: string | null;
  body: string;
  /** Extra metadata a vendor can carry (e-mail headers); others may ignore it. */
  headers: Record<string, string>;
  /** The same for every attempt at one notification (e-mail: the Message-ID), so a receiver can drop a repeat. */
  idempotencyKey?: string;
  /** Unique per attempt (`<notification id>.<attempt>`), recorded before the send: where a vendor can carry it, it says which attempt a message came from. */
  attemptKey?: string;
}

export interface SendResult {
  /** The vendor's id of the message (used to match delivery reports). */
  externalId: string;
}

/**
 * One outbound vendor for one channel (novu-style provider). Throw PermanentSendError
 * when this address can never be reached this way, RetryLaterError to be retried after
 * a vendor-given delay, DeliveryInDoubtError when the vendor may have taken the message
 * although the call failed; anything else is retried with exponential backoff.
 */
export interface ChannelSender {
  readonly channel: OutboundChannel;
  /** With `channel`, the sender's key (SenderRegistry): one channel may have several vendors. */
  readonly vendor: string;
  /** False when the vendor has no credentials: the registry sends this channel to the outbox instead. */
  readonly configured?: boolean;
  send(to: string, message: OutboundMessage): Promise<SendResult>;
  /**
   * For vendors that can list what they accepted: the ids of messages with this body to
   * `to` created since `since`, newest first (an attempt whose outcome was never recorded
   * is settled with this before anything is resent); undefined when it cannot tell.
   */
  findSent?(to: string, message: OutboundMessage, since: Date): Promise<string[] | undefined>;
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

/**
 * The request may have reached the vendor and been accepted before the call failed (the
 * connection broke or timed out while waiting for the answer): the dispatcher settles it
 * (findSent) or flags the resend as a possible duplicate.
 */
export class DeliveryInDoubtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryInDoubtError';
  }
}

/** Network errors raised before a connection existed: nothing can have reached the vendor. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNECTION']);

/**
 * A transport failure of a vendor call (no answer from the vendor) → DeliveryInDoubtError,
 * unless the connection was never made. Vendor answers (HTTP status, SMTP reply) are for
 * the sender to classify before calling this.
 */
export function transportFailure(vendor: string, error: unknown): Error {
  const e = error as { code?: unknown; cause?: { code?: unknown }; requestError?: { code?: unknown }; message?: string };
  const code = [e?.code, e?.cause?.code, e?.requestError?.code].find((c): c is string => typeof c === 'string');
  if (code && NOT_CONNECTED.has(code)) return error instanceof Error ? error : new Error(String(error));
  return new DeliveryInDoubtError(`${vendor}: no answer (${code ?? 'connection lost'}): ${e?.message ?? String(error)}`);
}
