import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CHANNEL_LABELS, StatsGroup, StatsQuery, StatsReport, SUBMISSION_TYPE_LABELS } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { BodyDirectory } from '../bodies/body-directory';
import { figuresOf, METRIC_COLUMNS, weekOf } from './stats-rules';

type Row = Record<string, string | number | null> & { g_week: number; g_channel: number; g_type: number; g_part: number };

/**
 * Reads the statistics from the aggregate tables only (never COUNT(*) over complaints): the
 * national and province views from desk_stats_province_week, a body from desk_stats_body_week,
 * with one GROUPING SETS query (summary, per week, per channel, per type, per province or body).
 */
@Injectable()
export class StatsQueryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly bodies: BodyDirectory,
  ) {}

  async report(q: StatsQuery): Promise<StatsReport> {
    const name = this.nameOf(q);
    const fromWeek = q.from ? weekOf(new Date(`${q.from}T00:00:00+07:00`)) : null;
    const toWeek = q.to ? weekOf(new Date(`${q.to}T00:00:00+07:00`)) : null;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (fromWeek) add('week >= ?', fromWeek);
    if (toWeek) add('week <= ?', toWeek);
    if (q.channel) add('channel = ?', q.channel);
    if (q.submissionType) add('submission_type = ?', q.submissionType);
    const sums = METRIC_COLUMNS.map((c) => `sum(${c})::bigint AS ${c}`).join(', ');
    let table: string;
    let part: string;
    if (q.scope === 'national') {
      table = 'desk_stats_province_week';
      part = 'province_code';
    } else if (q.scope === 'province') {
      // Per body of the province: the body rows carry their province.
      table = 'desk_stats_body_week';
      part = 'body_code';
      add('province_code = ?', q.code);
    } else {
      table = 'desk_stats_body_week';
      part = "''";
      add('body_code = ?', q.code);
    }
    const rows = (await this.db.query(
      `SELECT GROUPING(week) AS g_week, GROUPING(channel) AS g_channel, GROUPING(submission_type) AS g_type, ${q.scope === 'body' ? '1' : `GROUPING(${part})`} AS g_part,
              week::text AS week, channel, submission_type, ${part} AS part, ${sums}
         FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY GROUPING SETS ((), (week), (channel), (submission_type)${q.scope === 'body' ? '' : `, (${part})`})`,
      params,
    )) as Row[];
    const figures = (r: Row) => figuresOf(Object.fromEntries(METRIC_COLUMNS.map((c) => [c, Number(r[c] ?? 0)])));
    const group = (r: Row, key: string, label: string): StatsGroup => ({ key, label, ...figures(r) });
    const summaryRow = rows.find((r) => r.g_week && r.g_channel && r.g_type && r.g_part);
    const empty = Object.fromEntries(METRIC_COLUMNS.map((c) => [c, 0]));
    const only = (dim: 'g_week' | 'g_channel' | 'g_type' | 'g_part') => rows.filter((r) => !r[dim] && (['g_week', 'g_channel', 'g_type', 'g_part'] as const).every((d) => d === dim || r[d]));
    const byKey = (a: StatsGroup, b: StatsGroup) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    return {
      scope: q.scope,
      code: q.code ?? null,
      name,
      filters: { from: q.from ?? null, to: q.to ?? null, channel: q.channel ?? null, submissionType: q.submissionType ?? null },
      weeks: { from: fromWeek, to: toWeek },
      summary: figuresOf(summaryRow ? Object.fromEntries(METRIC_COLUMNS.map((c) => [c, Number(summaryRow[c] ?? 0)])) : empty),
      weekly: only('g_week').map((r) => group(r, String(r.week), `Minggu ${r.week}`)).sort(byKey),
      byChannel: only('g_channel').map((r) => group(r, String(r.channel), CHANNEL_LABELS[r.channel as keyof typeof CHANNEL_LABELS] ?? 'Tidak diketahui')).sort(byKey),
      bySubmissionType: only('g_type').map((r) => group(r, String(r.submission_type), SUBMISSION_TYPE_LABELS[r.submission_type as keyof typeof SUBMISSION_TYPE_LABELS] ?? 'Belum diklasifikasi')).sort(byKey),
      breakdown: q.scope === 'body' ? [] : only('g_part').map((r) => group(r, String(r.part), this.partLabel(q.scope, String(r.part)))).sort((a, b) => b.complaints - a.complaints || byKey(a, b)),
    };
  }

  private nameOf(q: StatsQuery): string {
    if (q.scope === 'national') return 'Nasional';
    const body = this.bodies.describe(q.code!);
    if (q.scope === 'province') {
      if (!body || body.kind !== 'province') throw new NotFoundException(`Provinsi "${q.code}" tidak dikenal (kode dua angka, mis. 32)`);
      return body.name;
    }
    if (!body) throw new NotFoundException(`Instansi "${q.code}" tidak dikenal (kode wilayah seperti 32.73 atau slug instansi pusat)`);
    return body.name;
  }

  private partLabel(scope: StatsQuery['scope'], code: string): string {
    if (scope === 'national') return code === '' ? 'Instansi pusat dan belum ditetapkan' : (this.bodies.describe(code)?.name ?? code);
    return code === '' ? 'Belum ditetapkan' : (this.bodies.describe(code)?.name ?? code);
  }
}
