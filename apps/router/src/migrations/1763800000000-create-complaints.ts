import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateComplaints1763800000000 implements MigrationInterface {
  name = 'CreateComplaints1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE complaints (
        tracking_id varchar(16) PRIMARY KEY,
        channel varchar(16) NOT NULL,
        sender_id varchar(200) NOT NULL,
        text text NOT NULL,
        region_code varchar(20),
        lat double precision,
        lon double precision,
        attachments jsonb NOT NULL DEFAULT '[]',
        reporter jsonb,
        reply_to jsonb NOT NULL DEFAULT '[]',
        locale varchar(10) NOT NULL DEFAULT 'id',
        anonymous boolean NOT NULL DEFAULT false,
        confidential boolean NOT NULL DEFAULT false,
        category varchar(100),
        status varchar(20) NOT NULL,
        assignment_kind varchar(16),
        assignment_code varchar(80),
        assignment_name varchar(300),
        assignment_unit varchar(300),
        decision jsonb,
        received_at timestamptz NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_complaints_queue ON complaints (assignment_kind, assignment_code, status)`);
    await q.query(`CREATE INDEX ix_complaints_sender ON complaints (channel, sender_id, registered_at DESC)`);
    await q.query(`
      CREATE TABLE complaint_messages (
        id uuid PRIMARY KEY,
        tracking_id varchar(16) NOT NULL REFERENCES complaints(tracking_id) ON DELETE CASCADE,
        channel varchar(16) NOT NULL,
        channel_message_id varchar(200) NOT NULL,
        text text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        received_at timestamptz NOT NULL,
        event_id uuid NOT NULL,
        CONSTRAINT uq_complaint_messages_channel_message UNIQUE (channel, channel_message_id)
      )`);
    await q.query(`CREATE INDEX ix_complaint_messages_tracking ON complaint_messages (tracking_id)`);
    await q.query(`
      CREATE TABLE complaint_status_changes (
        id uuid PRIMARY KEY,
        tracking_id varchar(16) NOT NULL REFERENCES complaints(tracking_id) ON DELETE CASCADE,
        sequence int NOT NULL,
        status varchar(20) NOT NULL,
        at timestamptz NOT NULL,
        note text,
        CONSTRAINT uq_status_changes_sequence UNIQUE (tracking_id, sequence)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE complaint_status_changes');
    await q.query('DROP TABLE complaint_messages');
    await q.query('DROP TABLE complaints');
  }
}
