import type { ReferenceData } from './reference-data';
import { compactKey, nameKey } from './text';

export type PlaceLevel = 'province' | 'regency' | 'district' | 'village';

/** One way of reading a name: the place it may denote. Codes are current-edition. */
export interface PlaceEntry {
  level: PlaceLevel;
  code: string;
  /** the regency the place lies in (empty for provinces) */
  regencyCode: string;
  provinceCode: string;
  /** how the name was obtained: official, core, alias:<type>, compact */
  via: string;
}

interface KeyGroup { key: string; entries: PlaceEntry[] }

/**
 * Name index over provinces, regencies, kecamatan and desa/kelurahan (plus aliases.csv).
 * Keys are normalised token strings; lookup walks each text position, longest key first.
 * Indexed by first token (not a trie) to keep memory low with 84k village names.
 */
export class Gazetteer {
  private readonly byFirst = new Map<string, { lengths: number[]; groups: Map<string, KeyGroup> }>();
  /** multi-word names with their spaces removed ("baubau"), to match text written without/with spaces */
  private readonly compact = new Map<string, PlaceEntry[]>();
  size = 0;

  constructor(ref: ReferenceData) {
    for (const p of ref.provinces.values()) {
      const e: PlaceEntry = { level: 'province', code: p.code, regencyCode: '', provinceCode: p.code, via: 'official' };
      this.add(p.name, e);
      if (p.nameShort !== p.name) this.add(p.nameShort, { ...e, via: 'short_name' });
    }
    for (const p of ref.provinces2019.values()) {
      // 2019 names (e.g. "P A P U A" re-cased) – harmless duplicates are de-duplicated by add()
      this.add(p.name, { level: 'province', code: p.codeCurrent, regencyCode: '', provinceCode: p.codeCurrent, via: 'official_2019' });
    }
    for (const r of ref.regencies.values()) {
      const e: PlaceEntry = { level: 'regency', code: r.code, regencyCode: r.code, provinceCode: r.provinceCode, via: 'core' };
      this.add(r.nameCore, e);
      const kep = nameKey(r.nameCore);
      if (kep.startsWith('kep ')) this.add('kepulauan ' + kep.slice(4), e);
    }
    for (const r of ref.regencies2019.values()) {
      // former names (Toba Samosir, Pahuwato, ...) from the 2019 edition
      const core = r.name.replace(/^(Kabupaten|Kota)\s+/i, '').replace(/^Administrasi\s+/i, '');
      const cur = ref.regencies.get(r.codeCurrent);
      if (cur) this.add(core, { level: 'regency', code: cur.code, regencyCode: cur.code, provinceCode: cur.provinceCode, via: 'name_2019' });
    }
    for (const d of ref.districts.values()) {
      const reg = ref.regencies.get(d.regencyCode);
      if (!reg) continue;
      const e: PlaceEntry = { level: 'district', code: d.code, regencyCode: d.regencyCode, provinceCode: reg.provinceCode, via: 'official' };
      this.add(d.name, e);
      if (d.name.includes('/')) for (const part of d.name.split('/')) this.add(part, e);
    }
    for (const v of ref.villages) {
      const reg = ref.regencies.get(v.regencyCode);
      if (!reg) continue;
      this.add(v.name, { level: 'village', code: v.code, regencyCode: v.regencyCode, provinceCode: reg.provinceCode, via: 'official' }, false);
    }
    for (const a of ref.aliases) {
      // "Kab. X" aliases are covered by cue handling in the matcher
      if (/^kab\.?\s/i.test(a.alias)) continue;
      let e: PlaceEntry | undefined;
      if (a.level === 'province') e = { level: 'province', code: a.code, regencyCode: '', provinceCode: a.code, via: `alias:${a.type}` };
      else if (a.level === 'regency') {
        const r = ref.regencies.get(a.code);
        if (r) e = { level: 'regency', code: r.code, regencyCode: r.code, provinceCode: r.provinceCode, via: `alias:${a.type}` };
      } else {
        const d = ref.districts.get(a.code);
        const r = d && ref.regencies.get(d.regencyCode);
        if (d && r) e = { level: 'district', code: d.code, regencyCode: r.code, provinceCode: r.provinceCode, via: `alias:${a.type}` };
      }
      if (e) this.add(a.alias, e);
    }
  }

  private add(name: string, e: PlaceEntry, withCompact = true): void {
    const key = nameKey(name);
    if (!key) return;
    const sp = key.indexOf(' ');
    const first = sp < 0 ? key : key.slice(0, sp);
    let slot = this.byFirst.get(first);
    if (!slot) { slot = { lengths: [], groups: new Map() }; this.byFirst.set(first, slot); }
    let g = slot.groups.get(key);
    const multi = sp >= 0;
    if (!g) {
      g = { key, entries: [] };
      slot.groups.set(key, g);
      const len = multi ? key.split(' ').length : 1;
      if (!slot.lengths.includes(len)) { slot.lengths.push(len); slot.lengths.sort((a, b) => b - a); }
    }
    // village codes are unique: skip the duplicate check for them
    if (e.level === 'village' || !g.entries.some((x) => x.level === e.level && x.code === e.code)) { g.entries.push(e); this.size++; }
    if (withCompact && multi && e.level !== 'village') {
      const ck = compactKey(name);
      const list = this.compact.get(ck) ?? [];
      if (!list.some((x) => x.level === e.level && x.code === e.code)) list.push({ ...e, via: e.via + '+compact' });
      this.compact.set(ck, list);
    }
  }

  /** All names found starting at token i: [length in tokens, entries]. */
  lookupAt(tokens: string[], i: number): Array<{ len: number; key: string; entries: PlaceEntry[] }> {
    const out: Array<{ len: number; key: string; entries: PlaceEntry[] }> = [];
    const slot = this.byFirst.get(tokens[i]);
    if (slot) {
      for (const len of slot.lengths) {
        if (i + len > tokens.length) continue;
        const key = len === 1 ? tokens[i] : tokens.slice(i, i + len).join(' ');
        const g = slot.groups.get(key);
        if (g) out.push({ len, key, entries: g.entries });
      }
    }
    for (let len = 1; len <= 3 && i + len <= tokens.length; len++) {
      if (out.some((o) => o.len === len)) continue;
      const ck = tokens.slice(i, i + len).join('');
      const key = tokens.slice(i, i + len).join(' ');
      // a multi-word official name written as one token ("baubau" for "Bau Bau")
      const c = this.compact.get(ck);
      if (c) { out.push({ len, key, entries: c }); continue; }
      // a one-token official name written in two or three ("palangka raya" for "Palangkaraya")
      if (len > 1) {
        const s1 = this.byFirst.get(ck)?.groups.get(ck);
        if (s1) out.push({ len, key, entries: s1.entries.filter((e) => e.level !== 'village') });
      }
    }
    out.sort((a, b) => b.len - a.len);
    return out.filter((o) => o.entries.length > 0);
  }
}
