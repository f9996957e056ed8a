import { z } from 'zod';
import { Channel } from '../common.schema';
import { defineEvent } from '../envelope';
import { Topics } from '../topics';

/**
 * A keyword command a citizen sent instead of complaint text (SMS "CEK <id>", Telegram
 * "/cek <id>", "STOP", "INFO"...). Intake parses the channel's syntax; the router answers
 * `status` and applies the reporter's actions on their own complaint (`object`: KEBERATAN
 * <id> [alasan], tidak puas; `confirm`: SELESAI <id>, puas; `ombudsman`: OMBUDSMAN <id>, forward
 * to Ombudsman RI), the notifier answers the rest
 * and keeps the opt-out list.
 */
export const CommandName = z.enum(['status', 'help', 'start', 'report', 'opt_out', 'opt_in', 'object', 'confirm', 'ombudsman']);
export type CommandName = z.infer<typeof CommandName>;

export const ChannelCommandPayload = z.object({
  channel: Channel,
  /** With `channel`, the dedupe key: a redelivered command is answered once. */
  channelMessageId: z.string().min(1).max(200),
  senderId: z.string().min(1).max(200),
  command: CommandName,
  /** The raw argument: the tracking id as typed, and for `object` the reason after it (the router validates both). */
  argument: z.string().max(2000).optional(),
  receivedAt: z.string().datetime({ offset: true }),
  locale: z.string().default('id'),
});
export type ChannelCommandPayload = z.infer<typeof ChannelCommandPayload>;

export const ChannelCommand = defineEvent({
  type: 'channel.command',
  schemaVersion: 1,
  topic: Topics.channelCommand,
  payload: ChannelCommandPayload,
  key: (p) => `${p.channel}:${p.senderId}`,
});
