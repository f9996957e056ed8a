import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { normalize, tokenize } from './text';
import { defaultRulesFile } from './data-paths';

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
    /** where the assignment comes from (required in catalogue files): a URL or a document */
    source: z.string().min(3).optional(),
    /** a named facility's owner: this province (level province) or this kabupaten/kota (level regency), wherever it stands */
    province: z.string().regex(/^\d{2}$/).optional(),
    regency: z.string().regex(/^\d{2}\.\d{2}$/).optional(),
  })
  .refine((r) => r.level !== 'agency' || !!r.agency, { message: 'level "agency" needs `agency`' })
  .refine((r) => !r.province || r.level === 'province', { message: '`province` needs level "province"' })
  .refine((r) => !r.regency || r.level === 'regency', { message: '`regency` needs level "regency"' })
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
  /** catalogue files next to this one, merged in order (national services, province-owned facilities) */
  include: z.array(z.string()).default([]),
  rules: z.array(RuleSchema).min(1),
});
export type RulesFile = z.infer<typeof RulesFileSchema>;

/**
 * A named facility (a hospital, a bus service) and the body that owns it, with the source of that ownership.
 * Compiled into a rule with a fixed owner, so "RSUD Dr. Soetomo" goes to Provinsi Jawa Timur even though it
 * stands in Kota Surabaya.
 */
export const FacilitySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  type: z.string(),
  owner: z.object({ level: z.enum(['province', 'regency']), code: z.string() }),
  /** how people write it (lower case; punctuation is ignored) */
  names: z.array(z.string().min(1)).min(1),
  legalBasis: z.string().min(3),
  source: z.string().min(3),
});
export type Facility = z.infer<typeof FacilitySchema>;

/** A catalogue file: every rule and every facility must say where its assignment comes from. */
export const CatalogueFileSchema = z.object({
  version: z.literal(1),
  description: z.string().optional(),
  /** rule ids (here or in the main file) that every facility rule of this file overrides */
  facilityOverrides: z.array(z.string()).default([]),
  rules: z.array(RuleSchema.refine((r) => !!r.source, { message: 'a catalogue rule needs `source`' })).default([]),
  facilities: z.array(FacilitySchema).default([]),
});
export type CatalogueFile = z.infer<typeof CatalogueFileSchema>;

/** Words before a term that make it a landmark or a direction, not the matter ("depan kampus", "keluar tol"). */
const LANDMARK_BEFORE = new Set(
  ('dekat dkt deket depan dpn samping sebelah sblh belakang seberang sekitar sekitaran arah menuju keluar exit pintu setelah sebelum ' +
    'bawah kolong atas near opposite behind beside').split(' '),
);
/** Contrast words: what comes after them is the matter ("saya mau perpanjang SIM, tapi jalan menuju Satpas rusak"). */
const CONTRAST = new Set('tapi tetapi namun melainkan but however'.split(' '));
/** Negations right before a term: "bukan RSUP M. Djamil", "bukan masalahnya". */
const NEGATION = new Set('bukan not'.split(' '));

/** How much a hit whose every mention is a landmark, a negated or an overruled aside still counts. */
export const INCIDENTAL_FACTOR = 0.45;

export interface RuleHit {
  rule: Rule;
  score: number;
  terms: string[];
  /** every mention locates the problem (a landmark, a direction), is negated, or sits before a "tapi" that turns to another matter */
  incidental?: string;
  /** first token position of its mentions (to tell two matters apart) */
  positions: number[];
}

type CompiledTerm = { text: string; words: string[] };
interface CompiledRule { rule: Rule; any: CompiledTerm[]; all: CompiledTerm[][]; none: CompiledTerm[] }

/** Loads the responsibility rules (YAML or JSON) and evaluates them against complaint text. */
export class RulesEngine {
  private readonly compiled: CompiledRule[];
  /**
   * Which rules a token can start: a rule fires only when one of its `any` terms (or, without
   * `any`, a term of its first `all` group) is found, so evaluate() looks up the text's own
   * tokens here and runs only those rules instead of all of them (the router routes every
   * complaint; issue 12's profile had the full scan at 12 % of its CPU).
   */
  private readonly triggers = new Map<string, number[]>();
  /** Rules started by a word prefix ("paspor*"): prefix → rule indexes. */
  private readonly prefixTriggers = new Map<string, number[]>();
  /** Rules without any term that could start them (they are evaluated for every text). */
  private readonly alwaysEvaluated: number[] = [];

  /** `scanAll`: evaluate every rule for every text, without the trigger index (the reference the index is tested against). */
  constructor(readonly file: RulesFile, readonly source: string, private readonly options: { scanAll?: boolean } = {}) {
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
    this.compiled.forEach((rule, i) => {
      const starters = rule.any.length ? rule.any : (rule.all[0] ?? []);
      if (!starters.length || starters.some((t) => !t.words.length)) {
        this.alwaysEvaluated.push(i);
        return;
      }
      for (const { words } of starters) {
        const first = words[0]!;
        const [map, key] = first.endsWith('*') ? [this.prefixTriggers, first.slice(0, -1)] : [this.triggers, first];
        const list = map.get(key) ?? [];
        if (list[list.length - 1] !== i) list.push(i);
        map.set(key, list);
      }
    });
  }

  /** Indexes of the rules that may fire on these tokens (a superset of those that do), in file order. */
  private candidates(index: TokenIndex): number[] {
    if (this.options.scanAll) return this.compiled.map((_, i) => i);
    const found = new Set<number>(this.alwaysEvaluated);
    const add = (list: number[] | undefined) => {
      if (list) for (const i of list) found.add(i);
    };
    for (const token of index.keys()) {
      // the informal suffixes find() accepts after a whole word: "paspornya" starts "paspor"
      add(this.triggers.get(token));
      for (const sfx of SUFFIXES) if (sfx && token.length > sfx.length && token.endsWith(sfx)) add(this.triggers.get(token.slice(0, -sfx.length)));
      if (this.prefixTriggers.size) for (let l = 0; l <= token.length; l++) add(this.prefixTriggers.get(token.slice(0, l)));
    }
    return [...found].sort((a, b) => a - b);
  }

  static fromFile(file: string, knownAgencies?: Set<string>): RulesEngine {
    const parsed = RulesFileSchema.safeParse(readData(file));
    if (!parsed.success) throw new Error(`${file}: invalid rules file: ${parsed.error.message}`);
    const merged: RulesFile = { ...parsed.data, rules: [...parsed.data.rules] };
    for (const inc of parsed.data.include) {
      const incFile = path.resolve(path.dirname(file), inc);
      const cat = CatalogueFileSchema.safeParse(readData(incFile));
      if (!cat.success) throw new Error(`${incFile}: invalid catalogue file: ${cat.error.message}`);
      merged.rules.push(...cat.data.rules, ...cat.data.facilities.map((f) => facilityRule(f, cat.data.facilityOverrides)));
    }
    if (knownAgencies) {
      for (const r of merged.rules) {
        for (const s of [r.agency, ...r.suggest]) if (s && !knownAgencies.has(s)) throw new Error(`${file}: rule ${r.id} names unknown agency slug "${s}"`);
      }
    }
    return new RulesEngine(merged, file);
  }

  get rules(): Rule[] { return this.file.rules; }

  /** Fired rules after `overrides`, best first. */
  evaluate(text: string): RuleHit[] {
    const tokens = tokenize(text);
    const index = indexTokens(tokens);
    const hits: RuleHit[] = [];
    for (const i of this.candidates(index)) {
      const c = this.compiled[i]!;
      if (c.none.some((t) => find(tokens, t.words, index).length)) continue;
      const terms: string[] = [];
      const positions: number[] = [];
      const take = (t: CompiledTerm): boolean => {
        const at = find(tokens, t.words, index);
        if (!at.length) return false;
        terms.push(t.text);
        positions.push(...at);
        return true;
      };
      if (c.any.length) {
        for (const t of c.any) take(t);
        if (!terms.length) continue;
      }
      let ok = true;
      for (const g of c.all) {
        const found = g.filter(take);
        if (!found.length) { ok = false; break; }
      }
      if (!ok) continue;
      const distinct = [...new Set(terms)];
      hits.push({ rule: c.rule, score: Math.min(1, c.rule.weight + 0.02 * (distinct.length - 1)), terms: distinct, positions: [...new Set(positions)].sort((a, b) => a - b) });
    }
    // an incidental mention ("keluar tol", "bukan RSUP ...") does not override the rule about the subject
    markIncidental(tokens, hits);
    const overridden = new Set(hits.flatMap((h) => (h.incidental ? [] : h.rule.overrides)));
    return hits.filter((h) => !overridden.has(h.rule.id)).sort((a, b) => b.score - a.score);
  }
}

/**
 * A rule fired on a mention that does not say what the complaint is about: the term is a landmark or a
 * direction ("depan kampus ITB", "keluar tol Banyumanik"), it is negated ("bukan RSUP M. Djamil"), or it sits
 * before a "tapi" after which another rule's matter follows ("mau perpanjang SIM, tapi jalan menuju Satpas
 * rusak"). Such a hit keeps INCIDENTAL_FACTOR of its score (it stays an alternative) when another rule fired
 * on the subject; alone, it still decides.
 */
function markIncidental(tokens: string[], hits: RuleHit[]): void {
  if (hits.length < 2) return;
  const contrastAt = tokens.findIndex((t) => CONTRAST.has(t));
  // why one mention is an aside (undefined: it may be the subject)
  const aside = (p: number, contrastCounts: boolean): string | undefined => {
    // a landmark word up to three tokens before ("depan Universitas Airlangga kampus C", "keluar tol Banyumanik")
    if ([1, 2, 3].some((k) => p - k >= 0 && LANDMARK_BEFORE.has(tokens[p - k]!))) return 'landmark or direction';
    if ((p >= 1 && NEGATION.has(tokens[p - 1]!)) || (p >= 2 && NEGATION.has(tokens[p - 2]!)) || tokens.slice(p + 1, p + 5).some((t) => NEGATION.has(t))) return 'negated';
    if (contrastCounts && contrastAt > 0 && p < contrastAt) return 'before "tapi"';
    return undefined;
  };
  const reason = (h: RuleHit, contrastCounts: boolean): string | undefined => {
    const why = h.positions.map((p) => aside(p, contrastCounts));
    return why.length && why.every(Boolean) ? [...new Set(why)].join(', ') : undefined;
  };
  // "tapi" only turns the matter when a hit that is not itself an aside has a mention after it
  const contrastCounts = contrastAt > 0 && hits.some((h) => !reason(h, false) && h.positions.some((p) => p > contrastAt));
  const marked = hits.map((h) => ({ h, why: reason(h, contrastCounts) }));
  // only when another hit is about the subject (not itself incidental)
  if (!marked.some((m) => !m.why)) return;
  for (const m of marked) {
    if (!m.why) continue;
    m.h.incidental = m.why;
    m.h.score = m.h.score * INCIDENTAL_FACTOR;
  }
}

/** Words that announce a second, separate matter ("selain itu", "kedua", "two problems"). */
const SECOND_MATTER: string[][] = [
  'selain itu', 'dan juga', 'satu lagi', 'kedua', 'dua hal', 'dua masalah', 'dua keluhan', 'keluhan kedua', 'masalah lain', 'two problems',
  'two issues', 'also', 'secondly', 'second',
].map((p) => p.split(' '));

/** The text announces more than one matter (a cue phrase, or a numbered list "1. … 2. …"). */
export function announcesSecondMatter(text: string): boolean {
  const tokens = tokenize(text);
  if (SECOND_MATTER.some((w) => find(tokens, w).length > 0)) return true;
  return /(^|\s)1[.)]\s[\s\S]*\s2[.)]\s/.test(text);
}

function facilityRule(f: Facility, overrides: string[]): Rule {
  return {
    id: `facility.${f.id}`,
    description: `${f.name} (${f.type})`,
    level: f.owner.level,
    ...(f.owner.level === 'province' ? { province: f.owner.code } : { regency: f.owner.code }),
    weight: 0.95,
    match: { any: f.names, all: [], none: [] },
    overrides,
    suggest: [],
    legalBasis: f.legalBasis,
    source: f.source,
  };
}

const categoriesByFile = new Map<string, Rule[]>();

/**
 * The complaint categories offered to clients (Open311's services, `service_code` = rule id):
 * the main rules file's own rules. Included catalogues (national services, named facilities)
 * refine routing and are not categories anyone picks. Read once per file.
 */
export function complaintCategories(file = defaultRulesFile()): Rule[] {
  let rules = categoriesByFile.get(file);
  if (!rules) {
    const parsed = RulesFileSchema.safeParse(readData(file));
    if (!parsed.success) throw new Error(`${file}: invalid rules file: ${parsed.error.message}`);
    rules = parsed.data.rules;
    categoriesByFile.set(file, rules);
  }
  return rules;
}

function readData(file: string): unknown {
  const raw = fs.readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(raw) : parseYaml(raw);
}

function wordMatches(tok: string, w: string): boolean {
  if (w.endsWith('*')) return tok.startsWith(w.slice(0, -1));
  // informal suffixes: "paspornya", "jalannya", "sekolahku"
  return tok === w || (tok.length > w.length && tok.startsWith(w) && /^(nya|ku|mu)$/.test(tok.slice(w.length)));
}

/** Positions of each token, so a phrase is looked up by its first word instead of scanning the text (keeps 100+ rules under 1 ms). */
type TokenIndex = Map<string, number[]>;
function indexTokens(tokens: string[]): TokenIndex {
  const index: TokenIndex = new Map();
  tokens.forEach((t, i) => {
    const at = index.get(t);
    if (at) at.push(i);
    else index.set(t, [i]);
  });
  return index;
}

const SUFFIXES = ['', 'nya', 'ku', 'mu'];

/** Start positions of every occurrence of the phrase, in text order. */
function find(tokens: string[], words: string[], index?: TokenIndex): number[] {
  const at: number[] = [];
  if (!words.length) return at;
  const first = words[0]!;
  let starts: number[];
  if (!index || first.endsWith('*')) starts = tokens.map((_, i) => i);
  else {
    starts = [];
    for (const sfx of SUFFIXES) starts.push(...(index.get(first + sfx) ?? []));
    starts.sort((a, b) => a - b);
  }
  outer: for (const i of starts) {
    if (i + words.length > tokens.length) continue;
    for (let k = 0; k < words.length; k++) if (!wordMatches(tokens[i + k]!, words[k]!)) continue outer;
    at.push(i);
  }
  return at;
}
