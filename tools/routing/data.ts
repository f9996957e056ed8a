/** CSV loading for the routing CLI and benchmark (csv-parse: quoted multi-line fields, BOM, header row). */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { UnitExample } from '@lapor/routing/level2';

export class UsageError extends Error {}

export type CsvRecord = Record<string, string>;

export function readCsv(file: string): { columns: string[]; records: CsvRecord[] } {
  if (!existsSync(file)) throw new UsageError(`CSV file not found: ${file}`);
  const text = readFileSync(file, 'utf8');
  let columns: string[] = [];
  const records = parse(text, {
    bom: true,
    columns: (header: string[]) => (columns = header.map((h) => h.trim())),
    skip_empty_lines: true,
    relax_column_count: true,
  }) as CsvRecord[];
  return { columns, records };
}

export function requireColumns(file: string, columns: string[], wanted: (string | undefined)[]): void {
  const missing = wanted.filter((c): c is string => !!c && !columns.includes(c));
  if (missing.length) {
    throw new UsageError(`${file}: missing column(s) ${missing.join(', ')} (columns are: ${columns.join(', ')})`);
  }
}

/**
 * Training/evaluation rows. `text` may name several columns ("judul,isi" or "text,alamat"): their values are
 * joined, one line each, into the text the classifier reads.
 */
export function toExamples(records: CsvRecord[], text: string, label: string, locationColumns: string[]): UnitExample[] {
  const textColumns = splitList(text);
  return records.map((r) => {
    const ex: UnitExample = { text: textColumns.map((c) => r[c] ?? '').filter((v) => v.trim()).join('\n'), label: r[label] ?? '' };
    if (locationColumns.length) {
      const location: Record<string, string> = {};
      for (const c of locationColumns) if (r[c]) location[c] = r[c]!;
      ex.location = location;
    }
    return ex;
  });
}

export function splitList(s: string | undefined): string[] {
  return (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
