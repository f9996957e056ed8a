import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: a deadline's clock stops while the complaint waits for the reporter's information
 * (`waiting_info`) and runs again when they answer (docs/deadlines.md, "Waiting for the reporter").
 */
export class DeadlinePause1766100000000 implements MigrationInterface {
  name = 'DeadlinePause1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE desk_deadlines ADD COLUMN paused_at timestamptz');
    await q.query('ALTER TABLE desk_deadlines ADD COLUMN paused_seconds integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE desk_deadlines DROP COLUMN paused_seconds');
    await q.query('ALTER TABLE desk_deadlines DROP COLUMN paused_at');
  }
}
