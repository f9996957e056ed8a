/**
 * Open311 GeoReport v2 answers in JSON or XML (http://wiki.open311.org/GeoReport_v2/):
 * lists are JSON arrays, or an XML root (`services`, `service_requests`, `errors`) with one
 * element per item (`service`, `request`, `error`).
 */
export type Open311Format = 'json' | 'xml';

const XML_ITEM: Record<string, string> = { services: 'service', service_requests: 'request', errors: 'error' };

export function open311Body(format: Open311Format, root: string, items: Record<string, unknown>[]): { contentType: string; body: string } {
  if (format === 'json') return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(items) };
  const item = XML_ITEM[root] ?? 'item';
  const fields = (o: Record<string, unknown>) =>
    Object.entries(o)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${Array.isArray(v) ? v.map((x) => `<key>${esc(String(x))}</key>`).join('') : esc(String(v))}</${k}>`)
      .join('');
  return { contentType: 'text/xml; charset=utf-8', body: `<?xml version="1.0" encoding="utf-8"?><${root}>${items.map((o) => `<${item}>${fields(o)}</${item}>`).join('')}</${root}>` };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
