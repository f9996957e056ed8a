import { DeskComplaintSummary, SUBMISSION_TYPE_LABELS } from '@lapor/contracts';

const COLUMNS: [string, (c: DeskComplaintSummary) => unknown][] = [
  ['nomor', (c) => c.trackingId],
  ['status', (c) => c.status],
  ['status_label', (c) => c.statusLabel],
  ['status_sejak', (c) => c.statusAt],
  ['jenis', (c) => (c.submissionType ? SUBMISSION_TYPE_LABELS[c.submissionType] : '')],
  ['kanal', (c) => c.channel],
  ['instansi_kode', (c) => c.body?.code],
  ['instansi', (c) => c.body?.name],
  ['unit_kerja', (c) => c.unit],
  ['anonim', (c) => (c.anonymous ? 'ya' : 'tidak')],
  ['rahasia', (c) => (c.confidential ? 'ya' : 'tidak')],
  ['diterima', (c) => c.receivedAt],
  ['terdaftar', (c) => c.registeredAt],
  ['ringkasan', (c) => c.excerpt],
  ['prioritas', (c) => (c.priority ? 'ya' : 'tidak')],
  ['jalur_cepat', (c) => c.fastLane?.slug],
  ['tembusan', (c) => (c.copy ? 'ya' : 'tidak')],
];

/**
 * RFC 4180 CSV with a BOM (so spreadsheet programs read UTF-8). Cells that a spreadsheet
 * would run as a formula (= + - @ at the start) get a leading apostrophe (OWASP CSV injection).
 */
export function toCsv(rows: DeskComplaintSummary[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\ufeff${[COLUMNS.map(([h]) => h).join(','), ...rows.map((r) => COLUMNS.map(([, get]) => cell(get(r))).join(','))].join('\r\n')}\r\n`;
}
