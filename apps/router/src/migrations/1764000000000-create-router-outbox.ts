import { MigrationInterface, QueryRunner } from 'typeorm';

/** The router's transactional outbox (apps/router/src/outbox). */
export class CreateRouterOutbox1764000000000 implements MigrationInterface {
  name = 'CreateRouterOutbox1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE router_outbox (
        seq bigserial PRIMARY KEY,
        tracking_id varchar(16) NOT NULL,
        topic varchar(200) NOT NULL,
        key varchar(300) NOT NULL,
        value text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_router_outbox_tracking ON router_outbox (tracking_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE router_outbox');
  }
}
