import type { Gazetteer, PlaceEntry, PlaceLevel } from './gazetteer';
import type { ReferenceData } from './reference-data';
import { tokenize } from './text';

export type Cue = 'province' | 'kabupaten' | 'kota' | 'district' | 'village';

export interface Reading extends PlaceEntry { weight: number }

/** A place name found in the text, with every place it may denote (after cue filtering). */
export interface PlaceMention {
  span: string;
  start: number;
  end: number;
  cue?: Cue;
  readings: Reading[];
}

/** Words before a name that say what kind of place it is. Longest first. */
const CUES: Array<[string[], Cue]> = [
  [['wali', 'kota'], 'kota'],
  ...(['kota', 'kotamadya', 'kotamadia', 'kodya', 'pemkot', 'walikota', 'kot'] as const).map((w): [string[], Cue] => [[w], 'kota']),
  ...(['kab', 'kabupaten', 'kabupatan', 'kbupaten', 'kabupten', 'pemkab', 'bupati', 'kabupatn'] as const).map((w): [string[], Cue] => [[w], 'kabupaten']),
  ...(['provinsi', 'prov', 'propinsi', 'pemprov', 'gubernur', 'provensi'] as const).map((w): [string[], Cue] => [[w], 'province']),
  ...(['kecamatan', 'kec', 'kcmtn', 'kecamtan', 'kecamatn', 'camat', 'kcm'] as const).map((w): [string[], Cue] => [[w], 'district']),
  ...(['desa', 'kelurahan', 'kel', 'kalurahan', 'gampong', 'nagari', 'ds', 'kelurhan', 'kelurahn', 'lurah', 'kades', 'kelurahaan'] as const).map(
    (w): [string[], Cue] => [[w], 'village'],
  ),
];
/** Filler between a cue and the name ("kota administrasi jakarta selatan", "kab. adm. kep. seribu"). */
const CUE_FILLER = new Set(['administrasi', 'adm', 'daerah', 'dki']);
/** A name right after these is a street name ("jl. bandung", "jalan raya bogor"), not the place. */
const STREET = new Set(['jalan', 'jl', 'jln', 'gang', 'gg', 'jalur']);

/**
 * Ordinary Indonesian words that are also kecamatan or desa names. Without a cue
 * ("kec. larangan", "desa baru") such a name is not taken as a place.
 */
const COMMON_WORDS = new Set(
  ('baru jaya sari mulya mulia makmur indah raya timur barat utara selatan tengah pusat kota pasar sungai gunung bukit batu tanah ' +
    'air laut pantai kampung pulau teluk tanjung muara kuala simpang lima empat tiga dua satu enam tujuh delapan sembilan sepuluh ' +
    'seribu rumah sekolah kantor desa padang bandar bangun harapan merdeka sejahtera damai mandiri sentosa bahagia maju karya sumber ' +
    'rejo agung bakti bhakti taman larangan galang kubu bulu waru talun parigi wates rumbia kali kaliwungu dalam luar atas bawah ' +
    'hilir hulu ilir ulu kanan kiri tua muda lama besar kecil panjang tinggi rendah baik bagus indah anyar jembatan pagi siang sore ' +
    'malam senin selasa rabu kamis jumat sabtu minggu bulan tahun hari tengah pinang kelapa mangga durian nangka kopi teh gula ' +
    'tebu padi sawah kebun hutan danau rawa kolam sumur ladang lapangan balai pondok pondokan pesantren masjid gereja candi ' +
    'benteng kubang lubuk koto nagari dusun lorong gang blok sektor sentral central mekar suka tunas bintang bulan matahari ' +
    'bunga melati mawar cempaka kenanga anggrek rambutan jeruk salak pisang kelapa sawit karet emas perak besi tembaga intan ' +
    'permata mutiara nusa negeri negara bangsa rakyat sentra pelita harapan cahaya terang gelap api angin hujan embun ' +
    'banjir longsor rusak jalan lurus belok tikungan simpang perempatan pertigaan terminal stasiun bandara pelabuhan dermaga ' +
    'tambak tanjungan kuta kute gading genting tapak tugu wonosari mulyorejo sidomulyo sidorejo karanganyar mekarjaya sukamaju ' +
    'mekarsari sukorejo wonorejo tanjungsari banjarsari sidodadi sumberejo sukaraja karangsari purwosari purwodadi rejosari ' +
    'karangrejo sukajaya sumberagung gunungsari jatisari kauman sukasari tamansari sukodono bojong kandangan cibeureum ' +
    'pabuaran cimanggu caringin cisarua lengkong susukan jetis sawahan arjasa kuripan binuang gondang ngawen banjar ' +
    'sukadana sukoharjo rembang jombang pacet pagelaran cibitung sukaresmi karangtengah cibeber gebang').split(/\s+/),
);

/** Kabupaten/kota core names that are ordinary words; they need a cue ("kota batu", "kab. puncak"). */
const COMMON_REGENCY_CORES = new Set([
  'batu', 'puncak', 'batang', 'metro', 'seram', 'buru', 'landak', 'pati', 'tual', 'lahat', 'kaur', 'muna', 'aru', 'bone', 'ende',
  'banjar', 'sabu', 'sigi', 'paser', 'kota baru', 'tanah laut', 'malaka', 'toba', 'lingga', 'karo',
]);

const CUE_LEVEL: Record<Cue, PlaceLevel> = { province: 'province', kabupaten: 'regency', kota: 'regency', district: 'district', village: 'village' };

export class PlaceMatcher {
  /**
   * @param extraCommonWords single-word kecamatan names that are ordinary words
   *   (regions/kecamatan-common-words.txt); they then need a cue like the built-in list.
   */
  constructor(private readonly gaz: Gazetteer, private readonly ref: ReferenceData, private readonly extraCommonWords: ReadonlySet<string> = new Set()) {}

  match(text: string): PlaceMention[] {
    const tokens = tokenize(text);
    type Cand = { start: number; len: number; key: string; entries: PlaceEntry[] };
    const cands: Cand[] = [];
    for (let i = 0; i < tokens.length; i++) {
      for (const hit of this.gaz.lookupAt(tokens, i)) cands.push({ start: i, ...hit });
    }
    const scored = cands.map((c) => ({ c, m: this.interpret(tokens, c.start, c.len, c.key, c.entries) }));
    // a weak reading (no usable place) still blocks shorter names inside it, if it is multi-word
    const usable = scored.filter((x) => x.m.readings.length > 0 || x.c.len > 1);
    usable.sort((a, b) => b.c.len - a.c.len || (b.m.readings.length > 0 ? 1 : 0) - (a.m.readings.length > 0 ? 1 : 0) || a.c.start - b.c.start);
    const taken = new Array<boolean>(tokens.length).fill(false);
    const out: PlaceMention[] = [];
    for (const { c, m } of usable) {
      let free = true;
      for (let k = c.start; k < c.start + c.len; k++) if (taken[k]) { free = false; break; }
      if (!free) continue;
      for (let k = c.start; k < c.start + c.len; k++) taken[k] = true;
      if (m.readings.length) out.push(m);
    }
    return out.sort((a, b) => a.start - b.start);
  }

  private cueBefore(tokens: string[], start: number): { cue?: Cue; street: boolean } {
    let j = start - 1;
    while (j >= 0 && CUE_FILLER.has(tokens[j])) j--;
    if (j < 0) return { street: false };
    for (const [words, cue] of CUES) {
      const s = j - words.length + 1;
      if (s >= 0 && words.every((w, k) => tokens[s + k] === w)) return { cue, street: false };
    }
    const street = STREET.has(tokens[j]) || (tokens[j] === 'raya' && j > 0 && STREET.has(tokens[j - 1]));
    return { street };
  }

  private interpret(tokens: string[], start: number, len: number, key: string, entries: PlaceEntry[]): PlaceMention {
    const { cue, street } = this.cueBefore(tokens, start);
    const mention: PlaceMention = { span: key, start, end: start + len, cue, readings: [] };
    if (street) return mention;
    let pool = entries;
    if (cue) {
      const lvl = CUE_LEVEL[cue];
      const same = entries.filter((e) => e.level === lvl);
      if (same.length) pool = same;
      else if (cue === 'village' || cue === 'district') {
        // "desa X" where X is no desa: accept the other readings at lower trust
        pool = entries.filter((e) => e.level !== 'village');
      }
    }
    if (cue === 'kota' || cue === 'kabupaten') {
      // "Kota Bandung": drop Kabupaten Bandung; keep a mismatched type only when nothing matches ("kota sleman")
      const typed = pool.filter((e) => e.level === 'regency' && this.ref.regencies.get(e.code)?.type === cue);
      if (typed.length) pool = typed;
    }
    const hasRegionLevel = pool.some((e) => e.level === 'regency' || e.level === 'province');
    const allCommon = key.split(' ').every((t) => COMMON_WORDS.has(t)) || (len === 1 && this.extraCommonWords.has(key));
    const readings: Reading[] = [];
    for (const e of pool) {
      let w = 0;
      switch (e.level) {
        case 'province':
          w = cue === 'province' ? 1 : 0.9;
          break;
        case 'regency': {
          const reg = this.ref.regencies.get(e.code)!;
          if (cue === 'kota' || cue === 'kabupaten') w = reg.type === cue ? 1 : 0.6;
          else if (COMMON_REGENCY_CORES.has(key) && !e.via.startsWith('alias')) w = cue ? 0.6 : 0;
          else w = cue ? 0.6 : 0.9;
          break;
        }
        case 'district':
          if (cue === 'district') w = 0.9;
          else if (hasRegionLevel) w = 0.1; // "Bandung": the kecamatan in Tulungagung is a long shot
          else if (allCommon || (len === 1 && key.length <= 3)) w = 0;
          else w = cue ? 0.5 : 0.75;
          break;
        case 'village':
          w = cue === 'village' ? 0.85 : 0;
          break;
      }
      if (w > 0) readings.push({ ...e, weight: w });
    }
    mention.readings = readings;
    return mention;
  }
}
