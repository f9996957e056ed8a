import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10, Ombudsman RI (docs/ombudsman.md): a history step may keep the status and record
 * an event instead (`escalated` with the missed deadline, `forwarded-ombudsman`); the record
 * remembers when the reporter was offered the forward and when they used it (once).
 */
export class Ombudsman1765100000000 implements MigrationInterface {
  name = 'Ombudsman1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE complaint_status_changes ADD COLUMN IF NOT EXISTS event varchar(30), ADD COLUMN IF NOT EXISTS escalation jsonb`);
    await q.query(`ALTER TABLE complaints ADD COLUMN ombudsman_offered_at timestamptz, ADD COLUMN forwarded_to_ombudsman_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE complaints DROP COLUMN forwarded_to_ombudsman_at, DROP COLUMN ombudsman_offered_at');
    // `escalation` belongs to DeadlineEscalations1765000000000 (added here only if missing).
    await q.query('ALTER TABLE complaint_status_changes DROP COLUMN event');
  }
}
