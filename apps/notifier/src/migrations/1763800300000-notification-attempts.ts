import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exactly-once where a vendor allows it, and per-recipient order: the attempt recorded
 * before each vendor call, the lease holder's token, and a queue position (existing rows
 * numbered in the order they were created).
 */
export class NotificationAttempts1763800300000 implements MigrationInterface {
  name = 'NotificationAttempts1763800300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications
        ADD COLUMN queue_position bigint,
        ADD COLUMN lease_token uuid,
        ADD COLUMN attempt_key varchar(60),
        ADD COLUMN attempt_started_at timestamptz,
        ADD COLUMN attempt_in_doubt boolean NOT NULL DEFAULT false,
        ADD COLUMN possible_duplicate boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE SEQUENCE notifications_queue_position_seq OWNED BY notifications.queue_position`);
    await q.query(`
      UPDATE notifications n SET queue_position = o.position
        FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS position FROM notifications) o
       WHERE n.id = o.id`);
    await q.query(`SELECT setval('notifications_queue_position_seq', COALESCE((SELECT max(queue_position) FROM notifications), 0) + 1, false)`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN queue_position SET DEFAULT nextval('notifications_queue_position_seq'), ALTER COLUMN queue_position SET NOT NULL`);
    // The head of each recipient's queue: its oldest message not yet sent or given up.
    await q.query(`CREATE INDEX ix_notifications_recipient_queue ON notifications (channel, address, queue_position) WHERE state IN ('pending', 'sending')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_notifications_recipient_queue');
    await q.query(`
      ALTER TABLE notifications
        DROP COLUMN possible_duplicate,
        DROP COLUMN attempt_in_doubt,
        DROP COLUMN attempt_started_at,
        DROP COLUMN attempt_key,
        DROP COLUMN lease_token,
        DROP COLUMN queue_position`);
  }
}
