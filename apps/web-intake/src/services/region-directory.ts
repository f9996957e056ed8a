import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
// The routing library's own reader and data folder (libs/routing/data/regions, Kepmendagri codes);
// deep imports so web-intake does not load the router's gazetteer, polygons and classifier.
import { parseCsv } from '@lapor/routing/level1/csv';
import { defaultRegionsDir } from '@lapor/routing/level1/data-paths';

export type RegionLevel = 'province' | 'regency' | 'district' | 'village';
export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'regency', 'district', 'village'];

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  /** null for a province. */
  parentCode: string | null;
}

/** Why a well-formed region code is not one we know: a validation catalogue key with its values. */
export type RegionCheck =
  | { ok: true; region: Region | undefined }
  | { ok: false; key: 'regionCode.unknownProvince' | 'regionCode.unknownRegency' | 'regionCode.unknownDistrict' | 'regionCode.unknownVillage'; code: string; parent: Region | undefined };

interface Tables {
  byCode: Map<string, Region>;
  children: Map<string, Region[]>;
  /** Codes of the 2019 edition (Permendagri 72/2019) that the router still translates: provinces and regencies. */
  codes2019: Set<string>;
}

const ROOT = '';
const byName = new Intl.Collator('id').compare;

/**
 * The Kemendagri regions for the web form's place picker and for checking a `regionCode`:
 * provinces, kabupaten/kota and kecamatan on first use (a few ms), desa/kelurahan (84k rows)
 * only when someone first goes that deep. Read-only reference data; the router keeps its own
 * richer copy (names, aliases, polygons) for routing.
 */
@Injectable()
export class RegionDirectory {
  private tables?: Tables;
  private villagesLoaded = false;

  /** LAPOR_ROUTING_DATA_DIR, or the repository's libs/routing/data (data-paths.ts). */
  private readonly dir = defaultRegionsDir();

  get(code: string): Region | undefined {
    if (code.split('.').length === 4) this.loadVillages();
    return this.load().byCode.get(code);
  }

  /** Provinces (no parent), or the regions directly below `code`, by name. */
  children(code: string | null): Region[] {
    if (code && code.split('.').length === 3) this.loadVillages();
    return this.load().children.get(code ?? ROOT) ?? [];
  }

  /** The region and the ones above it, province first. */
  lineage(code: string): Region[] {
    const out: Region[] = [];
    for (let r = this.get(code); r; r = r.parentCode ? this.get(r.parentCode) : undefined) out.unshift(r);
    return out;
  }

  /**
   * Whether a well-formed code names a region: each level is checked from the province down,
   * so the answer says which part is unknown and under which parent. Province and regency codes
   * of the 2019 edition are accepted (the router translates them).
   */
  check(code: string): RegionCheck {
    const parts = code.split('.');
    const t = this.load();
    const levels = ['regionCode.unknownProvince', 'regionCode.unknownRegency', 'regionCode.unknownDistrict', 'regionCode.unknownVillage'] as const;
    let parent: Region | undefined;
    for (let depth = 1; depth <= parts.length; depth++) {
      const prefix = parts.slice(0, depth).join('.');
      const region = this.get(prefix);
      if (!region && !(depth <= 2 && t.codes2019.has(prefix))) return { ok: false, key: levels[depth - 1], code: prefix, parent };
      parent = region;
    }
    return { ok: true, region: parent };
  }

  private load(): Tables {
    if (this.tables) return this.tables;
    const t: Tables = { byCode: new Map(), children: new Map(), codes2019: new Set() };
    for (const r of this.read('provinces.csv')) this.add(t, { code: r.code, name: r.name, level: 'province', parentCode: null });
    for (const r of this.read('regencies.csv')) this.add(t, { code: r.code, name: r.name, level: 'regency', parentCode: r.province_code });
    for (const r of this.read('districts.csv')) this.add(t, { code: r.code, name: r.name, level: 'district', parentCode: r.regency_code });
    for (const file of ['provinces-2019.csv', 'regencies-2019.csv']) for (const r of this.read(file)) t.codes2019.add(r.code);
    for (const list of t.children.values()) list.sort((a, b) => byName(a.name, b.name));
    return (this.tables = t);
  }

  private loadVillages(): void {
    if (this.villagesLoaded) return;
    const t = this.load();
    const touched = new Set<string>();
    for (const r of this.read('villages.csv')) {
      this.add(t, { code: r.code, name: r.name, level: 'village', parentCode: r.district_code });
      touched.add(r.district_code);
    }
    for (const district of touched) t.children.get(district)!.sort((a, b) => byName(a.name, b.name));
    this.villagesLoaded = true;
  }

  private add(t: Tables, region: Region): void {
    t.byCode.set(region.code, region);
    const key = region.parentCode ?? ROOT;
    const siblings = t.children.get(key);
    if (siblings) siblings.push(region);
    else t.children.set(key, [region]);
  }

  private read(file: string): Record<string, string>[] {
    return parseCsv(readFileSync(join(this.dir, file), 'utf8'));
  }
}
