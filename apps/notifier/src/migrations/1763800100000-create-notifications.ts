import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1763800100000 implements MigrationInterface {
  name = 'CreateNotifications1763800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        tracking_id varchar(16) NOT NULL,
        sequence int NOT NULL,
        status varchar(20) NOT NULL,
        channel varchar(16) NOT NULL,
        address varchar(320) NOT NULL,
        state varchar(10) NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        external_id varchar(200),
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_notifications_once UNIQUE (tracking_id, sequence, channel, address)
      )`);
    await q.query(`CREATE INDEX ix_notifications_state ON notifications (state, updated_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications');
  }
}

/** In order; the notifier's migration history table is `notifier_migrations`. */
export const NOTIFIER_MIGRATIONS = [CreateNotifications1763800100000];
