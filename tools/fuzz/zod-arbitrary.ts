import fc from 'fast-check';
import type { z } from 'zod';

/**
 * fast-check arbitraries derived from zod 4 schemas, so generated requests follow the
 * contracts in libs/contracts (and change when they change). zod-fast-check, the
 * maintained mapper, supports zod 3 and fast-check 3 only; this covers the subset of zod 4
 * the contracts use, reading each schema's definition (`_zod.def`): objects, strings with
 * length limits and formats (regex, e-mail, URL, UUID, date-time), numbers with bounds,
 * booleans, enums, literals, arrays, records, unions, optional/default/nullable wrappers
 * and pipes. Anything else fails loudly rather than generating nonsense silently.
 */

interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  [key: string]: unknown;
}
interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number | bigint;
  inclusive?: boolean;
}

export interface ArbitraryOptions {
  /** Longest string generated where the schema allows more (huge strings are the mutations' job). */
  maxStringLength?: number;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): CheckDef[] => (def.checks ?? []).map((c) => c._zod.def);

/** Text as people type it, and as they do not: ASCII, any grapheme (emoji, scripts), raw UTF-16 units. */
function anyString(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme-ascii' }) },
    { weight: 2, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.string({ minLength, maxLength, unit: 'binary' }) },
  );
}

function stringArbitrary(def: Def, opts: Required<ArbitraryOptions>): fc.Arbitrary<string> {
  const checks = checksOf(def);
  let min = 0;
  let max = opts.maxStringLength;
  for (const c of checks) {
    if (c.check === 'min_length') min = Math.max(min, c.minimum ?? 0);
    if (c.check === 'max_length') max = Math.min(max, c.maximum ?? max);
    if (c.check === 'length_equals') min = max = c.length ?? 0;
  }
  // zod 4's z.email(), z.uuid()... are string types with the format on the definition itself.
  const format = (def.format as string | undefined) ?? checks.find((c) => c.check === 'string_format')?.format;
  const pattern = (def.pattern as RegExp | undefined) ?? checks.find((c) => c.check === 'string_format')?.pattern;
  let arb: fc.Arbitrary<string>;
  switch (format) {
    case undefined:
      arb = anyString(min, Math.max(min, max));
      break;
    case 'uuid':
    case 'guid':
      arb = fc.uuid();
      break;
    case 'url':
      arb = fc.webUrl();
      break;
    case 'datetime':
      arb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
      break;
    default:
      if (!pattern) throw new Error(`zod string format ${format} has no pattern to generate from`);
      arb = fc.stringMatching(pattern);
  }
  return format === undefined ? arb : arb.filter((s) => s.length >= min && s.length <= max);
}

function numberArbitrary(def: Def): fc.Arbitrary<number> {
  let min = -1e9;
  let max = 1e9;
  let integer = false;
  for (const c of checksOf(def)) {
    if (c.check === 'greater_than') min = Math.max(min, Number(c.value) + (c.inclusive ? 0 : 1e-9));
    if (c.check === 'less_than') max = Math.min(max, Number(c.value) - (c.inclusive ? 0 : 1e-9));
    if (c.check === 'number_format') integer = true;
  }
  return integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of values that `schema` accepts (before its transforms). */
export function arbitraryOf(schema: z.ZodType, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const opts: Required<ArbitraryOptions> = { maxStringLength: 300, ...options };
  const of = (s: unknown): fc.Arbitrary<unknown> => arbitraryOf(s as z.ZodType, opts);
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringArbitrary(def, opts);
    case 'number':
      return numberArbitrary(def);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
      return fc.constant(undefined);
    case 'any':
    case 'unknown':
      return fc.jsonValue({ maxDepth: 3 });
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'array': {
      const checks = checksOf(def);
      const minLength = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const maxLength = Math.min(checks.find((c) => c.check === 'max_length')?.maximum ?? 5, Math.max(minLength, 5));
      return fc.array(of(def.element), { minLength, maxLength });
    }
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map(of));
    case 'record':
      return fc.dictionary(of(def.keyType) as fc.Arbitrary<string>, of(def.valueType), { maxKeys: 4 });
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const required: string[] = [];
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, field] of Object.entries(shape)) {
        const t = defOf(field).type;
        // Optional and defaulted fields are sometimes left out, as clients do.
        if (t === 'optional' || t === 'default' || t === 'prefault') fields[key] = of(defOf(field).innerType);
        else {
          fields[key] = of(field);
          required.push(key);
        }
      }
      return fc.record(fields, { requiredKeys: required as never[] });
    }
    case 'optional':
      return fc.option(of(def.innerType), { nil: undefined });
    case 'nullable':
      return fc.option(of(def.innerType), { nil: null });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return of(def.innerType);
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map(of));
    case 'intersection':
      return fc.tuple(of(def.left), of(def.right)).map(([a, b]) => ({ ...(a as object), ...(b as object) }));
    case 'pipe':
      return of(def.in);
    case 'lazy':
      return of((def.getter as () => unknown)());
    default:
      throw new Error(`arbitraryOf: zod type "${def.type}" is not supported`);
  }
}
