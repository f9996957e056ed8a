import type { Gazetteer, PlaceEntry, PlaceLevel } from './gazetteer';
import type { ReferenceData } from './reference-data';
import { tokenizeWithBreaks } from './text';

export type Cue = 'province' | 'kabupaten' | 'kota' | 'district' | 'village';

export interface Reading extends PlaceEntry { weight: number }

/** A place name found in the text, with every place it may denote (after cue filtering). */
export interface PlaceMention {
  span: string;
  start: number;
  end: number;
  cue?: Cue;
  readings: Reading[];
  /**
   * A bare name (no cue) read as a kecamatan that is also a desa/kelurahan name in another
   * kabupaten/kota ("mojo": kecamatan in Kediri, kelurahan in Surabaya). Its readings include those
   * desa/kelurahan; it counts only when another place named resolves it (see LocationResolver).
   */
  multiLevel?: boolean;
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
/** Every word that can be (part of) a cue: a street name stops there ("jalan di kab. demak", "jl x kel. y"). */
const CUE_WORDS = new Set(CUES.flatMap(([words]) => words));
/** Filler between a cue and the name ("kota administrasi jakarta selatan", "kab. adm. kep. seribu"). */
const CUE_FILLER = new Set(['administrasi', 'adm', 'daerah', 'dki']);
/**
 * Street and address phrases. Indonesian streets, kampung and housing estates are often named after
 * other regions ("Jl. Demak" and "Jl. Bojonegoro" in Surabaya, "Jl. Bandung" in Malang), so a name
 * read as part of an address is not the place of the complaint:
 *  - after a street word ("jl. demak", "gang kupang jaya", "perum margorejo indah", "dukuh kupang barat"),
 *    the street name runs until a phrase boundary, a number, a cue or an ordinary word ("di", "dan", "rt");
 *  - a name followed by a house number or a street-name word ("demak 12", "demak jaya", "demak timur 5",
 *    "kupang timur x", "tunjungan plaza").
 * A cue still wins ("jalan di kab. demak rusak", "kel. mojo 3").
 */
const STREET_WORDS = new Set([
  'jalan', 'jl', 'jln', 'jaln', 'jalur', 'dijalan', 'dijln', 'dijl', 'digang', 'diperum', 'diperumahan', 'gang', 'gg', 'lorong', 'perumahan', 'perum', 'komplek', 'kompleks', 'komp', 'ruko', 'rukan', 'blok',
  'dukuh', 'dk', 'kavling', 'kav', 'apartemen', 'apartement',
]);
/** "raya" starts a street name only at the start of a phrase or after a street/ordinary word ("raya simo", "jl raya bogor"). */
const RAYA = 'raya';
/** Words after a street word that make it an ordinary noun ("jalan rusak", "jalan tol", "jalan kaki"), not a street name. */
const NOT_STREET_NAME = new Set(
  ('rusak rusaknya berlubang lubang bolong ambles amblas ambrol retak licin gelap macet banjir tergenang genangan becek sempit rawan ' +
    'bergelombang kotor ditutup tutup diperbaiki dibenerin diperbaikin nasional tol kampung umum utama menuju masuk keluar kaki jalan ' +
    'setapak alternatif lingkungan poros protokol besar kecil penghubung antar raya').split(' '),
);
/** Words after a name that make it part of a street or estate name ("demak jaya", "margorejo indah", "tunjungan plaza"). */
const STREET_FOLLOWERS = new Set(
  ('raya jaya indah permai asri regency residence residen plaza mall square gang gg blok no nomor kav kavling buntu').split(' '),
);
/** Words that may sit between such a name and its street word or number ("demak timur 5", "kemayoran baru ii"). */
const STREET_INFIX = new Set(('timur barat utara selatan tengah kidul wetan lor kulon baru lama kampung dalam').split(' '));
/** A number followed by one of these is a quantity, not a house number ("demak 3 hari"). */
const UNITS = new Set(
  ('hari minggu bulan tahun thn th jam menit kali x orang org km meter m cm rb ribu jt juta unit buah kk rumah warga tahunan bln hr mg').split(' '),
);
const ROMAN = /^(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}|xiv|xvi{0,3}|xix|xxi{0,3})$/;

/**
 * Closed-class words. A street name stops at them, and a name made only of them is never a place,
 * even after a cue ("kelurahan yang ...", "desa sudah ...": desa Yang and desa Sudah exist).
 */
const FUNCTION_WORDS = new Set(
  ('yang yg sudah sdh udah namun bisa bs tidak tdk gak ga nggak belum blm akan juga dan atau ada itu ini untuk utk dengan dgn pada dari ke ' +
    'di sampai sampe kok pun lagi saja aja karena krn tapi tetapi hanya masih sedang telah harus mau ingin minta mohon tolong setempat ' +
    'terkait sini situ sana nya lebih kira pukul saya kami kita mereka dia anda bapak ibu pak bu tersebut tsb sebelah sblh sekitar apa ' +
    'kapan dimana mana bagaimana gimana kenapa mengapa agar supaya jika kalau kalo bila sejak hingga sehingga oleh sebagai serta para ' +
    'semua banyak sangat sekali setiap tiap arah menuju dekat dkt deket depan dpn belakang samping wilayah daerah kawasan tepatnya tepat ' +
    'mulai perbatasan lokasi rt rw no nomor se').split(' '),
);
/** Grammatical words that are never a place name, not even after a cue. */
const NEVER_PLACE = new Set(
  ('yang yg sudah sdh udah namun bisa bs tidak tdk gak ga nggak belum blm akan juga dan atau ada itu ini untuk utk dengan dgn pada dari ke ' +
    'di sampai sampe kok pun lagi saja aja karena krn tapi tetapi hanya masih sedang telah harus mau ingin minta mohon tolong sini situ ' +
    'sana nya lebih kira pukul saya kami kita mereka dia anda tersebut tsb apa kapan mana bagaimana gimana kenapa mengapa agar supaya ' +
    'jika kalau kalo bila sejak hingga sehingga oleh sebagai serta para semua banyak sangat sekali setiap tiap').split(' '),
);

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
    const { tokens, breakBefore } = tokenizeWithBreaks(text);
    const street = this.streetPhrases(tokens, breakBefore);
    type Cand = { start: number; len: number; key: string; entries: PlaceEntry[] };
    const cands: Cand[] = [];
    for (let i = 0; i < tokens.length; i++) {
      for (const hit of this.gaz.lookupAt(tokens, i)) cands.push({ start: i, ...hit });
    }
    const scored = cands.map((c) => ({ c, m: this.interpret(tokens, breakBefore, street, c.start, c.len, c.key, c.entries) }));
    // a weak reading (no usable place) still blocks shorter names inside it, if it is multi-word, unless it
    // starts with a cue word: "kota padang", "kota batu", "kota medan" are also desa names elsewhere, and
    // without a "desa" cue that reading is void; it must not hide the kota named by "kota" + "padang"
    const usable = scored.filter((x) => x.m.readings.length > 0 || (x.c.len > 1 && !CUE_WORDS.has(tokens[x.c.start]!)));
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

  /**
   * Marks street names that follow a street word: 1 = first word of the street name ("demak" in
   * "jl. demak"), 2 = a later word of it ("tegal" in "jl keputih tegal timur"), 0 = not in a street name.
   */
  private streetPhrases(tokens: string[], breakBefore: boolean[]): Uint8Array {
    const mark = new Uint8Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const isRaya = t === RAYA && (breakBefore[i] || STREET_WORDS.has(tokens[i - 1]) || FUNCTION_WORDS.has(tokens[i - 1]));
      if (!STREET_WORDS.has(t) && !isRaya) continue;
      let j = i + 1;
      // "jl. raya ...", "jalan gang ...", "perum blok ..."
      while (j < tokens.length && !breakBefore[j] && (STREET_WORDS.has(tokens[j]) || tokens[j] === RAYA)) j++;
      if (j >= tokens.length || breakBefore[j] || (j === i + 1 && NOT_STREET_NAME.has(tokens[j]))) continue;
      for (let k = j, n = 0; k < tokens.length && n < 5; k++, n++) {
        const w = tokens[k];
        if (k > j && breakBefore[k]) break;
        if (/\d/.test(w) || FUNCTION_WORDS.has(w) || CUE_WORDS.has(w) || CUE_FILLER.has(w)) break;
        if (k > j && (STREET_WORDS.has(w) || w === RAYA)) break;
        if (!mark[k]) mark[k] = k === j ? 1 : 2;
      }
    }
    return mark;
  }

  /** A name followed by a house number or a street-name word ("demak 12", "demak jaya", "kupang timur x"). */
  private followedLikeStreet(tokens: string[], breakBefore: boolean[], start: number, end: number, hasRegion: boolean): boolean {
    let k = end;
    for (let skipped = 0; k < tokens.length && skipped < 2 && !breakBefore[k] && STREET_INFIX.has(tokens[k]); skipped++) k++;
    if (k >= tokens.length || breakBefore[k]) return false;
    const w = tokens[k];
    if (STREET_FOLLOWERS.has(w)) return !(hasRegion && w === RAYA && k === end); // "jakarta raya", "bogor raya": the region
    if (/^\d{1,3}$/.test(w)) {
      const next = tokens[k + 1];
      return !(next !== undefined && !breakBefore[k + 1] && UNITS.has(next));
    }
    // "kemayoran baru ii", "kupang timur x"; a lone "i"/"x" right after a one-word name is too weak
    return ROMAN.test(w) && (k > end || w.length > 1 || tokens[end - 1] !== tokens[start]);
  }

  /** A cue written after a bare one-word name: "tangerang kota", "kediri kota", "pasuruan kabupaten". */
  private cueAfter(tokens: string[], breakBefore: boolean[], end: number): { cue?: Cue } {
    if (end >= tokens.length || breakBefore[end]) return {};
    const w = tokens[end];
    // "semarang kota lama" is still the kota; "kota baru"/"kota bunga" after a name are usually estates, but the kota reading is then still right
    if (w === 'kota') return { cue: 'kota' };
    if (w === 'kabupaten' || w === 'kab') return { cue: 'kabupaten' };
    return {};
  }

  private cueBefore(tokens: string[], start: number): { cue?: Cue } {
    let j = start - 1;
    while (j >= 0 && CUE_FILLER.has(tokens[j])) j--;
    if (j < 0) return {};
    for (const [words, cue] of CUES) {
      const s = j - words.length + 1;
      if (s >= 0 && words.every((w, k) => tokens[s + k] === w)) return { cue };
    }
    return {};
  }

  private interpret(tokens: string[], breakBefore: boolean[], street: Uint8Array, start: number, len: number, key: string, entries: PlaceEntry[]): PlaceMention {
    let { cue } = this.cueBefore(tokens, start);
    if (!cue && (entries.some((e) => e.level === 'regency'))) cue = this.cueAfter(tokens, breakBefore, start + len).cue;
    const mention: PlaceMention = { span: key, start, end: start + len, cue, readings: [] };
    if (key.split(' ').every((t) => NEVER_PLACE.has(t))) return mention;
    if (!cue) {
      const hasRegion = entries.some((e) => e.level === 'regency' || e.level === 'province');
      // the head of a street name ("jl. demak"); a later word only when it is no kabupaten/kota/province
      // ("jl keputih tegal timur", but "jl. ahmad yani surabaya" keeps Surabaya)
      if (street[start] === 1 || (street[start] === 2 && !hasRegion)) return mention;
      if (this.followedLikeStreet(tokens, breakBefore, start, start + len, hasRegion)) return mention;
    }
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
          else if (allCommon || (len === 1 && key.length <= 3)) w = 0;
          else if (hasRegionLevel) w = 0.1; // "Bandung": the kecamatan in Tulungagung is a long shot
          else w = cue ? 0.5 : 0.75;
          break;
        case 'village':
          w = cue === 'village' ? 0.85 : 0;
          break;
      }
      if (w > 0) readings.push({ ...e, weight: w });
    }
    // A bare kecamatan name that is also a desa/kelurahan name in another kabupaten/kota ("mojo":
    // kecamatan in Kediri, kelurahan in Surabaya): keep those readings too and let the resolver decide.
    if (!cue && !hasRegionLevel && readings.length && readings.every((r) => r.level === 'district')) {
      const regs = new Set(readings.map((r) => r.regencyCode));
      const villages = pool.filter((e) => e.level === 'village');
      if (villages.some((v) => !regs.has(v.regencyCode))) {
        const w = Math.max(...readings.map((r) => r.weight));
        for (const v of villages) readings.push({ ...v, weight: w });
        mention.multiLevel = true;
      }
    }
    mention.readings = readings;
    return mention;
  }
}
