/**
 * Open311 GeoReport v2 answers in JSON or XML (http://wiki.open311.org/GeoReport_v2/). In XML a
 * list is an element holding one element per item, named as the spec (and FixMyStreet's
 * XML::Simple GroupTags in perllib/Open311.pm) expect: `services/service`,
 * `service_requests/request`, `errors/error`, `attributes/attribute`, `values/value`,
 * `endpoints/endpoint`, `formats/format`.
 */
export type Open311Format = 'json' | 'xml';

const XML_ITEM: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

export function open311Body(format: Open311Format, root: string, value: unknown): { contentType: string; body: string } {
  if (format === 'json') return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
  return { contentType: 'text/xml; charset=utf-8', body: `<?xml version="1.0" encoding="utf-8"?>${xmlElement(root, value)}` };
}

function xmlElement(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((item) => xmlElement(XML_ITEM[name] ?? 'item', item)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([key, v]) => xmlElement(key, v)).join('')}</${name}>`;
  return `<${name}>${esc(String(value))}</${name}>`;
}

/** Characters XML 1.0 cannot carry at all (an official's response is stored as typed): dropped. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function esc(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
