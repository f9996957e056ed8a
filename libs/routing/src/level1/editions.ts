import type { Edition, ReferenceData } from './reference-data';

export interface ResolvedRegionCode {
  level: 'province' | 'regency';
  /** current-edition code of the province or regency */
  code: string;
  /** the code as given, dotted */
  input: string;
  /** which edition the input code was read in */
  readAs: Edition;
  /** set when the input named a kecamatan or desa/kelurahan below the regency */
  below?: { level: 'district' | 'village'; code: string; name: string };
}

/** "3273" -> "32.73", "327307" -> "32.73.07", "3273071001" -> "32.73.07.1001"; dotted input is kept. */
export function dotCode(raw: string): string {
  const s = raw.trim();
  if (/^\d+(\.\d+)*$/.test(s) && s.includes('.')) return s;
  if (!/^\d+$/.test(s)) return s;
  if (s.length === 2) return s;
  if (s.length === 4) return `${s.slice(0, 2)}.${s.slice(2)}`;
  if (s.length === 6) return `${s.slice(0, 2)}.${s.slice(2, 4)}.${s.slice(4)}`;
  if (s.length === 10) return `${s.slice(0, 2)}.${s.slice(2, 4)}.${s.slice(4, 6)}.${s.slice(6)}`;
  return s;
}

/**
 * Translates region codes between the two editions. Internally everything is keyed by
 * current-edition codes; output codes and names are given in the configured edition.
 */
export class EditionMapper {
  private readonly regencyFrom2019 = new Map<string, string>();

  constructor(private readonly ref: ReferenceData, readonly edition: Edition) {
    for (const r of ref.regencies2019.values()) this.regencyFrom2019.set(r.code, r.codeCurrent);
  }

  /** Reads a province/regency/kecamatan/desa code given by a form; the configured edition is tried first. */
  resolveInput(raw: string): ResolvedRegionCode | undefined {
    const code = dotCode(raw);
    const parts = code.split('.');
    const order: Edition[] = this.edition === 'current' ? ['current', '2019'] : ['2019', 'current'];
    if (parts.length === 1) {
      for (const ed of order) {
        const cur = this.provinceToCurrent(code, ed);
        if (cur) return { level: 'province', code: cur, input: code, readAs: ed };
      }
      return undefined;
    }
    const regencyCode = parts.slice(0, 2).join('.');
    let below: ResolvedRegionCode['below'];
    if (parts.length === 3) {
      const d = this.ref.districts.get(code);
      if (d) below = { level: 'district', code, name: d.name };
    } else if (parts.length >= 4) {
      const v = this.ref.villageByCode.get(code);
      if (v) below = { level: 'village', code, name: v.name };
    }
    // kecamatan/desa codes exist in the current edition only: their regency prefix is current.
    if (below) return { level: 'regency', code: regencyCode, input: code, readAs: 'current', below };
    for (const ed of order) {
      const cur = this.regencyToCurrent(regencyCode, ed);
      if (cur) return { level: 'regency', code: cur, input: code, readAs: ed };
    }
    return undefined;
  }

  private provinceToCurrent(code: string, ed: Edition): string | undefined {
    if (ed === 'current') return this.ref.provinces.has(code) ? code : undefined;
    return this.ref.provinces2019.get(code)?.codeCurrent || undefined;
  }

  private regencyToCurrent(code: string, ed: Edition): string | undefined {
    if (ed === 'current') return this.ref.regencies.has(code) ? code : undefined;
    return this.regencyFrom2019.get(code);
  }

  /** Current province code -> code in the configured edition (93-96 fold back into 91/92 for 2019). */
  provinceOut(current: string): { code: string; name: string } {
    const p = this.ref.provinces.get(current);
    if (!p) return { code: current, name: current };
    if (this.edition === 'current') return { code: p.code, name: p.name };
    const c2019 = p.code2019 || p.formedFrom || p.code;
    return { code: c2019, name: this.ref.provinces2019.get(c2019)?.name ?? p.name };
  }

  regencyOut(current: string): { code: string; name: string } {
    const r = this.ref.regencies.get(current);
    if (!r) return { code: current, name: current };
    if (this.edition === 'current') return { code: r.code, name: r.name };
    return { code: r.code2019, name: this.ref.regencies2019.get(r.code2019)?.name ?? r.name };
  }

  /** Code in the configured edition (or the other one) -> current code, for provinces and regencies. */
  toCurrent(code: string): { level: 'province' | 'regency'; code: string } | undefined {
    const r = this.resolveInput(code);
    return r && !r.below ? { level: r.level, code: r.code } : undefined;
  }
}
