import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RecipientEntity } from '../entities';

/** Opt-outs (STOP/BERHENTI) and dead addresses, per channel and address. */
@Injectable()
export class RecipientsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(channel: string, address: string): Promise<RecipientEntity | null> {
    return this.db.manager.findOne(RecipientEntity, { where: { channel, address } });
  }

  async setOptedOut(channel: string, address: string, optedOut: boolean): Promise<void> {
    await this.db.manager.upsert(RecipientEntity, { channel, address, optedOut, reason: optedOut ? 'opted out by the citizen' : null }, ['channel', 'address']);
  }

  async markUnreachable(channel: string, address: string, reason: string): Promise<void> {
    await this.db.manager.upsert(RecipientEntity, { channel, address, unreachable: true, reason }, ['channel', 'address']);
  }

  /** A new message from the address proves it is reachable again (e.g. the bot was unblocked). */
  async markReachable(channel: string, address: string): Promise<void> {
    await this.db.manager.update(RecipientEntity, { channel, address, unreachable: true }, { unreachable: false, reason: null });
  }
}
