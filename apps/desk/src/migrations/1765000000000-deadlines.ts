import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines and the scheduler (docs/deadlines.md). A stage's deadline is computed when the
 * desk's read model sees the stage start and stored here (a later policy change does not move
 * it); its reminders and breach are jobs in desk_jobs, which replicas claim with
 * FOR UPDATE SKIP LOCKED and a lease, so each fires once, survives restarts and catches up.
 * The deadline policy's versions (the national admin's runtime changes) are kept here too.
 */
export class Deadlines1765000000000 implements MigrationInterface {
  name = 'Deadlines1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE desk_deadline_policies (
        version int PRIMARY KEY,
        policy jsonb NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by varchar(300) NOT NULL
      )`);
    await q.query(`
      CREATE TABLE desk_deadlines (
        id uuid PRIMARY KEY,
        tracking_id varchar(16) NOT NULL,
        stage varchar(20) NOT NULL,
        start_sequence int NOT NULL,
        started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        remind_at jsonb NOT NULL DEFAULT '[]',
        body_kind varchar(16),
        body_code varchar(80),
        body_name varchar(300),
        unit varchar(300),
        time_zone varchar(8) NOT NULL,
        six_day_week boolean NOT NULL DEFAULT false,
        lane_id varchar(80),
        policy_version int NOT NULL,
        rule jsonb NOT NULL,
        rule_source varchar(100) NOT NULL,
        state varchar(12) NOT NULL DEFAULT 'open',
        ended_at timestamptz,
        breached_at timestamptz,
        escalated_to varchar(300),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_desk_deadlines_state CHECK (state IN ('open', 'met', 'breached', 'superseded'))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_desk_deadlines_stage_start ON desk_deadlines (tracking_id, stage, start_sequence)`);
    await q.query(`CREATE INDEX ix_desk_deadlines_open ON desk_deadlines (tracking_id) WHERE state IN ('open', 'breached')`);
    await q.query(`
      CREATE TABLE desk_jobs (
        id bigserial PRIMARY KEY,
        key varchar(200) NOT NULL,
        kind varchar(60) NOT NULL,
        run_at timestamptz NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        state varchar(12) NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        lease_until timestamptz,
        locked_by varchar(80),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        CONSTRAINT ck_desk_jobs_state CHECK (state IN ('pending', 'running', 'done', 'cancelled', 'failed'))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_desk_jobs_key ON desk_jobs (key)`);
    await q.query(`CREATE INDEX ix_desk_jobs_due ON desk_jobs (run_at) WHERE state IN ('pending', 'running')`);
    await q.query(`ALTER TABLE desk_complaints ADD COLUMN overdue_stages jsonb NOT NULL DEFAULT '[]', ADD COLUMN due_at timestamptz`);
    await q.query(`CREATE INDEX ix_desk_complaints_overdue ON desk_complaints (body_code) WHERE overdue_stages <> '[]'`);
    await q.query(`ALTER TABLE desk_body_settings ADD COLUMN six_day_week boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE desk_body_settings DROP COLUMN six_day_week');
    await q.query('DROP INDEX ix_desk_complaints_overdue');
    await q.query('ALTER TABLE desk_complaints DROP COLUMN due_at, DROP COLUMN overdue_stages');
    for (const t of ['desk_jobs', 'desk_deadlines', 'desk_deadline_policies']) await q.query(`DROP TABLE ${t}`);
  }
}
