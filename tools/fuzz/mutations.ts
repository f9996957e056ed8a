import fc from 'fast-check';

/** One HTTP request as bytes, so a body can be anything (invalid UTF-8, truncated JSON). */
export interface FuzzRequest {
  method: 'GET' | 'POST';
  /** Path and query, already encoded as they go on the wire. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What was done to the generated value (for the report). */
  mutation: string;
}

/** A value at a random place inside a JSON-like value replaced by `replace(old)`. */
function replaceSomewhere(value: unknown, choose: number, replace: (old: unknown) => unknown): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  const path = paths[choose % paths.length];
  if (!path.length) return replace(value);
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  at[last] = replace(at[last]);
  return copy;
}

/** Values of every JSON type, for "wrong type" mutations. */
const anyType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Bytes that are not UTF-8: a lone continuation byte, an overlong form, a surrogate encoded, 0xFF, a cut sequence. */
const INVALID_UTF8 = [Buffer.from([0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe]), Buffer.from([0xe2, 0x82])];

/** Keys that pollute prototypes where code merges objects carelessly. */
const PROTO_KEYS = ['"__proto__":{"polluted":true,"isAdmin":true}', '"constructor":{"prototype":{"polluted":true}}', '"prototype":{"polluted":true}', '"__proto__":null'];

/**
 * A JSON body generated from a valid value, often mutated: wrong types, deep nesting,
 * huge strings, NUL bytes, invalid UTF-8, prototype keys, extra fields, truncation,
 * another top-level type, nothing at all.
 */
export function jsonBody(valid: fc.Arbitrary<unknown>): fc.Arbitrary<{ body: Buffer; mutation: string }> {
  const text = (v: unknown) => Buffer.from(JSON.stringify(v));
  return fc.oneof(
    { weight: 8, arbitrary: valid.map((v) => ({ body: text(v), mutation: 'valid' })) },
    { weight: 3, arbitrary: fc.tuple(valid, fc.nat(), anyType).map(([v, i, x]) => ({ body: text(replaceSomewhere(v, i, () => x)), mutation: 'wrong type' })) },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.nat(), fc.integer({ min: 50, max: 30_000 })).map(([v, i, depth]) => {
        const marker = '"\u0001NEST\u0001"';
        const json = JSON.stringify(replaceSomewhere(v, i, () => '\u0001NEST\u0001'));
        return { body: Buffer.from(json.replace(marker, `${'['.repeat(depth)}1${']'.repeat(depth)}`)), mutation: `deep nesting ${depth}` };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.nat(), fc.integer({ min: 5_001, max: 80_000 }), fc.constantFrom('a', 'é', '😀', ' ')).map(([v, i, n, ch]) => ({
        body: text(replaceSomewhere(v, i, () => ch.repeat(n))),
        mutation: `huge string ${n}`,
      })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.nat(), fc.constantFrom('\u0000', '\u0000\u0000', 'a\u0000b', '\u0007', '\ud800', '\udfff', '\u200b', '\u202e')).map(([v, i, bad]) => ({
        body: text(replaceSomewhere(v, i, (old) => (typeof old === 'string' ? old.slice(0, 5) + bad + old.slice(5) : `${bad}${JSON.stringify(old) ?? ''}`))),
        mutation: 'control / NUL / lone surrogate',
      })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.nat(), fc.constantFrom(...INVALID_UTF8)).map(([v, i, bytes]) => {
        const json = text(v);
        // Inside the first string literal after a random point, so the JSON is still well formed as bytes.
        const quote = json.indexOf(0x22, i % Math.max(1, json.length));
        const at = quote >= 0 ? quote + 1 : 0;
        return { body: Buffer.concat([json.subarray(0, at), bytes, json.subarray(at)]), mutation: 'invalid UTF-8' };
      }),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(valid, fc.constantFrom(...PROTO_KEYS)).map(([v, keys]) => {
        const json = JSON.stringify(v);
        const body = json.startsWith('{') ? `{${keys}${json.length > 2 ? ',' : ''}${json.slice(1)}` : `{${keys}}`;
        return { body: Buffer.from(body), mutation: 'prototype keys' };
      }),
    },
    { weight: 1, arbitrary: fc.tuple(valid, fc.dictionary(fc.string({ maxLength: 10 }), anyType, { minKeys: 1, maxKeys: 5 })).map(([v, extra]) => ({ body: text(v && typeof v === 'object' && !Array.isArray(v) ? { ...extra, ...(v as object) } : v), mutation: 'extra fields' })) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.nat()).map(([v, i]) => { const b = text(v); return { body: b.subarray(0, i % Math.max(1, b.length)), mutation: 'truncated' }; }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ body: text(v), mutation: 'any JSON' })) },
    { weight: 1, arbitrary: fc.constantFrom(Buffer.alloc(0), Buffer.from('null'), Buffer.from('[]'), Buffer.from('""'), Buffer.from('{}')).map((body) => ({ body, mutation: 'empty / trivial' })) },
  );
}

/**
 * A form body (application/x-www-form-urlencoded) from valid fields, often mutated: a field
 * repeated (parsed as a list), missing, huge, with NUL or a lone surrogate, broken or
 * invalid-UTF-8 percent escapes, prototype keys, truncation.
 */
export function formBody(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<{ body: Buffer; mutation: string }> {
  const encode = (fields: Record<string, unknown>) =>
    Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`)
      .join('&');
  const raw = (s: string) => Buffer.from(s);
  return fc.oneof(
    { weight: 8, arbitrary: valid.map((f) => ({ body: raw(encode(f)), mutation: 'valid' })) },
    { weight: 2, arbitrary: valid.map((f) => { const k = Object.keys(f)[0] ?? 'x'; return { body: raw(`${encode(f)}&${encodeURIComponent(k)}=again&${encodeURIComponent(k)}=and+again`), mutation: 'repeated field' }; }) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.nat()).map(([f, i]) => { const keys = Object.keys(f); const drop = keys[i % Math.max(1, keys.length)]; const { [drop]: _gone, ...rest } = f; return { body: raw(encode(rest)), mutation: `missing ${drop}` }; }) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.integer({ min: 2_000, max: 80_000 })).map(([f, n]) => { const k = Object.keys(f)[0] ?? 'Body'; return { body: raw(encode({ ...f, [k]: 'x'.repeat(n) })), mutation: `huge field ${n}` }; }) },
    { weight: 2, arbitrary: fc.tuple(valid, fc.constantFrom('%00', 'a%00b', '%07', '%ED%A0%80', '%C3%28', '%FF', '%E2%82', '%ZZ', '%', '%%41')).map(([f, bad]) => ({ body: raw(`${encode(f)}&${encodeURIComponent(Object.keys(f)[0] ?? 'Body')}=x${bad}y`), mutation: `escape ${bad}` })) },
    { weight: 1, arbitrary: valid.map((f) => ({ body: raw(`__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__=x&${encode(f)}`), mutation: 'prototype keys' })) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.nat()).map(([f, i]) => { const b = raw(encode(f)); return { body: b.subarray(0, i % Math.max(1, b.length)), mutation: 'truncated' }; }) },
    { weight: 1, arbitrary: fc.constantFrom('', '=', '&&&', '==&==', 'a', '\u0000').map((s) => ({ body: raw(s), mutation: 'degenerate' })) },
  );
}

/** Mostly the right content type; sometimes another, a wrong charset, or none. */
export function contentType(right: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(right) },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', `${right}; charset=latin1`, `${right}; charset=utf-16`, 'application/json', 'application/x-www-form-urlencoded', '*/*', 'garbage') },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** A path segment or query value: printable, any Unicode, or raw broken escapes. */
export const pathValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30, unit: 'grapheme-ascii' }).map(encodeURIComponent),
  fc.string({ maxLength: 30, unit: 'grapheme' }).map(encodeURIComponent),
  fc.constantFrom('%00', '%ZZ', '%C3%28', '%ED%A0%80', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', 'a'.repeat(5000), '%FF%FE', '__proto__', 'constructor'),
);
