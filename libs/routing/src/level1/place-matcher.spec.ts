import { RoutingDecision } from '@lapor/contracts';
import { BodyRouter } from './index';
import { tokenizeWithBreaks } from './text';

// Mechanisms of the place matcher and resolver (all sentences are made up for the tests).
let router: BodyRouter;
beforeAll(async () => {
  router = await BodyRouter.load();
});

function route(text: string): RoutingDecision {
  const d = router.route({ text });
  expect(RoutingDecision.safeParse(d).success).toBe(true);
  return d;
}
const body = (d: RoutingDecision) => `${d.kind}:${d.code}`;
const placeRefs = (d: RoutingDecision) => d.evidence.filter((e) => e.type === 'place_name').map((e) => e.ref);

describe('tokenizeWithBreaks', () => {
  it('marks phrase boundaries, but not the full stop of an abbreviation', () => {
    const { tokens, breakBefore } = tokenizeWithBreaks('Jl. Demak 12, Kec. Bubutan. Lalu/ke kota');
    expect(tokens).toEqual(['jl', 'demak', '12', 'kec', 'bubutan', 'lalu', 'ke', 'kota']);
    expect(breakBefore).toEqual([true, false, false, true, false, true, true, false]);
  });
  it('gives the same tokens as tokenize', () => {
    expect(tokenizeWithBreaks('rusakkk bgt smpn1; RT.4 RW.9').tokens).toEqual(['rusak', 'bgt', 'smpn', '1', 'rt', '4', 'rw', '9']);
  });
});

describe('space variants of kecamatan and desa/kelurahan names', () => {
  it('matches a name written without its space, and resolves it by another place named', () => {
    // "gununganyar": desa Gununganyar (Tuban) and kelurahan Gunung Anyar (Surabaya); kec. Pakal is in Surabaya
    const d = route('lampu jalan mati di kelurahan gununganyar kec. pakal');
    expect(body(d)).toBe('kota:35.78');
    expect(d.place?.villageCode).toBe('35.78.25.1001');
    expect(d.evidence.some((e) => e.type === 'note' && /Gunung Anyar/.test(e.detail) && /Tuban/.test(e.detail))).toBe(true);
  });
  it('matches a one-word name written in two words, and a multi-word name split differently', () => {
    expect(route('kel. sumberrejo kec. pakal lampu jalan mati').place?.villageCode).toBe('35.78.30.1004'); // "Sumber Rejo"
    expect(route('banjir di kelurahan simo mulyo baru kec sukomanunggal').place?.villageCode).toBe('35.78.27.1006'); // "Simomulyo Baru"
    expect(body(route('got mampet di kel. sadangserang kota bandung'))).toBe('kota:32.73'); // "Sadang Serang"
  });
  it('does not join short words into a name ("ke malang" is not kecamatan Kemalang)', () => {
    const d = route('mau pindah ke malang tapi surat pengantar belum selesai');
    expect(d.evidence.some((e) => /Kemalang/.test(e.detail))).toBe(false);
  });
});

describe('street and address names are not the place', () => {
  it.each([
    'jalan demak 12 berlubang',
    'jl. bojonegoro no 5 berlubang',
    'banjir di demak jaya tiap hujan',
    'pju mati di gang kupang jaya',
    'paving rusak di perum margorejo indah',
    'jalan rusak di jl. indramayu',
    'lampu jalan padam di jl keputih tegal timur',
    'got mampet di dukuh kupang barat 1',
    'jalan rusak di demak timur 5',
    'macet parah di depan tunjungan plaza',
  ])('%s → no place', (text) => {
    const d = route(text);
    expect(d.kind).toBe('triage');
    expect(placeRefs(d)).toEqual([]);
  });
  it('keeps the city written after a street ("jl. bogor 12, kota malang"; "jl. ahmad yani surabaya")', () => {
    expect(body(route('jalan berlubang di jl. bogor 12, kota malang'))).toBe('kota:35.73');
    expect(body(route('jalan rusak parah di jl. ahmad yani surabaya'))).toBe('kota:35.78');
  });
  it('keeps real mentions: a cue, a preposition, a quantity', () => {
    expect(body(route('jalan di kab. demak rusak'))).toBe('kabupaten:33.21');
    expect(body(route('jalan rusak di demak'))).toBe('kabupaten:33.21');
    expect(body(route('jalan rusak parah di demak 3 bulan tidak diperbaiki'))).toBe('kabupaten:33.21');
    expect(body(route('smp negeri di bogor raya narik pungutan')).startsWith('triage')).toBe(true); // still "Bogor" (kota or kab.), not a street
    expect(route('smp negeri di bogor raya narik pungutan').alternatives.map((a) => a.code)).toEqual(expect.arrayContaining(['32.71', '32.01']));
  });
  it('never takes a grammatical word for a place, even after a cue ("kelurahan yang ...": desa Yang exists)', () => {
    const d = route('pelayanan kelurahan yang belum buka, padahal sudah jam 9');
    expect(d.kind).toBe('triage');
    expect(placeRefs(d)).toEqual([]);
  });
});

describe('bare names with readings at several levels', () => {
  it('leaves a bare kecamatan name that is also a kelurahan elsewhere unresolved', () => {
    // "mojo": kecamatan in Kab. Kediri; kelurahan in Surabaya; desa in several kabupaten
    const d = route('sampah numpuk di mojo belum diangkut');
    expect(d.kind).toBe('triage');
    expect(placeRefs(d)).toEqual([]);
    expect(d.evidence.some((e) => e.type === 'note' && /"mojo" is a kecamatan and a desa\/kelurahan name/.test(e.detail) && /ignored/.test(e.detail))).toBe(true);
  });
  it('uses it when another place named resolves it', () => {
    const d = route('sampah numpuk di mojo kec. gubeng belum diangkut');
    expect(body(d)).toBe('kota:35.78');
    expect(d.place).toEqual({ districtCode: '35.78.08', districtName: 'Gubeng', villageCode: '35.78.08.1002', villageName: 'Mojo' });
    expect(body(route('sampah numpuk di mojo, kabupaten kediri'))).toBe('kabupaten:35.06');
  });
  it('keeps a bare kecamatan name that has no namesake elsewhere', () => {
    expect(body(route('jalan rusak di daerah lowokwaru'))).toBe('kota:35.73');
  });
});

describe('repeated names', () => {
  it('a name written twice does not confirm its own readings', () => {
    // kel. Keputran exists in Pringsewu, Klaten and Surabaya; kec. Tegalsari in several kabupaten/kota
    const once = route('lampu pju mati di kelurahan keputran kecamatan tegalsari surabaya');
    const twice = route('lampu pju mati di kelurahan keputran kecamatan tegalsari surabaya. kelurahan keputran kecamatan tegalsari');
    expect(body(once)).toBe('kota:35.78');
    expect(body(twice)).toBe('kota:35.78');
    expect(twice.place?.villageCode).toBe('35.78.05.1004');
  });
});
