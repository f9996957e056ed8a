/**
 * TypeORM's postgres driver answers UPDATE/DELETE … RETURNING with [rows, rowCount] and
 * other statements with the rows: this gives the rows either way.
 */
export function returnedRows<T>(result: unknown): T[] {
  const r = result as unknown[];
  return (r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r) as T[];
}
