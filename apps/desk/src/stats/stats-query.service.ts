import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CHANNEL_LABELS, StatsGroup, StatsQuery, StatsReport, SUBMISSION_TYPE_LABELS } from '@lapor/contracts';
import { DataSource } from 'typeorm';
import { BodyDirectory } from '../bodies/body-directory';
import { COUNT_COLUMNS, countsOf, figuresOf, METRIC_COLUMNS, weekOf } from './stats-rules';

type Row = Record<string, string | number | null>;

/**
 * Reads the statistics from the aggregate tables only (never COUNT(*) over complaints): the
 * nation from desk_stats_national_week (its provinces from desk_stats_province_week), a province
 * from desk_stats_province_week (its bodies from desk_stats_body_week), a body from its rows.
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
    const sum = (cols: readonly string[]) => cols.map((c) => `sum(${c})::bigint AS ${c}`).join(', ');
    const whereSql = (extra: string[]) => ([...where, ...extra].length ? `WHERE ${[...where, ...extra].join(' AND ')}` : '');
    // The scope's own rows: national and province from the province rollup, a body from its rows.
    const scopeFilter: string[] = [];
    const scopeParams = [...params];
    if (q.scope !== 'national') {
      scopeParams.push(q.code);
      scopeFilter.push(`${q.scope === 'province' ? 'province_code' : 'body_code'} = $${scopeParams.length}`);
    }
    const scopeTable = q.scope === 'body' ? 'desk_stats_body_week' : q.scope === 'province' ? 'desk_stats_province_week' : 'desk_stats_national_week';
    // Three small reads instead of one wide GROUPING SETS: only the summary needs every counter
    // (histograms, stages); the groups need counts and shares (narrow rows sort in memory).
    const [summaryRow] = (await this.db.query(`SELECT ${sum(METRIC_COLUMNS)} FROM ${scopeTable} ${whereSql(scopeFilter)}`, scopeParams)) as Row[];
    const groupRows = (await this.db.query(
      `SELECT GROUPING(week) AS g_week, GROUPING(channel) AS g_channel, week::text AS week, channel, submission_type, ${sum(COUNT_COLUMNS)}
         FROM ${scopeTable} ${whereSql(scopeFilter)} GROUP BY GROUPING SETS ((week), (channel), (submission_type))`,
      scopeParams,
    )) as Row[];
    // The breakdown: provinces of the nation, bodies of a province.
    let partRows: Row[] = [];
    if (q.scope === 'national') {
      partRows = (await this.db.query(`SELECT province_code AS part, ${sum(COUNT_COLUMNS)} FROM desk_stats_province_week ${whereSql([])} GROUP BY province_code`, params)) as Row[];
    } else if (q.scope === 'province') {
      partRows = (await this.db.query(`SELECT body_code AS part, ${sum(COUNT_COLUMNS)} FROM desk_stats_body_week ${whereSql(scopeFilter)} GROUP BY body_code`, scopeParams)) as Row[];
    }
    const numbers = (r: Row | undefined, cols: readonly string[]) => Object.fromEntries(cols.map((c) => [c, Number(r?.[c] ?? 0)]));
    const group = (r: Row, key: string, label: string): StatsGroup => ({ key, label, ...countsOf(numbers(r, COUNT_COLUMNS)) });
    const byKey = (a: StatsGroup, b: StatsGroup) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    return {
      scope: q.scope,
      code: q.code ?? null,
      name,
      filters: { from: q.from ?? null, to: q.to ?? null, channel: q.channel ?? null, submissionType: q.submissionType ?? null },
      weeks: { from: fromWeek, to: toWeek },
      summary: figuresOf(numbers(summaryRow, METRIC_COLUMNS)),
      weekly: groupRows.filter((r) => !Number(r.g_week)).map((r) => group(r, String(r.week), `Minggu ${r.week}`)).sort(byKey),
      byChannel: groupRows.filter((r) => Number(r.g_week) && !Number(r.g_channel)).map((r) => group(r, String(r.channel), CHANNEL_LABELS[r.channel as keyof typeof CHANNEL_LABELS] ?? 'Tidak diketahui')).sort(byKey),
      bySubmissionType: groupRows.filter((r) => Number(r.g_week) && Number(r.g_channel)).map((r) => group(r, String(r.submission_type), SUBMISSION_TYPE_LABELS[r.submission_type as keyof typeof SUBMISSION_TYPE_LABELS] ?? 'Belum diklasifikasi')).sort(byKey),
      breakdown: partRows.map((r) => group(r, String(r.part), this.partLabel(q.scope, String(r.part)))).sort((a, b) => b.complaints - a.complaints || byKey(a, b)),
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
