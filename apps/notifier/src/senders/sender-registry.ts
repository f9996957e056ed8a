import { Inject, Injectable, Logger } from '@nestjs/common';
// The config and its token only, not the whole runtime (Nest core, Kafka, HTTP platforms): the sender specs stay light.
import type { AppConfig } from '@lapor/runtime/config';
import { APP_CONFIG } from '@lapor/runtime/tokens';
import { CHANNEL_SENDERS, ChannelSender, OutboundMessage, SendResult } from './channel-sender';
import { writeToOutbox } from './outbox/outbox.writer';

/**
 * The outbox as a vendor: each message becomes a file in OUTBOX_DIR/<channel>/, so a channel
 * whose vendor has no credentials (`npm start`, tests) still "sends", and a developer sees
 * exactly what a citizen would have received.
 */
export class OutboxSender implements ChannelSender {
  readonly vendor = 'outbox';

  constructor(
    readonly channel: ChannelSender['channel'],
    private readonly outboxDir: string,
  ) {}

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    return { externalId: writeToOutbox(this.outboxDir, this.channel, to, { subject: message.subject, body: message.body, headers: message.headers }) };
  }
}

/**
 * Senders keyed by channel and vendor, so a channel can have two vendors (SMS through Twilio
 * or a local aggregator). A channel is sent through its first configured vendor; when none is
 * configured, through the outbox (the one shared fallback; senders no longer write it themselves).
 */
@Injectable()
export class SenderRegistry {
  private readonly log = new Logger(SenderRegistry.name);
  private readonly byKey = new Map<string, ChannelSender>();
  private readonly byChannel = new Map<string, ChannelSender>();

  constructor(@Inject(CHANNEL_SENDERS) senders: ChannelSender[], @Inject(APP_CONFIG) config: AppConfig) {
    for (const s of senders) {
      const key = `${s.channel}:${s.vendor}`;
      if (this.byKey.has(key)) throw new Error(`two senders for ${key}`);
      this.byKey.set(key, s);
      if (s.configured !== false && !this.byChannel.has(s.channel)) this.byChannel.set(s.channel, s);
    }
    for (const s of senders) {
      if (this.byChannel.has(s.channel)) continue;
      this.byChannel.set(s.channel, new OutboxSender(s.channel, config.outboxDir));
      this.log.log(`${s.channel}: no vendor configured, messages are written to ${config.outboxDir}/${s.channel}`);
    }
  }

  /** The sender a message on this channel goes through, or undefined when the channel has none. */
  for(channel: string): ChannelSender | undefined {
    return this.byChannel.get(channel);
  }

  /** Whether the channel has a sender (a vendor or the outbox). */
  has(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  /** One vendor's sender (delivery reports name the vendor that sent). */
  vendor(channel: string, vendor: string): ChannelSender | undefined {
    return this.byKey.get(`${channel}:${vendor}`);
  }
}
