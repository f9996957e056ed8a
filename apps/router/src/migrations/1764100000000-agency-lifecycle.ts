import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agency lifecycle (docs/agency-desk.md): each status in the history says who made it
 * (kind, role, officer, body), what the reporter was told, how it ended and where the
 * complaint stood after it; the record gets a version for read models, the submission
 * type and the complaint it was merged into. An action's idempotency key is unique per
 * complaint, so a retried action applies once.
 */
export class AgencyLifecycle1764100000000 implements MigrationInterface {
  name = 'AgencyLifecycle1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE complaint_status_changes
        ADD COLUMN actor_kind varchar(10),
        ADD COLUMN actor_role varchar(20),
        ADD COLUMN actor_officer_id varchar(100),
        ADD COLUMN actor_display_name varchar(200),
        ADD COLUMN actor_body varchar(80),
        ADD COLUMN reporter_message text,
        ADD COLUMN closed_by varchar(10),
        ADD COLUMN archive_reason varchar(20),
        ADD COLUMN merged_into varchar(16),
        ADD COLUMN assignment jsonb,
        ADD COLUMN idempotency_key varchar(200)`);
    await q.query(`CREATE UNIQUE INDEX uq_status_changes_idempotency ON complaint_status_changes (tracking_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`
      ALTER TABLE complaints
        ADD COLUMN version int NOT NULL DEFAULT 0,
        ADD COLUMN submission_type varchar(30) NOT NULL DEFAULT 'complaint',
        ADD COLUMN merged_into varchar(16)`);
    // Threading a reporter's answer looks up their complaint waiting for information.
    await q.query(`CREATE INDEX ix_complaints_waiting ON complaints (channel, sender_id) WHERE status = 'waiting_info'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_complaints_waiting');
    await q.query('ALTER TABLE complaints DROP COLUMN merged_into, DROP COLUMN submission_type, DROP COLUMN version');
    await q.query('DROP INDEX uq_status_changes_idempotency');
    await q.query(`
      ALTER TABLE complaint_status_changes
        DROP COLUMN idempotency_key, DROP COLUMN assignment, DROP COLUMN merged_into, DROP COLUMN archive_reason, DROP COLUMN closed_by,
        DROP COLUMN reporter_message, DROP COLUMN actor_body, DROP COLUMN actor_display_name, DROP COLUMN actor_officer_id,
        DROP COLUMN actor_role, DROP COLUMN actor_kind`);
  }
}
