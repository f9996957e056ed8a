import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ChannelCommandPayload, checkTrackingId, checkTransition, ComplaintAction, splitTrackingIdArgument, StatusReply, StatusReplyPayload, truncateText } from '@lapor/contracts';
import { EventPublisher } from '@lapor/runtime';
import { StatusChangeEntity } from '../entities';
import { ComplaintLifecycleService } from './complaint-lifecycle.service';
import { ComplaintRecordService, EventsPendingError } from './complaint-record.service';
import { isReporterOf } from './reporter-address';

type ReporterCommand = Extract<ChannelCommandPayload['command'], 'object' | 'confirm' | 'ombudsman'>;

/**
 * The reporter's answer to the body's response by channel command: KEBERATAN <id> [alasan]
 * (`object`: reopened), SELESAI <id> (`close` by the reporter) and OMBUDSMAN <id> [catatan]
 * (`forward-ombudsman`, refused with the reason when the record does not allow it). Only the complaint's
 * own reporter (same channel and sender, or a private reply address they gave) may do it;
 * anyone else gets the same answer as for an unknown number. An applied action is
 * answered by the status change it causes; a refusal by a StatusReply. The command's
 * channel message id is the action's idempotency key, so a redelivered command applies
 * once and is not answered as refused afterwards.
 */
@Injectable()
export class ReporterActionsService {
  private readonly log = new Logger(ReporterActionsService.name);

  constructor(
    private readonly records: ComplaintRecordService,
    private readonly lifecycle: ComplaintLifecycleService,
    private readonly events: EventPublisher,
  ) {}

  async handle(command: ChannelCommandPayload & { command: ReporterCommand }, correlationId: string): Promise<void> {
    const argument = (command.argument ?? '').trim();
    const split = splitTrackingIdArgument(argument);
    const typed = split?.id ?? argument.split(/\s+/)[0] ?? '';
    const reply = (result: StatusReplyPayload['result']) =>
      this.events.publish(
        this.events.event(
          StatusReply,
          { channel: command.channel, senderId: command.senderId, inReplyTo: command.channelMessageId, locale: command.locale, query: typed, command: command.command, result },
          correlationId,
        ),
      );
    if (!typed) return reply({ outcome: 'missing' });
    const check = checkTrackingId(typed);
    if (!check.ok) return reply({ outcome: check.reason === 'checksum' ? 'mistyped' : 'malformed' });
    const rest = split?.rest ?? '';
    const note = rest ? truncateText(rest, 2000) : undefined;
    const action: ComplaintAction =
      command.command === 'object'
        ? { action: 'object', ...(note ? { reason: note } : {}) }
        : command.command === 'ombudsman'
          ? { action: 'forward-ombudsman', ...(note ? { note } : {}) }
          : { action: 'close', ...(note ? { note } : {}) };
    const idempotencyKey = `${command.channel}:${command.channelMessageId}`;
    let refusal: StatusReplyPayload['result'] | null;
    try {
      refusal = await this.records.change(check.trackingId, correlationId, async (c) => {
        if (!isReporterOf(c.complaint, command.channel, command.senderId)) return { outcome: 'not_found' as const };
        if (await c.tx.findOne(StatusChangeEntity, { where: { trackingId: c.complaint.trackingId, idempotencyKey } })) return null; // applied by an earlier delivery
        const allowed = checkTransition(action.action, c.complaint.status, { kind: 'reporter' });
        if (!allowed.ok) {
          // KEBERATAN/SELESAI are told from the status; OMBUDSMAN gets the lifecycle's reason (e.g. still in verification, archived).
          return { outcome: 'not_allowed' as const, trackingId: c.complaint.trackingId, status: c.complaint.status, ...(action.action === 'forward-ombudsman' ? { reason: allowed.reason } : {}) };
        }
        try {
          await this.lifecycle.applyWithin(c, action, { kind: 'reporter' }, { idempotencyKey });
        } catch (error) {
          // Forwarding to Ombudsman RI is refused before anything is written: the reporter is told why.
          if (action.action === 'forward-ombudsman' && error instanceof ConflictException) {
            return { outcome: 'not_allowed' as const, trackingId: c.complaint.trackingId, status: c.complaint.status, reason: error.message };
          }
          throw error;
        }
        this.log.log(`${command.command} on ${c.complaint.trackingId} by its reporter (${command.channel})`);
        return null;
      });
    } catch (error) {
      if (error instanceof NotFoundException) refusal = { outcome: 'not_found' };
      else if (error instanceof EventsPendingError) {
        this.log.warn(error.message);
        refusal = null;
      } else throw error;
    }
    if (refusal) await reply(refusal);
  }
}
