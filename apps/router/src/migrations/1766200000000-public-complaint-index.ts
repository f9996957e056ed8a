import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, Open311's request list (docs/open311.md): the router's public query reads the
 * newest non-Rahasia complaints in a date window. A partial index on the registration time,
 * without the Rahasia rows, serves both the window and the newest-first order.
 */
export class PublicComplaintIndex1766200000000 implements MigrationInterface {
  name = 'PublicComplaintIndex1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_complaints_public ON complaints (registered_at DESC, tracking_id DESC) WHERE confidential = false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_complaints_public');
  }
}
