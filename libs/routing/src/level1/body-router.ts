import type { Alternative, BodyKind, Evidence, RoutingDecision } from '@lapor/contracts';
import { defaultRegionsDir, defaultRulesFile } from './data-paths';
import { EditionMapper } from './editions';
import { Gazetteer } from './gazetteer';
import { GeoLocator } from './geo-locator';
import { LocationResolver, round, type LocationResult } from './location-resolver';
import { PlaceMatcher } from './place-matcher';
import { loadReferenceData, type Edition, type ReferenceData } from './reference-data';
import { announcesSecondMatter, INCIDENTAL_FACTOR, RulesEngine, type RuleHit } from './rules-engine';
import { classifySubmissionType } from './submission-type';

export interface BodyRouterOptions {
  edition?: 'current' | '2019';
  triageThreshold?: number;
  connectedBodies?: string[] | null;
  rulesFile?: string;
  dataDir?: string;
}
export interface RouteInput { text: string; regionCode?: string; point?: { lat: number; lon: number } }
export type DescribedBody = { kind: 'province' | 'kota' | 'kabupaten' | 'agency'; code: string; name: string };

export const TRIAGE_NAME = 'Antrian triase nasional';
export const DEFAULT_TRIAGE_THRESHOLD = 0.5;

/** Heavy, edition-independent part: tables, name index, polygons. Shared by every router on the same data folder. */
interface RegionsBundle { ref: ReferenceData; gazetteer: Gazetteer; geo: GeoLocator; loadMs: number; heapDeltaMb: number }
const bundles = new Map<string, Promise<RegionsBundle>>();
const routers = new Map<string, Promise<BodyRouter>>();

function loadBundle(dir: string): Promise<RegionsBundle> {
  let p = bundles.get(dir);
  if (!p) {
    p = new Promise<RegionsBundle>((resolve, reject) => {
      try {
        const heap0 = process.memoryUsage().heapUsed;
        const t0 = performance.now();
        const ref = loadReferenceData(dir);
        const gazetteer = new Gazetteer(ref);
        const geo = new GeoLocator(ref.boundariesFile);
        resolve({ ref, gazetteer, geo, loadMs: Math.round(performance.now() - t0), heapDeltaMb: Math.round((process.memoryUsage().heapUsed - heap0) / 1048576) });
      } catch (e) {
        bundles.delete(dir);
        reject(e);
      }
    });
    bundles.set(dir, p);
  }
  return p;
}

interface Candidate { kind: Exclude<BodyKind, 'triage'>; code: string; confidence: number }

/** Level-1 router: which body (province, kota, kabupaten, national agency or triage) answers a complaint. */
export class BodyRouter {
  readonly edition: Edition;
  readonly triageThreshold: number;
  private readonly editions: EditionMapper;
  private readonly resolver: LocationResolver;
  private readonly connected: Set<string> | null;

  private constructor(
    private readonly bundle: RegionsBundle,
    private readonly rules: RulesEngine,
    options: BodyRouterOptions,
  ) {
    this.edition = options.edition ?? 'current';
    this.triageThreshold = options.triageThreshold ?? DEFAULT_TRIAGE_THRESHOLD;
    if (!(this.triageThreshold >= 0 && this.triageThreshold <= 1)) throw new Error('triageThreshold must be in [0,1]');
    this.editions = new EditionMapper(bundle.ref, this.edition);
    this.resolver = new LocationResolver(bundle.ref, this.editions, new PlaceMatcher(bundle.gazetteer, bundle.ref, bundle.ref.kecamatanCommonWords), bundle.geo);
    this.connected = options.connectedBodies == null ? null : new Set(options.connectedBodies.map((c) => this.toInternal(c)).filter((c): c is string => !!c));
  }

  /** Loads (once per distinct options) the reference data, polygons and rules. */
  static load(options: BodyRouterOptions = {}): Promise<BodyRouter> {
    const dataDir = options.dataDir ?? defaultRegionsDir();
    const rulesFile = options.rulesFile ?? defaultRulesFile();
    const key = JSON.stringify([dataDir, rulesFile, options.edition ?? 'current', options.triageThreshold ?? null, options.connectedBodies ?? null]);
    let p = routers.get(key);
    if (!p) {
      p = loadBundle(dataDir).then((bundle) => new BodyRouter(bundle, RulesEngine.fromFile(rulesFile, new Set(bundle.ref.agencies.keys())), { ...options, dataDir, rulesFile }));
      p.catch(() => routers.delete(key));
      routers.set(key, p);
    }
    return p;
  }

  /** Start-up figures of the shared reference data (for logs and the report). */
  get loadStats(): { loadMs: number; heapDeltaMb: number; names: number; polygons: number; rules: number; rulesFile: string } {
    return { loadMs: this.bundle.loadMs, heapDeltaMb: this.bundle.heapDeltaMb, names: this.bundle.gazetteer.size, polygons: this.bundle.geo.count, rules: this.rules.rules.length, rulesFile: this.rules.source };
  }

  describe(code: string): DescribedBody | undefined {
    const a = this.bundle.ref.agencies.get(code);
    if (a) return { kind: 'agency', code: a.slug, name: a.name };
    const cur = this.editions.toCurrent(code);
    if (!cur) return undefined;
    return this.out(cur.level === 'province' ? 'province' : this.regKind(cur.code), cur.code);
  }

  /** The body (level 1) and the submission type (pengaduan / permintaan informasi / aspirasi). */
  route(input: RouteInput): RoutingDecision {
    return { ...this.routeBody(input), submissionType: classifySubmissionType(input.text ?? '') };
  }

  private routeBody(input: RouteInput): RoutingDecision {
    const text = input.text ?? '';
    const loc = this.resolver.resolve(input);
    const evidence: Evidence[] = [...loc.evidence];
    let hits = this.rules.evaluate(text);
    const fb = this.rules.file.fallback;
    if (!hits.length && fb && (loc.regencies.length || loc.provinces.length)) {
      hits = [{ rule: { ...fb, match: { any: [], all: [], none: [] }, overrides: [], suggest: [] }, score: fb.weight, terms: [], positions: [] }];
      evidence.push({ type: 'rule', detail: `no specific matter recognised; fallback ${fb.id} → ${fb.level} of the place (${fb.legalBasis})`, ref: fb.id, weight: fb.weight });
    } else {
      for (const h of hits) evidence.push(this.ruleEvidence(h));
    }
    if (!hits.length) {
      evidence.push({ type: 'note', detail: loc.source === 'none' ? 'no place and no recognisable matter in the text' : 'no rule applies' });
      return this.triage(0, [], evidence);
    }

    const total = hits.reduce((a, h) => a + h.score, 0);
    const cands: Candidate[] = [];
    const notes = new Set<string>();
    for (const h of hits) {
      const ruleConf = h.score * (0.6 + (0.4 * h.score) / total);
      this.candidatesFor(h, ruleConf, loc, cands, notes);
    }
    for (const n of notes) evidence.push({ type: 'note', detail: n });

    // merge by body, best first
    const merged = new Map<string, Candidate>();
    for (const c of cands) {
      const k = `${c.kind}:${c.code}`;
      const prev = merged.get(k);
      if (!prev || prev.confidence < c.confidence) merged.set(k, { ...c, confidence: round(Math.min(1, c.confidence)) });
    }
    const ranked = [...merged.values()].sort((a, b) => b.confidence - a.confidence);
    // Two matters for different bodies in one message: no single body can answer both; triage with both.
    const matters = this.separateMatters(text, hits);
    if (matters) {
      evidence.push({ type: 'note', detail: `two matters for different bodies (${matters.join(' / ')}): not assigned to one of them; sent to triage with both as alternatives` });
      return this.triage(ranked[0]?.confidence ?? 0, ranked, evidence);
    }
    const best = ranked[0];
    if (!best || best.confidence < this.triageThreshold) {
      evidence.push({
        type: 'note',
        detail: best
          ? `best choice ${this.out(best.kind, best.code).name} has confidence ${best.confidence} < threshold ${this.triageThreshold}: sent to triage`
          : 'the responsible level needs a place, and none was found: sent to triage',
      });
      return this.triage(best?.confidence ?? 0, ranked, evidence);
    }

    let chosen: Candidate = best;
    let redirectedFrom: RoutingDecision['redirectedFrom'];
    if (!this.isConnected(best.code)) {
      const parent = this.connectedParent(best);
      const from = this.out(best.kind, best.code);
      redirectedFrom = { kind: from.kind, code: from.code, name: from.name };
      if (!parent) {
        evidence.push({ type: 'connection', detail: `${from.name} (${from.code}) is not connected yet and has no connected parent: forwarded to national triage`, ref: from.code });
        return { ...this.triage(best.confidence, ranked, evidence), redirectedFrom };
      }
      const to = this.out(parent.kind, parent.code);
      evidence.push({ type: 'connection', detail: `${from.name} (${from.code}) is not connected yet: forwarded to its parent ${to.name} (${to.code})`, ref: from.code });
      chosen = { ...parent, confidence: best.confidence };
    }
    const o = this.out(chosen.kind, chosen.code);
    evidence.push(this.editionEvidence());
    return {
      kind: o.kind,
      code: o.code,
      name: o.name,
      confidence: chosen.confidence,
      evidence,
      alternatives: this.alternatives(ranked.filter((c) => c !== best), o.code),
      ...(redirectedFrom ? { redirectedFrom } : {}),
      ...this.placeWithin(o.kind, o.code, loc),
      edition: this.edition,
    };
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The rules of two strong, non-incidental hits that point to different bodies, when the text announces a
   * second matter ("selain itu", "kedua", "1. … 2. …"); undefined otherwise. Without such a cue, several
   * rules firing is one complaint seen from several sides (a puskesmas refusing BPJS patients).
   */
  private separateMatters(text: string, hits: RuleHit[]): [string, string] | undefined {
    const target = (h: RuleHit) => h.rule.agency ?? h.rule.province ?? h.rule.regency ?? h.rule.level;
    const strong = hits.filter((h) => !h.incidental && h.terms.length > 0 && h.score >= 0.7);
    const first = strong[0];
    const second = first && strong.find((h) => target(h) !== target(first));
    if (!first || !second || !announcesSecondMatter(text)) return undefined;
    return [first.rule.id, second.rule.id];
  }

  /** The kecamatan/desa named for the chosen kabupaten/kota (level 2 and local offices use it). */
  private placeWithin(kind: string, code: string, loc: LocationResult): Pick<RoutingDecision, 'place'> {
    if (kind !== 'kota' && kind !== 'kabupaten') return {};
    const current = this.editions.toCurrent(code)?.code ?? code;
    const inside = loc.places.filter((p) => p.regencyCode === current);
    const district = inside.find((p) => p.level === 'district');
    const village = inside.find((p) => p.level === 'village');
    if (!district && !village) return {};
    const districtOfVillage = village ? this.bundle.ref.districts.get(village.code.slice(0, 8)) : undefined;
    return {
      place: {
        ...(district ? { districtCode: district.code, districtName: district.name } : districtOfVillage ? { districtCode: districtOfVillage.code, districtName: districtOfVillage.name } : {}),
        ...(village ? { villageCode: village.code, villageName: village.name } : {}),
      },
    };
  }

  private candidatesFor(h: RuleHit, ruleConf: number, loc: LocationResult, out: Candidate[], notes: Set<string>): void {
    const r = h.rule;
    if (r.level === 'agency') {
      out.push({ kind: 'agency', code: r.agency!, confidence: ruleConf });
      return;
    }
    // a named facility: its owner, wherever it stands (the place stays in the evidence)
    if (r.province) {
      out.push({ kind: 'province', code: this.editions.toCurrent(r.province)?.code ?? r.province, confidence: ruleConf });
      return;
    }
    if (r.regency) {
      const code = this.editions.toCurrent(r.regency)?.code ?? r.regency;
      out.push({ kind: this.regKind(code), code, confidence: ruleConf });
      return;
    }
    if (r.level === 'province') {
      if (!loc.provinces.length) {
        notes.add(`rule ${r.id} needs the province, but no place was found`);
        for (const s of r.suggest) out.push({ kind: 'agency', code: s, confidence: ruleConf * 0.3 });
        return;
      }
      for (const p of loc.provinces.slice(0, 3)) out.push({ kind: 'province', code: p.code, confidence: ruleConf * p.confidence });
      return;
    }
    // regency level
    if (!loc.regencies.length) {
      notes.add(`rule ${r.id} needs the kabupaten/kota, but ${loc.provinces.length ? 'only the province' : 'no place'} was found`);
      for (const p of loc.provinces.slice(0, 2)) out.push({ kind: 'province', code: p.code, confidence: ruleConf * p.confidence * 0.5 });
      for (const s of r.suggest) out.push({ kind: 'agency', code: s, confidence: ruleConf * 0.3 });
      return;
    }
    const s = this.rules.file.settings;
    // administrative units of one province (Jakarta's kota administrasi) all lead to that province: their
    // shares add up ("Cempaka Putih" in Jakarta Pusat or Jakarta Timur is Jakarta either way)
    const toProvince = new Map<string, number>();
    for (const [i, g] of loc.regencies.slice(0, 3).entries()) {
      const reg = this.bundle.ref.regencies.get(g.code)!;
      if (reg.isAdministrative && s.administrativeRegenciesTo === 'province') {
        if (i === 0) notes.add(`${reg.name} is an administrative (non-autonomous) unit: its local matters go to the province (${s.administrativeLegalBasis})`);
        toProvince.set(reg.provinceCode, (toProvince.get(reg.provinceCode) ?? 0) + g.confidence);
        out.push({ kind: 'province', code: reg.provinceCode, confidence: ruleConf * Math.min(1, toProvince.get(reg.provinceCode)!) });
      } else {
        out.push({ kind: reg.type, code: reg.code, confidence: ruleConf * g.confidence });
      }
    }
  }

  private ruleEvidence(h: RuleHit): Evidence {
    const r = h.rule;
    const target = r.level === 'agency' ? `agency ${r.agency}` : r.province ? `its owner, province ${r.province}` : r.regency ? `its owner, ${r.regency}` : r.level === 'province' ? 'the province of the place' : 'the kabupaten/kota of the place';
    const aside = h.incidental ? ` (incidental mention: ${h.incidental}; weighed ×${INCIDENTAL_FACTOR})` : '';
    const source = r.source ? `; source: ${r.source}` : '';
    return { type: 'rule', detail: `${r.id} → ${target}; matched: ${h.terms.join(', ')}${aside}; legal basis: ${r.legalBasis}${source}`, ref: r.id, weight: round(h.score) };
  }

  private editionEvidence(): Evidence {
    return {
      type: 'edition',
      detail: this.edition === 'current' ? 'codes in the current edition (Kepmendagri 300.2.2-2138/2025, 38 provinces)' : 'codes in the 2019 edition (Permendagri 72/2019, 34 provinces)',
      ref: this.edition,
    };
  }

  private triage(confidence: number, ranked: Candidate[], evidence: Evidence[]): RoutingDecision {
    evidence.push(this.editionEvidence());
    return { kind: 'triage', code: '', name: TRIAGE_NAME, confidence: round(confidence), evidence, alternatives: this.alternatives(ranked, ''), edition: this.edition };
  }

  private alternatives(ranked: Candidate[], exclude: string): Alternative[] {
    const seen = new Set<string>([exclude]);
    const out: Alternative[] = [];
    for (const c of ranked) {
      const o = this.out(c.kind, c.code);
      if (seen.has(o.code)) continue;
      seen.add(o.code);
      out.push({ kind: o.kind, code: o.code, name: o.name, confidence: round(Math.min(1, c.confidence)) });
      if (out.length >= 5) break;
    }
    return out;
  }

  private regKind(code: string): 'kota' | 'kabupaten' { return this.bundle.ref.regencies.get(code)?.type ?? 'kabupaten'; }

  /** Body name and code in the configured edition. */
  private out(kind: Candidate['kind'], code: string): DescribedBody {
    if (kind === 'agency') return { kind, code, name: this.bundle.ref.agencies.get(code)?.name ?? code };
    const o = kind === 'province' ? this.editions.provinceOut(code) : this.editions.regencyOut(code);
    return { kind, code: o.code, name: o.name };
  }

  /** A configured connected-body entry (either edition, or a slug) -> internal key (current code or slug). */
  private toInternal(code: string): string | undefined {
    if (this.bundle.ref.agencies.has(code)) return code;
    return this.editions.toCurrent(code)?.code;
  }

  private isConnected(internalCode: string): boolean {
    return this.connected === null || this.connected.has(internalCode);
  }

  /** kota/kabupaten → province; unit_eselon1 agency → its parent agency; otherwise none (triage). */
  private connectedParent(c: Candidate): Candidate | undefined {
    let cur: Candidate | undefined = c;
    for (let i = 0; i < 4 && cur; i++) {
      let next: Candidate | undefined;
      if (cur.kind === 'kota' || cur.kind === 'kabupaten') {
        next = { kind: 'province', code: this.bundle.ref.regencies.get(cur.code)!.provinceCode, confidence: c.confidence };
      } else if (cur.kind === 'agency') {
        const parent: string | null | undefined = this.bundle.ref.agencies.get(cur.code)?.parentSlug;
        next = parent ? { kind: 'agency', code: parent, confidence: c.confidence } : undefined;
      }
      if (next && this.isConnected(next.code)) return next;
      cur = next;
    }
    return undefined;
  }
}
