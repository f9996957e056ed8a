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
  /** multi-word names (all levels, villages included) with their spaces removed ("baubau", "gununganyar") */
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
      this.add(v.name, { level: 'village', code: v.code, regencyCode: v.regencyCode, provinceCode: reg.provinceCode, via: 'official' });
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
    if (withCompact && multi) {
      const ck = compactKey(name);
      let list = this.compact.get(ck);
      if (!list) { list = []; this.compact.set(ck, list); }
      // village entries are shared with the exact index (no copy: 31k multi-word village names)
      if (e.level === 'village') list.push(e);
      else if (!list.some((x) => x.level === e.level && x.code === e.code)) list.push({ ...e, via: e.via + '+compact' });
    }
  }

  /**
   * All names found starting at token i: [length in tokens, entries], longest first.
   * Besides the exact key, a window of 1-4 tokens also matches a name written with other spacing:
   * "gununganyar" = "Gunung Anyar", "sumber rejo" = "Sumberrejo", "simo mulyo baru" = "Simomulyo Baru".
   * Such a re-spaced window needs every token to be a word of 3+ letters ("ke malang" is not "Kemalang").
   * Exact and re-spaced readings of the same window are merged.
   */
  lookupAt(tokens: string[], i: number): Array<{ len: number; key: string; entries: PlaceEntry[] }> {
    const byLen = new Map<number, PlaceEntry[]>();
    const put = (len: number, entries: PlaceEntry[]) => {
      if (!entries.length) return;
      const cur = byLen.get(len);
      if (!cur) { byLen.set(len, entries); return; }
      const merged = cur.slice();
      for (const e of entries) if (!merged.some((x) => x.level === e.level && x.code === e.code)) merged.push(e);
      byLen.set(len, merged);
    };
    const slot = this.byFirst.get(tokens[i]);
    if (slot) {
      for (const len of slot.lengths) {
        if (i + len > tokens.length) continue;
        const key = len === 1 ? tokens[i] : tokens.slice(i, i + len).join(' ');
        const g = slot.groups.get(key);
        if (g) put(len, g.entries);
      }
    }
    let ck = '';
    for (let len = 1; len <= 4 && i + len <= tokens.length; len++) {
      const t = tokens[i + len - 1];
      if (t.length < 3 || !/^[a-z]+$/.test(t)) break;
      ck += t;
      // a multi-word name written with other spacing ("gununganyar" for "Gunung Anyar", "simo mulyo baru")
      const c = this.compact.get(ck);
      if (c) put(len, c);
      // a one-token name written in two or three ("palangka raya" for "Palangkaraya", "simo mulyo" for "Simomulyo")
      if (len > 1) {
        const s1 = this.byFirst.get(ck)?.groups.get(ck);
        if (s1) put(len, s1.entries);
      }
    }
    const out: Array<{ len: number; key: string; entries: PlaceEntry[] }> = [];
    for (const [len, entries] of byLen) out.push({ len, key: len === 1 ? tokens[i] : tokens.slice(i, i + len).join(' '), entries });
    out.sort((a, b) => b.len - a.len);
    return out;
  }
}
