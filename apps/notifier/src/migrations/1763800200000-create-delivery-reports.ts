import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeliveryReports1763800200000 implements MigrationInterface {
  name = 'CreateDeliveryReports1763800200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delivery_reports (
        id uuid PRIMARY KEY,
        channel varchar(16) NOT NULL,
        external_id varchar(300) NOT NULL,
        status varchar(20) NOT NULL,
        error_code varchar(40),
        reported_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_delivery_reports_message ON delivery_reports (channel, external_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE delivery_reports');
  }
}
