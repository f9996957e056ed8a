import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The desk's own tables (one writer: apps/desk). The audit log is append-only: a trigger
 * refuses UPDATE and DELETE, so not even the desk's own database user can rewrite history.
 */
export class CreateDesk1764700000000 implements MigrationInterface {
  name = 'CreateDesk1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE desk_officers (
        id uuid PRIMARY KEY,
        email varchar(254) NOT NULL,
        display_name varchar(200) NOT NULL,
        role varchar(20) NOT NULL,
        body_code varchar(80),
        body_name varchar(300),
        unit varchar(300),
        password_hash varchar(200) NOT NULL,
        must_change_password boolean NOT NULL DEFAULT true,
        failed_logins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        CONSTRAINT ck_desk_officers_body CHECK (role = 'national-admin' OR body_code IS NOT NULL),
        CONSTRAINT ck_desk_officers_unit CHECK (role <> 'officer' OR unit IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_desk_officers_email ON desk_officers (lower(email))`);
    await q.query(`CREATE INDEX ix_desk_officers_body ON desk_officers (body_code, role)`);
    await q.query(`
      CREATE TABLE desk_sessions (
        id_hash char(64) PRIMARY KEY,
        officer_id uuid NOT NULL REFERENCES desk_officers(id) ON DELETE CASCADE,
        csrf_token varchar(64) NOT NULL,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_desk_sessions_officer ON desk_sessions (officer_id)`);
    await q.query(`
      CREATE TABLE desk_api_tokens (
        id uuid PRIMARY KEY,
        body_code varchar(80) NOT NULL,
        name varchar(200) NOT NULL,
        token_hash char(64) NOT NULL UNIQUE,
        prefix varchar(20) NOT NULL,
        read_only boolean NOT NULL DEFAULT false,
        created_by varchar(300) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_desk_api_tokens_body ON desk_api_tokens (body_code)`);
    await q.query(`
      CREATE TABLE desk_audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_kind varchar(10) NOT NULL,
        actor_id varchar(100),
        actor_label varchar(300),
        action varchar(60) NOT NULL,
        tracking_id varchar(16),
        body_code varchar(80),
        client_address varchar(100),
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX ix_desk_audit_failures ON desk_audit_log (action, client_address, at)`);
    await q.query(`CREATE INDEX ix_desk_audit_complaint ON desk_audit_log (tracking_id, at)`);
    await q.query(`
      CREATE FUNCTION desk_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'desk_audit_log is append-only (% refused)', TG_OP;
      END $$`);
    await q.query(`CREATE TRIGGER tr_desk_audit_log_append_only BEFORE UPDATE OR DELETE ON desk_audit_log FOR EACH ROW EXECUTE FUNCTION desk_audit_log_append_only()`);
    await q.query(`CREATE TRIGGER tr_desk_audit_log_no_truncate BEFORE TRUNCATE ON desk_audit_log FOR EACH STATEMENT EXECUTE FUNCTION desk_audit_log_append_only()`);
    await q.query(`
      CREATE TABLE desk_complaints (
        tracking_id varchar(16) PRIMARY KEY,
        status varchar(20) NOT NULL DEFAULT 'received',
        status_at timestamptz,
        body_kind varchar(16),
        body_code varchar(80),
        body_name varchar(300),
        unit varchar(300),
        submission_type varchar(30),
        channel varchar(16),
        anonymous boolean NOT NULL DEFAULT false,
        confidential boolean NOT NULL DEFAULT false,
        excerpt varchar(300),
        routing jsonb,
        received_at timestamptz,
        registered_at timestamptz,
        registered_seen boolean NOT NULL DEFAULT false,
        last_sequence int NOT NULL DEFAULT 0,
        version int NOT NULL DEFAULT 0,
        notified_sequence int NOT NULL DEFAULT 0,
        timer_lease_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_desk_complaints_body ON desk_complaints (body_code, status, registered_at)`);
    await q.query(`CREATE INDEX ix_desk_complaints_status ON desk_complaints (status, status_at)`);
    await q.query(`
      CREATE TABLE desk_body_settings (
        body_code varchar(80) PRIMARY KEY,
        webhook_url varchar(2000),
        key_version int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by varchar(300)
      )`);
    await q.query(`
      CREATE TABLE desk_routing_examples (
        id uuid PRIMARY KEY,
        tracking_id varchar(16) NOT NULL,
        sequence int NOT NULL,
        action varchar(20) NOT NULL,
        text text NOT NULL,
        region_code varchar(20),
        district_name varchar(200),
        village_name varchar(200),
        routed_body_code varchar(80),
        routed_unit varchar(300),
        routed_rules jsonb NOT NULL DEFAULT '[]',
        chosen_body_code varchar(80),
        chosen_unit varchar(300),
        body_code varchar(80),
        at timestamptz NOT NULL,
        CONSTRAINT uq_desk_routing_examples UNIQUE (tracking_id, sequence, action)
      )`);
    await q.query(`CREATE INDEX ix_desk_routing_examples_body ON desk_routing_examples (body_code, action)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['desk_routing_examples', 'desk_body_settings', 'desk_complaints', 'desk_audit_log', 'desk_api_tokens', 'desk_sessions', 'desk_officers']) await q.query(`DROP TABLE ${t}`);
    await q.query('DROP FUNCTION desk_audit_log_append_only');
  }
}
