import { StatsCounts, StatsFigures, StatsReport } from '@lapor/contracts';
import { DEADLINE_STAGES, SHARES } from './stats-rules';

/** Groups carry counts and shares only: their other cells stay empty. */
type Row = StatsCounts & Partial<StatsFigures>;
type Column = [string, (f: Row) => unknown];

const COLUMNS: Column[] = [
  ['laporan', (f) => f.complaints],
  ['rahasia', (f) => f.confidential],
  ...SHARES.flatMap((s): Column[] => [[s, (f) => f.shares[s].count], [`${s}_persen`, (f) => f.shares[s].percent]]),
  ...(['distribution', 'firstResponse', 'close'] as const).flatMap((d): Column[] => [
    [`${d}_jumlah`, (f) => f.durations?.[d].count],
    [`${d}_median_menit`, (f) => f.durations?.[d].median?.estimateMinutes],
    [`${d}_p90_menit`, (f) => f.durations?.[d].p90?.estimateMinutes],
  ]),
  ...DEADLINE_STAGES.flatMap((s): Column[] => [
    [`tenggat_${s}_mencapai`, (f) => f.deadlineCompliance?.[s]?.reached],
    [`tenggat_${s}_eskalasi`, (f) => f.deadlineCompliance?.[s]?.escalated],
    [`tenggat_${s}_tepat_persen`, (f) => f.deadlineCompliance?.[s]?.percent],
  ]),
  ['eskalasi', (f) => f.escalations],
  ['ombudsman', (f) => f.ombudsmanForwards],
];

/**
 * The report as RFC 4180 CSV with a BOM: one line for the summary, then one per week, channel,
 * submission type and province/body (`dimensi`, `kunci`, `nama`). Numbers only, no identities.
 */
export function statsCsv(r: StatsReport): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const line = (dimension: string, key: string, name: string, f: Row) => [dimension, key, name, ...COLUMNS.map(([, get]) => get(f))].map(cell).join(',');
  const part = r.scope === 'national' ? 'provinsi' : 'instansi';
  const lines = [
    ['dimensi', 'kunci', 'nama', ...COLUMNS.map(([h]) => h)].join(','),
    line('ringkasan', r.code ?? '', r.name, r.summary),
    ...r.weekly.map((g) => line('minggu', g.key, g.label, g)),
    ...r.byChannel.map((g) => line('kanal', g.key, g.label, g)),
    ...r.bySubmissionType.map((g) => line('jenis', g.key, g.label, g)),
    ...r.breakdown.map((g) => line(part, g.key, g.label, g)),
  ];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
