import * as fs from 'fs';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { normalize, tokenize } from './text';

/** A phrase; a trailing `*` on a word matches any word starting with it ("paspor*"). */
const Term = z.string().min(1);

export const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    description: z.string().optional(),
    /** who is responsible: the province or the kabupaten/kota where it happened, or a national agency */
    level: z.enum(['province', 'regency', 'agency']),
    /** agency slug from agencies.csv (level: agency) */
    agency: z.string().optional(),
    /** how sure the rule is that the matched text is about this matter, in (0, 1] */
    weight: z.number().gt(0).max(1),
    match: z.object({
      /** at least one of these phrases */
      any: z.array(Term).default([]),
      /** each group must have at least one phrase present */
      all: z.array(z.array(Term).min(1)).default([]),
      /** none of these phrases may occur */
      none: z.array(Term).default([]),
    }),
    /** ids of more general rules this one replaces when both fire */
    overrides: z.array(z.string()).default([]),
    /** agency slugs offered as suggestions when the place needed is unknown */
    suggest: z.array(z.string()).default([]),
    legalBasis: z.string().min(3),
    note: z.string().optional(),
  })
  .refine((r) => r.level !== 'agency' || !!r.agency, { message: 'level "agency" needs `agency`' })
  .refine((r) => r.match.any.length > 0 || r.match.all.length > 0, { message: 'a rule needs match.any or match.all' });
export type Rule = z.infer<typeof RuleSchema>;

export const RulesFileSchema = z.object({
  version: z.literal(1),
  settings: z
    .object({
      /** DKI Jakarta's kota/kabupaten administrasi are not autonomous: route their local matters to the province */
      administrativeRegenciesTo: z.enum(['province', 'self']).default('province'),
      administrativeLegalBasis: z.string().default(''),
    })
    .default({ administrativeRegenciesTo: 'province', administrativeLegalBasis: '' }),
  /** used when a place was found but no rule fired */
  fallback: z
    .object({ id: z.string(), level: z.enum(['province', 'regency']), weight: z.number().gt(0).max(1), legalBasis: z.string(), description: z.string().optional() })
    .optional(),
  rules: z.array(RuleSchema).min(1),
});
export type RulesFile = z.infer<typeof RulesFileSchema>;

export interface RuleHit { rule: Rule; score: number; terms: string[] }

type CompiledTerm = { text: string; words: string[] };
interface CompiledRule { rule: Rule; any: CompiledTerm[]; all: CompiledTerm[][]; none: CompiledTerm[] }

/** Loads the responsibility rules (YAML or JSON) and evaluates them against complaint text. */
export class RulesEngine {
  private readonly compiled: CompiledRule[];

  constructor(readonly file: RulesFile, readonly source: string) {
    const ids = new Set<string>();
    for (const r of file.rules) {
      if (ids.has(r.id)) throw new Error(`${source}: duplicate rule id ${r.id}`);
      ids.add(r.id);
    }
    for (const r of file.rules) for (const o of r.overrides) if (!ids.has(o)) throw new Error(`${source}: rule ${r.id} overrides unknown rule ${o}`);
    const c = (t: string): CompiledTerm => ({
      text: t,
      words: t.split(/\s+/).flatMap((w) => (w.endsWith('*') ? [normalize(w.slice(0, -1)).replace(/ /g, '') + '*'] : tokenize(w))),
    });
    this.compiled = file.rules.map((rule) => ({ rule, any: rule.match.any.map(c), all: rule.match.all.map((g) => g.map(c)), none: rule.match.none.map(c) }));
  }

  static fromFile(path: string, knownAgencies?: Set<string>): RulesEngine {
    const raw = fs.readFileSync(path, 'utf8');
    const data: unknown = path.endsWith('.json') ? JSON.parse(raw) : parseYaml(raw);
    const parsed = RulesFileSchema.safeParse(data);
    if (!parsed.success) throw new Error(`${path}: invalid rules file: ${parsed.error.message}`);
    if (knownAgencies) {
      for (const r of parsed.data.rules) {
        for (const s of [r.agency, ...r.suggest]) if (s && !knownAgencies.has(s)) throw new Error(`${path}: rule ${r.id} names unknown agency slug "${s}"`);
      }
    }
    return new RulesEngine(parsed.data, path);
  }

  get rules(): Rule[] { return this.file.rules; }

  /** Fired rules after `overrides`, best first. */
  evaluate(text: string): RuleHit[] {
    const tokens = tokenize(text);
    const hits: RuleHit[] = [];
    for (const c of this.compiled) {
      if (c.none.some((t) => has(tokens, t.words))) continue;
      const terms: string[] = [];
      if (c.any.length) {
        for (const t of c.any) if (has(tokens, t.words)) terms.push(t.text);
        if (!terms.length) continue;
      }
      let ok = true;
      for (const g of c.all) {
        const found = g.filter((t) => has(tokens, t.words));
        if (!found.length) { ok = false; break; }
        terms.push(...found.map((t) => t.text));
      }
      if (!ok) continue;
      const distinct = [...new Set(terms)];
      hits.push({ rule: c.rule, score: Math.min(1, c.rule.weight + 0.02 * (distinct.length - 1)), terms: distinct });
    }
    const overridden = new Set(hits.flatMap((h) => h.rule.overrides));
    return hits.filter((h) => !overridden.has(h.rule.id)).sort((a, b) => b.score - a.score);
  }
}

function wordMatches(tok: string, w: string): boolean {
  if (w.endsWith('*')) return tok.startsWith(w.slice(0, -1));
  // informal suffixes: "paspornya", "jalannya", "sekolahku"
  return tok === w || (tok.length > w.length && tok.startsWith(w) && /^(nya|ku|mu)$/.test(tok.slice(w.length)));
}

function has(tokens: string[], words: string[]): boolean {
  if (!words.length) return false;
  outer: for (let i = 0; i + words.length <= tokens.length; i++) {
    for (let k = 0; k < words.length; k++) if (!wordMatches(tokens[i + k], words[k])) continue outer;
    return true;
  }
  return false;
}
