/**
 * Normalisation of unit labels and of complaint text for the level-2 (unit) classifier.
 */

/** Words kept upper-case in a normalised unit name. */
const ACRONYMS = new Set([
  'rsud', 'dprd', 'dprk', 'bpbd', 'opd', 'uptd', 'upt', 'bumd', 'pdam', 'pd', 'pt', 'rt', 'rw', 'tps', 'pju', 'kb',
  'bpkad', 'bappeda', 'bappedalitbang', 'bkpsdm', 'dpmptsp', 'sdm', 'umkm', 'ukm', 'ri', 'dki', 'diy', 'ntb', 'ntt',
  'puskesmas', 'satpol', 'pp', 'bpjs', 'pln', 'ii', 'iii', 'iv', 'vi', 'vii', 'viii', 'ix', 'xi', 'xii',
]);
// Acronyms that are pronounced as words and conventionally written capitalised, not upper-case.
const CAPITALISED = new Set(['puskesmas', 'bappeda', 'bappedalitbang', 'satpol']);

/** Abbreviations expanded before comparison ("Kab." and "Kabupaten" are the same word). */
const ABBREVIATIONS: Record<string, string> = {
  kab: 'kabupaten',
  kec: 'kecamatan',
  kel: 'kelurahan',
  kabupaten: 'kabupaten',
  prov: 'provinsi',
  pemkot: 'pemerintah kota',
  pemkab: 'pemerintah kabupaten',
  pemprov: 'pemerintah provinsi',
  din: 'dinas',
  '&': 'dan',
};

/**
 * Canonical spelling of a unit (dinas/OPD, kecamatan, kelurahan) so that one unit is one class:
 * Unicode-normalised, punctuation removed, spacing collapsed, `Kab.`/`Kec.`/`Kel.` expanded,
 * `&` written `dan`, words title-cased (known acronyms such as RSUD, DPRD, UPTD upper-case).
 *
 * `normalizeUnit(" DINAS  sosial.")` → `"Dinas Sosial"`, `normalizeUnit("Kab. Sidoarjo")` → `"Kabupaten Sidoarjo"`.
 */
export function normalizeUnit(label: string): string {
  const words = label
    .normalize('NFKC')
    .replace(/\\[nrt]/g, ' ')
    .toLowerCase()
    .replace(/&/g, ' & ')
    .replace(/[^\p{L}\p{N}&\s-]+/gu, ' ') // punctuation → space ("Dr. Soetomo" → "Dr Soetomo")
    .replace(/\s*-\s*/g, '-') // "Bina - Marga" → "Bina-Marga"
    .split(/\s+/)
    .filter((w) => w.length > 0 && w !== '-');
  const out: string[] = [];
  for (const w of words) {
    const expanded = ABBREVIATIONS[w] ?? w;
    for (const part of expanded.split(' ')) out.push(part);
  }
  return out
    .map((w) => {
      if (w === 'dan' || w === 'serta' || w === 'dan/atau') return w;
      if (ACRONYMS.has(w) && !CAPITALISED.has(w)) return w.toUpperCase();
      return w
        .split('-')
        .map((p) => (p.length ? p[0]!.toUpperCase() + p.slice(1) : p))
        .join('-');
    })
    .join(' ')
    .replace(/^(\p{Ll})/u, (c) => c.toUpperCase());
}

/** Key for comparing location values ("Dr. Soetomo" ~ "dr soetomo"). */
export function normalizeLocationValue(value: string): string {
  return normalizeUnit(value).toLowerCase();
}

/** Indonesian function words, greetings and politeness formulas that carry no routing signal. */
export const STOPWORDS = new Set(
  (
    'yang dan di ke dari ini itu dengan untuk pada adalah dalam tidak akan juga atau karena ada sudah saya kami kita ' +
    'anda kamu dia mereka sebagai oleh bisa dapat telah masih harus agar supaya jika kalau tapi tetapi namun sehingga ' +
    'maka lagi hanya sangat sekali lebih sini sana situ apa siapa bagaimana kenapa mengapa kapan dimana mana ya yg ' +
    'dgn utk tdk sdh sy aja saja pun lah kah nya tsb tersebut bahwa hal para nah dong deh sih kok ' +
    'assalamualaikum assalamu alaikum assalammualaikum asalamualaikum wassalamualaikum ass wr wb warahmatullahi wabarakatuh ' +
    'selamat pagi siang sore malam terima kasih terimakasih makasih trims thanks tks mks yth kepada bapak ibu bpk pak bu ' +
    'admin mohon tolong minta izin ijin salam hormat sebelumnya atas perhatiannya perhatian kerjasamanya ' +
    'halo hallo hai min mimin kak om'
  ).split(/\s+/),
);

/** Words that are both stopwords for n-grams but still informative alone are not special-cased; keep simple. */

/**
 * Lower-cased tokens of a complaint: literal two-character `\n` sequences and real line breaks become spaces,
 * privacy placeholders ([NIK], [TELP], [EMAIL], [NOMOR]) become single tokens, URLs become `_url_`,
 * numbers become `_num_`, letters repeated 3+ times are squeezed ("bangettt" → "bangett").
 */
export function tokenize(text: string): string[] {
  const s = text
    .normalize('NFKC')
    .replace(/\\[nrt]/g, ' ')
    .replace(/\[(NIK|TELP|EMAIL|NOMOR|NAMA|ALAMAT)\]/gi, (_m, p: string) => ` _${p.toLowerCase()}_ `)
    .replace(/https?:\/\/\S+|www\.\S+/gi, ' _url_ ')
    .toLowerCase();
  const raw = s.match(/[\p{L}\p{N}_]+/gu) ?? [];
  const out: string[] = [];
  for (let t of raw) {
    if (/^\d+$/.test(t)) t = '_num_';
    else t = t.replace(/(\p{L})\1{2,}/gu, '$1$1');
    out.push(t);
  }
  return out;
}

/**
 * Informal spellings and chat abbreviations → one standard word, so that "tdk", "gak", "nggak" and "tidak" are one
 * feature (and a stopword). Hand-compiled from common Indonesian chat usage (the forms seen in public complaint
 * channels); only unambiguous forms are listed ("dr" could be "dari" or "dokter" and is left alone).
 */
export const SLANG: Readonly<Record<string, string>> = {
  tdk: 'tidak', gak: 'tidak', ga: 'tidak', gk: 'tidak', nggak: 'tidak', ngga: 'tidak', enggak: 'tidak', engga: 'tidak',
  yg: 'yang', sdh: 'sudah', udh: 'sudah', udah: 'sudah', dah: 'sudah', blm: 'belum', blum: 'belum', bgt: 'banget', bngt: 'banget',
  jln: 'jalan', jl: 'jalan', jalanan: 'jalan', gg: 'gang', kmrn: 'kemarin', dgn: 'dengan', utk: 'untuk', krn: 'karena', karna: 'karena',
  sy: 'saya', aku: 'saya', sya: 'saya', tlg: 'tolong', tolongin: 'tolong', mhn: 'mohon', sampe: 'sampai', pdhl: 'padahal',
  msh: 'masih', lg: 'lagi', org: 'orang', bs: 'bisa', trs: 'terus', trus: 'terus', tp: 'tapi', sm: 'sama', skrg: 'sekarang',
  skrng: 'sekarang', gmn: 'bagaimana', gimana: 'bagaimana', knp: 'kenapa', kalo: 'kalau', klo: 'kalau', kl: 'kalau', bnyk: 'banyak',
  byk: 'banyak', dpn: 'depan', dkt: 'dekat', deket: 'dekat', sblh: 'sebelah', tmpt: 'tempat', tempet: 'tempat', rmh: 'rumah',
  kec: 'kecamatan', kel: 'kelurahan', kab: 'kabupaten', pemkot: 'pemerintah kota', kmr: 'kamar', mlm: 'malam', pgi: 'pagi',
  ngangkut: 'angkut', diangkutin: 'diangkut', dibenerin: 'diperbaiki', diperbaikin: 'diperbaiki', benerin: 'perbaiki', rusakk: 'rusak',
  bolong: 'berlubang', lobang: 'lubang', ancur: 'hancur', mampet: 'tersumbat', buntu: 'tersumbat', numpuk: 'menumpuk',
  ortu: 'orang tua', anak2: 'anak', warga2: 'warga', pengen: 'ingin', pingin: 'ingin', ditanggepin: 'ditanggapi',
};

/** `tokenize`, then informal spellings mapped by `SLANG` (a mapping to two words yields two tokens). */
export function tokenizeStandard(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) {
    const s = SLANG[t];
    if (s === undefined) out.push(t);
    else for (const w of s.split(' ')) out.push(w);
  }
  return out;
}
