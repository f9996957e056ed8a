import * as fs from 'fs';
import * as path from 'path';
import { parseCsv } from './csv';

export type Edition = 'current' | '2019';
export type RegencyType = 'kabupaten' | 'kota';

export interface Province { code: string; name: string; nameShort: string; code2019: string | null; formedFrom: string | null }
export interface Province2019 { code: string; name: string; codeCurrent: string }
export interface Regency {
  code: string; provinceCode: string; type: RegencyType; isAdministrative: boolean;
  name: string; nameCore: string; code2019: string; provinceCode2019: string;
}
export interface Regency2019 { code: string; provinceCode: string; type: RegencyType; name: string; codeCurrent: string }
export interface District { code: string; regencyCode: string; name: string }
export interface Village { code: string; districtCode: string; regencyCode: string; name: string; type: 'desa' | 'kelurahan' }
export interface Alias { alias: string; level: 'province' | 'regency' | 'district'; code: string; type: string; ambiguous: boolean }
export interface Agency {
  slug: string; name: string; acronym: string; aliases: string[]; type: string;
  parentSlug: string | null; status: string; legalBasis: string;
}

/** All reference tables, keyed by current-edition codes; 2019 codes are translated through the maps. */
export interface ReferenceData {
  provinces: Map<string, Province>;
  provinces2019: Map<string, Province2019>;
  regencies: Map<string, Regency>;
  regencies2019: Map<string, Regency2019>;
  districts: Map<string, District>;
  villages: Village[];
  villageByCode: Map<string, Village>;
  aliases: Alias[];
  agencies: Map<string, Agency>;
  /** optional kecamatan-common-words.txt: kecamatan names that are ordinary words */
  kecamatanCommonWords: Set<string>;
  boundariesFile: string;
}

function read(dir: string, file: string): Record<string, string>[] {
  return parseCsv(fs.readFileSync(path.join(dir, file), 'utf8'));
}

export function loadReferenceData(dir: string): ReferenceData {
  const provinces = new Map<string, Province>();
  for (const r of read(dir, 'provinces.csv')) {
    provinces.set(r.code, { code: r.code, name: r.name, nameShort: r.name_short || r.name, code2019: r.code_2019 || null, formedFrom: r.formed_from_code || null });
  }
  const provinces2019 = new Map<string, Province2019>();
  for (const r of read(dir, 'provinces-2019.csv')) {
    provinces2019.set(r.code, { code: r.code, name: r.name, codeCurrent: r.code_current });
  }
  const regencies = new Map<string, Regency>();
  for (const r of read(dir, 'regencies.csv')) {
    regencies.set(r.code, {
      code: r.code, provinceCode: r.province_code, type: r.type as RegencyType, isAdministrative: r.is_administrative === 'true',
      name: r.name, nameCore: r.name_core, code2019: r.code_2019, provinceCode2019: r.province_code_2019,
    });
  }
  const regencies2019 = new Map<string, Regency2019>();
  for (const r of read(dir, 'regencies-2019.csv')) {
    regencies2019.set(r.code, { code: r.code, provinceCode: r.province_code, type: r.type as RegencyType, name: r.name, codeCurrent: r.code_current });
  }
  const districts = new Map<string, District>();
  for (const r of read(dir, 'districts.csv')) districts.set(r.code, { code: r.code, regencyCode: r.regency_code, name: r.name });
  const villages: Village[] = [];
  const villageByCode = new Map<string, Village>();
  for (const r of read(dir, 'villages.csv')) {
    const v: Village = { code: r.code, districtCode: r.district_code, regencyCode: r.regency_code, name: r.name, type: r.type as Village['type'] };
    villages.push(v);
    villageByCode.set(v.code, v);
  }
  const aliases: Alias[] = read(dir, 'aliases.csv').map((r) => ({
    alias: r.alias, level: r.target_level as Alias['level'], code: r.target_code, type: r.alias_type, ambiguous: r.ambiguous === 'true',
  }));
  const agencies = new Map<string, Agency>();
  for (const r of read(dir, 'agencies.csv')) {
    agencies.set(r.slug, {
      slug: r.slug, name: r.name, acronym: r.acronym,
      aliases: r.aliases ? r.aliases.split(';').map((s) => s.trim()).filter(Boolean) : [],
      type: r.type, parentSlug: r.parent_slug || null, status: r.status, legalBasis: r.legal_basis,
    });
  }
  const cwFile = path.join(dir, 'kecamatan-common-words.txt');
  const kecamatanCommonWords = new Set<string>(
    fs.existsSync(cwFile) ? fs.readFileSync(cwFile, 'utf8').split('\n').map((l) => l.trim().toLowerCase()).filter((l) => l && !l.startsWith('#')) : [],
  );
  return { provinces, provinces2019, regencies, regencies2019, districts, villages, villageByCode, aliases, agencies, kecamatanCommonWords, boundariesFile: path.join(dir, 'boundaries.geojson') };
}
