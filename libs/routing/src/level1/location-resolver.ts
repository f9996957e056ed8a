import type { Evidence } from '@lapor/contracts';
import type { EditionMapper } from './editions';
import type { GeoLocator } from './geo-locator';
import type { PlaceMatcher, PlaceMention, Reading } from './place-matcher';
import type { ReferenceData } from './reference-data';

export interface Scored { code: string; confidence: number }

/** Where the complaint happened: candidate regencies and provinces (current codes), best first. */
/** A kecamatan or desa/kelurahan the complaint names without ambiguity (current codes). */
export interface SubPlace {
  level: 'district' | 'village';
  code: string;
  name: string;
  regencyCode: string;
}

export interface LocationResult {
  regencies: Scored[];
  provinces: Scored[];
  /** Unambiguous kecamatan/desa named by the form or the text, most specific last. */
  places: SubPlace[];
  source: 'form' | 'gps' | 'text' | 'none';
  evidence: Evidence[];
}

/** Added to the denominator so one weak mention cannot reach full confidence. */
const PRIOR_MASS = 0.25;
const FORM_CONFIDENCE = 0.98;

export class LocationResolver {
  constructor(
    private readonly ref: ReferenceData,
    private readonly editions: EditionMapper,
    private readonly matcher: PlaceMatcher,
    private readonly geo: GeoLocator,
  ) {}

  resolve(input: { text: string; regionCode?: string; point?: { lat: number; lon: number } }): LocationResult {
    const evidence: Evidence[] = [];
    const text = this.fromText(input.text ?? '', evidence);
    const places = text.places;

    // 1. a region code from a form
    if (input.regionCode && input.regionCode.trim()) {
      const r = this.editions.resolveInput(input.regionCode);
      if (!r) {
        evidence.push({ type: 'note', detail: `form region code "${input.regionCode}" is unknown in both editions; ignored`, ref: input.regionCode });
      } else {
        if (r.readAs !== this.editions.edition) {
          evidence.push({ type: 'edition', detail: `form code ${r.input} read in the ${r.readAs} edition → ${this.describeCur(r.level, r.code)}`, ref: r.input });
        }
        if (r.level === 'regency') {
          const reg = this.ref.regencies.get(r.code)!;
          const below = r.below ? `${r.below.level === 'district' ? 'kecamatan' : 'desa/kelurahan'} ${r.below.name} (${r.below.code}) in ` : '';
          evidence.push({ type: 'form_region', detail: `form region ${r.input}: ${below}${this.describeCur('regency', r.code)}`, ref: r.input, weight: FORM_CONFIDENCE });
          this.noteDisagreement(evidence, text, r.code, 'form');
          const formPlaces = r.below ? [...this.formPlaces(r.below), ...places.filter((p) => p.regencyCode === r.code)] : places.filter((p) => p.regencyCode === r.code);
          return { regencies: [{ code: r.code, confidence: FORM_CONFIDENCE }], provinces: [{ code: reg.provinceCode, confidence: FORM_CONFIDENCE }], places: formPlaces, source: 'form', evidence };
        }
        evidence.push({ type: 'form_region', detail: `form region ${r.input}: ${this.describeCur('province', r.code)} (province only)`, ref: r.input, weight: FORM_CONFIDENCE });
        const inProv = (code: string) => this.ref.regencies.get(code)?.provinceCode === r.code;
        let regencies: Scored[] = [];
        const g = input.point ? this.geo.locate(input.point.lat, input.point.lon) : undefined;
        if (g && inProv(g.regencyCode)) {
          evidence.push(this.gpsEvidence(input.point!, g.regencyCode, g.inside, g.distanceKm, g.confidence));
          regencies = [{ code: g.regencyCode, confidence: g.confidence }];
        } else {
          regencies = text.regencies.filter((s) => inProv(s.code));
        }
        return { regencies, provinces: [{ code: r.code, confidence: FORM_CONFIDENCE }], places, source: 'form', evidence };
      }
    }

    // 2. a shared GPS location
    if (input.point) {
      const g = this.geo.locate(input.point.lat, input.point.lon);
      if (!g) {
        evidence.push({ type: 'gps', detail: `point ${input.point.lat},${input.point.lon} is not within reach of any kabupaten/kota boundary; ignored`, weight: 0 });
      } else {
        evidence.push(this.gpsEvidence(input.point, g.regencyCode, g.inside, g.distanceKm, g.confidence));
        let conf = g.confidence;
        const regencies: Scored[] = [];
        const top = text.regencies[0];
        if (top && top.code === g.regencyCode) {
          conf = 1 - (1 - conf) * (1 - top.confidence);
          evidence.push({ type: 'note', detail: 'places named in the text agree with the GPS location' });
        } else {
          this.noteDisagreement(evidence, text, g.regencyCode, 'GPS location');
          if (top && top.confidence >= 0.6) conf *= 0.9;
        }
        regencies.push({ code: g.regencyCode, confidence: conf });
        for (const t of text.regencies) if (t.code !== g.regencyCode && regencies.length < 4) regencies.push({ code: t.code, confidence: t.confidence * 0.5 });
        const prov = this.ref.regencies.get(g.regencyCode)!.provinceCode;
        const tp = text.provinces.find((p) => p.code === prov);
        const provConf = tp ? 1 - (1 - g.confidence) * (1 - tp.confidence) : Math.max(g.confidence, 0.6);
        const provinces: Scored[] = [{ code: prov, confidence: provConf }];
        for (const p of text.provinces) if (p.code !== prov && provinces.length < 4) provinces.push({ code: p.code, confidence: p.confidence * 0.5 });
        return { regencies, provinces, places, source: 'gps', evidence };
      }
    }

    // 3. places named in the text
    const source = text.regencies.length || text.provinces.length ? 'text' : 'none';
    return { regencies: text.regencies, provinces: text.provinces, places, source, evidence };
  }

  /** A form code below the regency: the desa also names its kecamatan. */
  private formPlaces(below: { level: 'district' | 'village'; code: string; name: string }): SubPlace[] {
    const regencyCode = below.code.slice(0, 5);
    if (below.level === 'district') return [{ level: 'district', code: below.code, name: below.name, regencyCode }];
    const district = this.ref.districts.get(below.code.slice(0, 8));
    return [
      ...(district ? [{ level: 'district' as const, code: district.code, name: district.name, regencyCode }] : []),
      { level: 'village', code: below.code, name: below.name, regencyCode },
    ];
  }

  private gpsEvidence(p: { lat: number; lon: number }, code: string, inside: boolean, km: number, conf: number): Evidence {
    const how = inside ? 'inside the boundary of' : `outside every boundary; nearest is ${km.toFixed(1)} km away:`;
    return { type: 'gps', detail: `point ${p.lat},${p.lon} ${how} ${this.describeCur('regency', code)}`, ref: `${p.lat},${p.lon}`, weight: conf };
  }

  private noteDisagreement(evidence: Evidence[], text: { regencies: Scored[] }, chosen: string, what: string): void {
    const top = text.regencies[0];
    if (top && top.code !== chosen && top.confidence >= 0.5) {
      evidence.push({ type: 'note', detail: `the text points to ${this.describeCur('regency', top.code)}, but the ${what} is trusted more` });
    }
  }

  describeCur(level: 'province' | 'regency', code: string): string {
    const o = level === 'province' ? this.editions.provinceOut(code) : this.editions.regencyOut(code);
    return `${o.name} (${o.code})`;
  }

  /** Scores regencies and provinces from the place names in the text. */
  fromText(text: string, evidence: Evidence[]): { regencies: Scored[]; provinces: Scored[]; places: SubPlace[] } {
    let mentions = this.matcher.match(text);
    // A bare kecamatan name (no cue) that contradicts the other places named is more likely an
    // ordinary word or a landmark ("selesai", "pantai losari") than a second place: drop it.
    const bare = (m: PlaceMention) => !m.cue && (m.multiLevel || m.readings.every((r) => r.level === 'district'));
    const firm = mentions.filter((m) => !bare(m));
    if (firm.length) {
      const provs = new Set(firm.flatMap((m) => m.readings.map((r) => r.provinceCode)));
      mentions = mentions.filter((m) => {
        if (!bare(m) || m.readings.some((r) => provs.has(r.provinceCode))) return true;
        evidence.push({ type: 'note', detail: `"${m.span}" matches a kecamatan name (${this.listReadings(m.readings)}) but contradicts the other places named; ignored`, ref: m.span });
        return false;
      });
    }
    if (!mentions.length) return { regencies: [], provinces: [], places: [] };
    // Resolve ambiguous mentions by the other places named. Repeats of the same name (also written
    // with other spacing) are no evidence for each other. Bare multi-level names (PlaceMention.multiLevel)
    // are resolved after the others, only by a kabupaten/kota, and dropped when nothing resolves them.
    const sameName = (a: PlaceMention, b: PlaceMention) => a.span.replace(/ /g, '') === b.span.replace(/ /g, '');
    const resolveBy = (m: PlaceMention, context: Reading[][], regencyOnly = false): Reading[] | undefined => {
      const otherRegs = new Set<string>();
      const otherProvs = new Set<string>();
      for (const rs of context) for (const r of rs) { if (r.regencyCode) otherRegs.add(r.regencyCode); otherProvs.add(r.provinceCode); }
      let keep = m.readings.filter((r) => r.regencyCode && otherRegs.has(r.regencyCode));
      // a province reading of the same span ("Jogja" the province) stays when its regency reading is confirmed
      if (keep.length) keep = keep.concat(m.readings.filter((r) => r.level === 'province' && keep.some((k) => k.provinceCode === r.provinceCode)));
      if (!keep.length && !regencyOnly) keep = m.readings.filter((r) => otherProvs.has(r.provinceCode));
      return keep.length && keep.length < m.readings.length ? keep : undefined;
    };
    const ambiguous = (m: PlaceMention) =>
      new Set(m.readings.map((r) => r.regencyCode).filter(Boolean)).size > 1 || new Set(m.readings.map((r) => r.provinceCode)).size > 1;
    const resolved: Array<Reading[] | undefined> = mentions.map(() => undefined);
    mentions.forEach((m, i) => {
      if (m.multiLevel) return;
      if (!ambiguous(m)) { resolved[i] = m.readings; return; }
      const keep = resolveBy(m, mentions.filter((o, j) => j !== i && !o.multiLevel && !sameName(o, m)).map((o) => o.readings));
      if (keep) evidence.push({ type: 'note', detail: `"${m.span}" is ambiguous (${this.listReadings(m.readings)}); resolved by the other places named to ${this.listReadings(keep)}`, ref: m.span });
      resolved[i] = keep ?? m.readings;
    });
    mentions.forEach((m, i) => {
      if (!m.multiLevel) return;
      // first by the other (resolved) places, then by other bare names of the same kind ("mojo ... gubeng");
      // only a kabupaten/kota resolves it: the province alone still leaves desa/kelurahan all over it
      let keep = resolveBy(m, mentions.flatMap((o, j) => (j !== i && !o.multiLevel && !sameName(o, m) ? [resolved[j]!] : [])), true);
      keep ??= resolveBy(m, mentions.filter((o, j) => j !== i && o.multiLevel && !sameName(o, m)).map((o) => o.readings), true);
      if (keep) {
        evidence.push({ type: 'note', detail: `"${m.span}" is a kecamatan and a desa/kelurahan name (${this.listReadings(m.readings)}); resolved by the other places named to ${this.listReadings(keep)}`, ref: m.span });
        resolved[i] = keep;
      } else {
        evidence.push({ type: 'note', detail: `"${m.span}" is a kecamatan and a desa/kelurahan name in different places (${this.listReadings(m.readings)}) and no other place named resolves it; ignored`, ref: m.span });
      }
    });
    const kept = mentions.map((m, i) => ({ m, rs: resolved[i] })).filter((x): x is { m: PlaceMention; rs: Reading[] } => !!x.rs);
    if (!kept.length) return { regencies: [], provinces: [], places: [] };
    mentions = kept.map((x) => x.m);
    const resolvedReadings = kept.map((x) => x.rs);

    const S = new Map<string, number>();
    const P = new Map<string, number>();
    const Ponly = new Map<string, number>();
    mentions.forEach((m, i) => {
      const rs = resolvedReadings[i];
      const W = Math.max(...rs.map((r) => r.weight));
      const total = rs.reduce((a, r) => a + r.weight, 0);
      // a name that is both a province and its capital city (Jogja): the province reading means "somewhere in it"
      for (const r of rs) {
        const p = r.weight / total;
        if (r.level === 'province') {
          add(P, r.provinceCode, W * p);
          add(Ponly, r.provinceCode, W * p);
        } else {
          add(S, r.regencyCode, W * p);
          add(P, r.provinceCode, W * p);
        }
      }
      const regs = new Set(rs.map((r) => r.regencyCode || `prov:${r.provinceCode}`));
      const cue = m.cue ? ` (cue: ${m.cue})` : '';
      let detail: string;
      if (regs.size === 1 || rs.length === 1) detail = `"${m.span}"${cue} → ${this.listReadings(rs)}`;
      else {
        const top = [...rs].sort((a, b) => b.weight - a.weight)[0];
        const share = top.weight / total;
        detail =
          share >= 0.75
            ? `"${m.span}"${cue} most likely → ${this.listReadings([top])} (${Math.round(share * 100)}%); also: ${this.listReadings(rs.filter((r) => r !== top))}`
            : `"${m.span}"${cue} is ambiguous: ${this.listReadings(rs)}; left unresolved`;
      }
      evidence.push({ type: 'place_name', detail, ref: m.span, weight: round(W) });
    });
    const sumS = sum(S);
    const sumP = sum(P);
    const sumPonly = sum(Ponly);
    const regencies = [...S.entries()]
      .map(([code, s]) => {
        const prov = this.ref.regencies.get(code)!.provinceCode;
        const consistency = sumPonly > 0 ? 0.5 + 0.5 * ((Ponly.get(prov) ?? 0) > 0 ? 1 : 0) : 1;
        return { code, confidence: round((s / (sumS + PRIOR_MASS)) * consistency) };
      })
      .sort((a, b) => b.confidence - a.confidence);
    const provinces = [...P.entries()].map(([code, s]) => ({ code, confidence: round(s / (sumP + PRIOR_MASS)) })).sort((a, b) => b.confidence - a.confidence);
    const places: SubPlace[] = [];
    for (const rs of resolvedReadings) {
      if (rs.length !== 1) continue;
      const r = rs[0];
      if (r.level === 'district') places.push({ level: 'district', code: r.code, name: this.ref.districts.get(r.code)?.name ?? r.code, regencyCode: r.regencyCode });
      if (r.level === 'village') places.push({ level: 'village', code: r.code, name: this.ref.villageByCode.get(r.code)?.name ?? r.code, regencyCode: r.regencyCode });
    }
    return { regencies, provinces, places };
  }

  private listReadings(rs: Reading[]): string {
    const parts = rs.slice(0, 6).map((r) => {
      switch (r.level) {
        case 'province': return `provinsi ${this.editions.provinceOut(r.code).name}`;
        case 'regency': return this.describeCur('regency', r.code);
        case 'district': return `kecamatan ${this.ref.districts.get(r.code)?.name} (${r.code}) in ${this.editions.regencyOut(r.regencyCode).name}`;
        case 'village': {
          const v = this.ref.villageByCode.get(r.code);
          return `${v?.type} ${v?.name} (${r.code}) in ${this.editions.regencyOut(r.regencyCode).name}`;
        }
      }
    });
    return parts.join('; ') + (rs.length > 6 ? `; … ${rs.length - 6} more` : '');
  }
}

function add(m: Map<string, number>, k: string, v: number): void { m.set(k, (m.get(k) ?? 0) + v); }
function sum(m: Map<string, number>): number { let s = 0; for (const v of m.values()) s += v; return s; }
export function round(x: number): number { return Math.round(x * 1000) / 1000; }
