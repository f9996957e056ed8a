import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: when the reporter forwarded the complaint to Ombudsman RI, in the desk's read
 * model (the console shows it; the body's statistics count it).
 */
export class DeskOmbudsman1765100000001 implements MigrationInterface {
  name = 'DeskOmbudsman1765100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE desk_complaints ADD COLUMN forwarded_to_ombudsman_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE desk_complaints DROP COLUMN forwarded_to_ombudsman_at');
  }
}
