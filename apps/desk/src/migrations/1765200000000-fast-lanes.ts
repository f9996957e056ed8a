import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fast lanes (issue 10, docs/fast-lanes.md): the lanes the national admin declares, the
 * read-only copies coordinating bodies receive, and the lane a complaint is in on the
 * desk's read model (priority first in queues; the deadline scheduler reads the lane's
 * overrides through `fast_lane_id`).
 */
export class FastLanes1765200000000 implements MigrationInterface {
  name = 'FastLanes1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE desk_fast_lanes (
        id uuid PRIMARY KEY,
        slug varchar(63) NOT NULL,
        name varchar(200) NOT NULL,
        description varchar(2000),
        active boolean NOT NULL DEFAULT true,
        rules jsonb NOT NULL,
        deadlines jsonb NOT NULL DEFAULT '{}',
        coordinating_bodies jsonb NOT NULL DEFAULT '[]',
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        created_by varchar(300) NOT NULL,
        updated_at timestamptz NOT NULL,
        updated_by varchar(300) NOT NULL,
        CONSTRAINT uq_desk_fast_lanes_slug UNIQUE (slug)
      )`);
    await q.query(`
      CREATE TABLE desk_complaint_copies (
        tracking_id varchar(16) NOT NULL,
        body_code varchar(80) NOT NULL,
        lane_id uuid NOT NULL REFERENCES desk_fast_lanes(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        notified_at timestamptz,
        PRIMARY KEY (tracking_id, body_code)
      )`);
    await q.query(`CREATE INDEX ix_desk_complaint_copies_body ON desk_complaint_copies (body_code, tracking_id)`);
    await q.query(`ALTER TABLE desk_complaints ADD COLUMN fast_lane_id uuid REFERENCES desk_fast_lanes(id), ADD COLUMN priority boolean NOT NULL DEFAULT false, ADD COLUMN fast_lane_at timestamptz`);
    await q.query(`CREATE INDEX ix_desk_complaints_priority ON desk_complaints (priority DESC, registered_at) WHERE priority`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE desk_complaints DROP COLUMN fast_lane_at, DROP COLUMN priority, DROP COLUMN fast_lane_id');
    await q.query('DROP TABLE desk_complaint_copies');
    await q.query('DROP TABLE desk_fast_lanes');
  }
}
