import { MigrationInterface, QueryRunner } from 'typeorm';
import { METRIC_COLUMNS } from '../stats/stats-rules';

/**
 * The monitoring statistics (docs/monitoring.md), written only by the desk's StatsService in the
 * same transaction as the read model's update:
 * - desk_stats_complaints: per complaint, what the statistics know (milestones, escalations) and
 *   therefore what it currently contributes to the aggregates;
 * - desk_stats_actions: actions counted once per (complaint, sequence, action);
 * - desk_stats_body_week / desk_stats_province_week / desk_stats_national_week: the aggregates the
 *   dashboard reads, per ISO week of registration (WIB), body / province / nation, channel and
 *   submission type ('' = none/unknown). Three grains so that no read sums more rows than it must.
 */
export class CreateStats1765300000000 implements MigrationInterface {
  name = 'CreateStats1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE desk_stats_complaints (
        tracking_id varchar(16) PRIMARY KEY,
        registered_at timestamptz,
        status varchar(20) NOT NULL,
        body_code varchar(80),
        channel varchar(16),
        submission_type varchar(30),
        confidential boolean NOT NULL DEFAULT false,
        triaged_at timestamptz,
        assigned_at timestamptz,
        accepted_at timestamptz,
        responded_at timestamptz,
        closed_at timestamptz,
        escalated_stages text[] NOT NULL DEFAULT '{}',
        escalations int NOT NULL DEFAULT 0,
        ombudsman_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE desk_stats_actions (
        tracking_id varchar(16) NOT NULL,
        sequence int NOT NULL,
        action varchar(40) NOT NULL,
        stage varchar(30),
        at timestamptz NOT NULL,
        PRIMARY KEY (tracking_id, sequence, action)
      )`);
    const metrics = METRIC_COLUMNS.map((c) => `${c} int NOT NULL DEFAULT 0`).join(',\n        ');
    await q.query(`
      CREATE TABLE desk_stats_body_week (
        week date NOT NULL,
        body_code varchar(80) NOT NULL,
        province_code varchar(2) NOT NULL,
        channel varchar(16) NOT NULL,
        submission_type varchar(30) NOT NULL,
        ${metrics},
        PRIMARY KEY (body_code, week, channel, submission_type)
      )`);
    await q.query(`CREATE INDEX ix_desk_stats_body_week_province ON desk_stats_body_week (province_code, week)`);
    await q.query(`
      CREATE TABLE desk_stats_province_week (
        week date NOT NULL,
        province_code varchar(2) NOT NULL,
        channel varchar(16) NOT NULL,
        submission_type varchar(30) NOT NULL,
        ${metrics},
        PRIMARY KEY (province_code, week, channel, submission_type)
      )`);
    await q.query(`CREATE INDEX ix_desk_stats_province_week_week ON desk_stats_province_week (week)`);
    await q.query(`
      CREATE TABLE desk_stats_national_week (
        week date NOT NULL,
        channel varchar(16) NOT NULL,
        submission_type varchar(30) NOT NULL,
        ${metrics},
        PRIMARY KEY (week, channel, submission_type)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['desk_stats_national_week', 'desk_stats_province_week', 'desk_stats_body_week', 'desk_stats_actions', 'desk_stats_complaints']) await q.query(`DROP TABLE ${t}`);
  }
}
