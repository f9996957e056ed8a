import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines (docs/deadlines.md): the desk's scheduler escalates a missed deadline with the
 * `escalate` action. The history entry keeps the escalation (stage, due time, who was told);
 * the record keeps the stages that are overdue now, until they end.
 */
export class DeadlineEscalations1765000000000 implements MigrationInterface {
  name = 'DeadlineEscalations1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE complaint_status_changes ADD COLUMN escalation jsonb`);
    await q.query(`ALTER TABLE complaints ADD COLUMN overdue jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE complaints DROP COLUMN overdue');
    await q.query('ALTER TABLE complaint_status_changes DROP COLUMN escalation');
  }
}
