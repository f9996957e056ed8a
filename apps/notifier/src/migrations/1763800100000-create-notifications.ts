import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNotifications1763800100000 implements MigrationInterface {
  name = 'CreateNotifications1763800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        dedupe_key varchar(300) NOT NULL,
        kind varchar(10) NOT NULL,
        tracking_id varchar(16),
        channel varchar(16) NOT NULL,
        address varchar(320) NOT NULL,
        subject varchar(300),
        body text NOT NULL,
        state varchar(12) NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_error text,
        external_id varchar(300),
        vendor_status varchar(20),
        vendor_error varchar(40),
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_notifications_once UNIQUE (dedupe_key, channel, address)
      )`);
    await q.query(`CREATE INDEX ix_notifications_due ON notifications (next_attempt_at) WHERE state IN ('pending', 'sending')`);
    await q.query(`CREATE INDEX ix_notifications_external ON notifications (channel, external_id)`);
    await q.query(`CREATE INDEX ix_notifications_tracking ON notifications (tracking_id)`);
    await q.query(`
      CREATE TABLE recipients (
        channel varchar(16) NOT NULL,
        address varchar(320) NOT NULL,
        opted_out boolean NOT NULL DEFAULT false,
        unreachable boolean NOT NULL DEFAULT false,
        reason text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, address)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE recipients');
    await q.query('DROP TABLE notifications');
  }
}
