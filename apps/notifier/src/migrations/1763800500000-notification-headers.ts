import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-message headers (the agency webhook's event, delivery id, body and key version). */
export class NotificationHeaders1763800500000 implements MigrationInterface {
  name = 'NotificationHeaders1763800500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN headers jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN headers`);
  }
}
