import { RoutingDecision } from '@lapor/contracts';
import { BodyRouter, TRIAGE_NAME } from './index';

let router: BodyRouter;
let router2019: BodyRouter;

beforeAll(async () => {
  router = await BodyRouter.load();
  router2019 = await BodyRouter.load({ edition: '2019' });
});

/** Routes and checks the decision against the contract schema. */
function route(text: string, extra: { regionCode?: string; point?: { lat: number; lon: number } } = {}, r = router): RoutingDecision {
  const d = r.route({ text, ...extra });
  expect(RoutingDecision.safeParse(d).success).toBe(true);
  return d;
}
const body = (d: RoutingDecision) => `${d.kind}:${d.code}`;

describe('load', () => {
  it('is cached per options and reports start-up figures', async () => {
    expect(await BodyRouter.load()).toBe(router);
    expect(router.loadStats.polygons).toBe(514);
    expect(router.loadStats.rules).toBeGreaterThan(10);
  });
  it('rejects a bad threshold', async () => {
    await expect(BodyRouter.load({ triageThreshold: 2 })).rejects.toThrow(/triageThreshold/);
  });
});

describe('where: form region code', () => {
  it('takes a regency code (dotted or not) over the text', () => {
    const d = route('anak sy di smp negeri ditarik pungutan 500rb, padahal sekolah negeri', { regionCode: '3273' });
    expect(body(d)).toBe('kota:32.73');
    expect(d.evidence.some((e) => e.type === 'form_region')).toBe(true);
  });
  it('takes a kecamatan or desa code to its regency', () => {
    expect(body(route('puskesmas tutup jam 10 pagi', { regionCode: '35.07.13' }))).toBe('kabupaten:35.07');
    expect(body(route('puskesmas tutup jam 10 pagi', { regionCode: '3273021001' }))).toBe('kota:32.73');
  });
  it('trusts the form over a place named in the text', () => {
    const d = route('jalan rusak di kota surabaya', { regionCode: '32.73' });
    expect(body(d)).toBe('kota:32.73');
    expect(d.evidence.some((e) => e.type === 'note' && /Surabaya/.test(e.detail))).toBe(true);
  });
  it('uses a province code for provincial matters', () => {
    expect(body(route('sma negeri minta uang gedung', { regionCode: '35' }))).toBe('province:35');
  });
  it('translates a 2019 code into the current edition and says so', () => {
    const d = route('smp di sini gurunya jarang masuk', { regionCode: '91.01' });
    expect(body(d)).toBe('kabupaten:93.01');
    expect(d.name).toBe('Kabupaten Merauke');
    expect(d.evidence.some((e) => e.type === 'edition' && /2019/.test(e.detail))).toBe(true);
  });
  it('ignores an unknown code with a note', () => {
    const d = route('jalan rusak di kota malang', { regionCode: '99.99' });
    expect(body(d)).toBe('kota:35.73');
    expect(d.evidence.some((e) => e.type === 'note' && /unknown/.test(e.detail))).toBe(true);
  });
});

describe('where: GPS', () => {
  it('finds the polygon holding the point (Gedung Sate → Kota Bandung)', () => {
    const d = route('jalan berlubang gede bgt, udh 2 org jatuh', { point: { lat: -6.9025, lon: 107.6188 } });
    expect(body(d)).toBe('kota:32.73');
    expect(d.evidence.find((e) => e.type === 'gps')?.detail).toMatch(/inside/);
  });
  it('tells Kabupaten Bandung (Soreang) from Kota Bandung', () => {
    expect(body(route('jalan rusak', { point: { lat: -7.033, lon: 107.519 } }))).toBe('kabupaten:32.04');
  });
  it('falls back to the nearest polygon for a point at sea near the coast', () => {
    const d = route('jalan rusak dkt pantai', { point: { lat: -5.14, lon: 119.36 } });
    expect(body(d)).toBe('kota:73.71');
    const gps = d.evidence.find((e) => e.type === 'gps')!;
    expect(gps.detail).toMatch(/nearest/);
    expect(gps.weight!).toBeLessThan(0.95);
  });
  it('ignores a point far out at sea', () => {
    const d = route('sampah numpuk', { point: { lat: -2, lon: 90 } });
    expect(d.kind).toBe('triage');
  });
  it('prefers the form code over GPS', () => {
    expect(body(route('jalan rusak', { regionCode: '35.78', point: { lat: -6.9025, lon: 107.6188 } }))).toBe('kota:35.78');
  });
});

describe('where: places named in the text', () => {
  it.each([
    ['jalan rusak parah di kota bandung, tolong diperbaiki', 'kota:32.73'],
    ['jalan rusak parah di kab bandung deket soreang', 'kabupaten:32.04'],
    ['jln desa di kabupaten bogor rusak bertahun2', 'kabupaten:32.01'],
    ['jalanan kota bogor banyak lobang', 'kota:32.71'],
    ['jalan rusak di kota malang lowokwaru', 'kota:35.73'],
    ['jalan di kab. malang rusak, kec kepanjen', 'kabupaten:35.07'],
    ['pemkot bekasi kapan benerin jalan yg rusak', 'kota:32.75'],
  ])('kota vs kabupaten: %s', (text, expected) => {
    expect(body(route(text))).toBe(expected);
  });

  it('leaves a bare "bandung" unresolved for a kabupaten/kota matter', () => {
    const d = route('smp negeri di bandung narik pungutan');
    expect(d.kind).toBe('triage');
    expect(d.alternatives.map((a) => a.code)).toEqual(expect.arrayContaining(['32.73', '32.04']));
  });
  it('but a bare "bandung" is enough for a provincial matter', () => {
    expect(body(route('sman di bandung narik pungutan'))).toBe('province:32');
  });

  it('maps a unique kecamatan to its regency', () => {
    const d = route('jalan rusak di daerah lowokwaru');
    expect(body(d)).toBe('kota:35.73');
    expect(d.evidence.some((e) => e.type === 'place_name' && e.ref === 'lowokwaru')).toBe(true);
  });
  it('resolves an ambiguous kecamatan by another place named (Sukajadi: Pekanbaru vs Bandung)', () => {
    expect(body(route('jalan berlubang di kec sukajadi pekanbaru'))).toBe('kota:14.71');
    expect(body(route('jalan berlubang di kec sukajadi kota bandung'))).toBe('kota:32.73');
    expect(body(route('jalan rusak di kec soreang bandung'))).toBe('kabupaten:32.04');
  });
  it('leaves an ambiguous kecamatan alone unresolved', () => {
    const d = route('jalan berlubang di kec sukajadi');
    expect(d.kind).toBe('triage');
    expect(d.alternatives.map((a) => a.code)).toEqual(expect.arrayContaining(['14.71', '32.73']));
  });
  it('needs a cue for desa names that are ordinary words, and resolves cued ones by context', () => {
    // "baru", "jaya", "sukamaju" alone are not places
    expect(route('jalan baru jaya sukamaju rusak').kind).toBe('triage');
    const d = route('jalan rusak di desa sukamaju kabupaten bogor');
    expect(body(d)).toBe('kabupaten:32.01');
    expect(d.evidence.some((e) => e.type === 'place_name' && e.ref === 'sukamaju')).toBe(true);
  });
  it('uses a desa/kelurahan with a cue (kel. sekeloa → Kota Bandung); a shared name stays unresolved', () => {
    expect(body(route('banjir tiap hujan di kel. sekeloa, got mampet'))).toBe('kota:32.73');
    const d = route('banjir tiap hujan di kel. cipaganti, got mampet'); // Kota Bandung and Kab. Garut
    expect(d.kind).toBe('triage');
    expect(d.alternatives.map((a) => a.code)).toEqual(expect.arrayContaining(['32.73', '32.05']));
    expect(body(route('banjir tiap hujan di kel. cipaganti kota bandung'))).toBe('kota:32.73');
  });
  it('does not take ordinary words that are kecamatan names for places', () => {
    // "selesai" (Langkat), "kasihan" (Bantul), "tetap" are kecamatan names
    const d = route('ngurus ktp di disdukcapil kab bogor gak selesai2, kasihan warga, tetap disuruh balik');
    expect(body(d)).toBe('kabupaten:32.01');
    expect(route('kasihan bgt pelayanannya gak selesai selesai').kind).toBe('triage');
  });

  it.each([
    ['sman di jogja narik sumbangan wajib', 'province:34'],
    ['smp negeri di kota jogja pungli', 'kota:34.71'],
    ['jalan rusak depan rumah di tangsel udah setahun', 'kota:36.74'],
    ['jalan rusak di makasar dekat pantai losari', 'kota:73.71'],
    ['jalan rusak di kota makasar', 'kota:73.71'],
  ])('slang: %s', (text, expected) => {
    expect(body(route(text))).toBe(expected);
  });
  it('slang Jaksel: DKI kota administrasi → the province (not autonomous), evidence shows the kota', () => {
    const d = route('jalan rusak di jaksel gak dibenerin');
    expect(body(d)).toBe('province:31');
    expect(d.evidence.some((e) => e.type === 'place_name' && /31\.74/.test(e.detail))).toBe(true);
    expect(d.evidence.some((e) => e.type === 'note' && /administrative/.test(e.detail))).toBe(true);
  });
  it('Makasar with Jakarta Timur named is the kecamatan in Jakarta', () => {
    expect(body(route('jalan rusak di kecamatan makasar jaktim'))).toBe('province:31');
  });
  it('matches the longest name first (Papua Barat Daya, Kepulauan Riau)', () => {
    expect(body(route('sma negeri di papua barat daya kekurangan guru'))).toBe('province:96');
    expect(body(route('smk di kepulauan riau pungli'))).toBe('province:21');
    expect(body(route('smk di riau pungli'))).toBe('province:14');
  });
  it('does not take a street name for the place (jl. bandung in malang)', () => {
    expect(body(route('jalan rusak di jl. bandung, kota malang'))).toBe('kota:35.73');
  });
});

describe('Papua regencies in both editions', () => {
  it('Merauke is 93.01 now and 91.01 in 2019', () => {
    expect(body(route('jalan rusak parah di merauke'))).toBe('kabupaten:93.01');
    const d = route('jalan rusak parah di merauke', {}, router2019);
    expect(body(d)).toBe('kabupaten:91.01');
    expect(d.edition).toBe('2019');
  });
  it('Mimika: 94.04 / 91.09, province Papua Tengah (94) / Papua (91)', () => {
    expect(body(route('smp di mimika gurunya jarang masuk'))).toBe('kabupaten:94.04');
    expect(body(route('smp di mimika gurunya jarang masuk', {}, router2019))).toBe('kabupaten:91.09');
    expect(body(route('sma negeri di timika, kab mimika pungli'))).toBe('province:94');
    expect(body(route('sma negeri di timika, kab mimika pungli', {}, router2019))).toBe('province:91');
  });
  it('a current code given to a 2019 router is translated', () => {
    expect(body(route('puskesmas tutup', { regionCode: '94.04' }, router2019))).toBe('kabupaten:91.09');
  });
  it('describe() answers in the configured edition', () => {
    expect(router.describe('93.01')).toEqual({ kind: 'kabupaten', code: '93.01', name: 'Kabupaten Merauke' });
    expect(router2019.describe('91.01')).toEqual({ kind: 'kabupaten', code: '91.01', name: 'Kabupaten Merauke' });
    expect(router2019.describe('95')).toEqual({ kind: 'province', code: '91', name: 'Papua' });
    expect(router.describe('32.73')?.kind).toBe('kota');
    expect(router.describe('ditjen-imigrasi')).toEqual({ kind: 'agency', code: 'ditjen-imigrasi', name: 'Direktorat Jenderal Imigrasi' });
    expect(router.describe('nope')).toBeUndefined();
  });
});

describe('who: provincial vs local', () => {
  it('SMA → province, SMP → kota, in the same city', () => {
    expect(body(route('sman 3 kota malang minta uang seragam 1,5jt'))).toBe('province:35');
    expect(body(route('smpn 3 kota malang minta uang seragam 1,5jt'))).toBe('kota:35.73');
    expect(body(route('slb negeri di kota malang gurunya kurang'))).toBe('province:35');
    expect(body(route('sd negeri di kota malang atapnya bocor'))).toBe('kota:35.73');
  });
  it('provincial road → province, local road → kabupaten', () => {
    expect(body(route('jalan provinsi di kab. garut rusak parah'))).toBe('province:32');
    expect(body(route('jalan di kab. garut rusak parah'))).toBe('kabupaten:32.05');
  });
  it('puskesmas and local Disdukcapil → kabupaten/kota', () => {
    expect(body(route('puskesmas di kec. kepanjen malang tutup pas jam kerja'))).toBe('kabupaten:35.07');
    const d = route('ngurus kk sama akta kelahiran di disdukcapil kab bogor antri dari subuh gak selesai2');
    expect(body(d)).toBe('kabupaten:32.01');
    expect(d.evidence.some((e) => e.type === 'rule' && e.ref === 'dukcapil-lokal')).toBe(true);
  });
  it('a matter that needs a place but has none → triage with suggestions', () => {
    const d = route('sekolah sma anak saya minta sumbangan wajib');
    expect(d.kind).toBe('triage');
    expect(d.code).toBe('');
    expect(d.name).toBe(TRIAGE_NAME);
    expect(d.alternatives.map((a) => a.code)).toContain('kemendikdasmen');
    expect(d.evidence.some((e) => /needs the province/.test(e.detail))).toBe(true);
  });
  it('a place with no recognised matter → the kabupaten/kota by the fallback rule', () => {
    const d = route('tolong pak, di kota kediri, warga sudah lapor berkali2 gak ditanggapi');
    expect(body(d)).toBe('kota:35.71');
    expect(d.evidence.some((e) => e.type === 'rule' && e.ref === 'pemda-umum')).toBe(true);
  });
});

describe('who: national ministries and agencies', () => {
  it.each([
    ['mau bikin paspor di kanim jaksel susah bgt dapet antrian online', 'ditjen-imigrasi'],
    ['paspornya udah 2 bulan blm jadi', 'ditjen-imigrasi'],
    ['perpanjang sim di satpas dipersulit, disuruh lewat calo', 'polri'],
    ['stnk sy hilang, ngurusnya ribet bgt', 'polri'],
    ['oknum polisi minta uang damai pas razia di jalan', 'polri'],
    ['bpjs kesehatan saya ditolak di rs, katanya kamar penuh', 'bpjs-kesehatan'],
    ['bpjs saya tidak aktif padahal bayar terus', 'bpjs-kesehatan'],
    ['pencairan jht bpjs ketenagakerjaan lama bgt', 'bpjs-ketenagakerjaan'],
    ['listrik mati terus tiap malem di kampung kami, pln gmn nih', 'pln'],
    ['tagihan listrik bulan ini naik 3x lipat', 'pln'],
    ['jalan tol cipularang banyak lubang, bahaya', 'kemen-pu'],
    ['gerbang tol antriannya panjang bgt, e-toll error', 'kemen-pu'],
    ['jalan nasional pantura di kab. brebes rusak parah', 'kemen-pu'],
    ['server ektp down di seluruh indonesia, gak bisa cetak ktp di mana2', 'ditjen-dukcapil'],
    ['aplikasi ikd identitas kependudukan digital error terus', 'ditjen-dukcapil'],
  ])('%s → %s', (text, slug) => {
    const d = route(text);
    expect(body(d)).toBe(`agency:${slug}`);
    expect(d.confidence).toBeGreaterThanOrEqual(0.5);
    expect(d.evidence.some((e) => e.type === 'rule' && /legal basis/.test(e.detail))).toBe(true);
  });
  it('e-KTP: nationwide outage → Ditjen Dukcapil, local office queue → the kabupaten', () => {
    expect(body(route('sistem dukcapil pusat down nasional, ktp elektronik gak bisa dicetak'))).toBe('agency:ditjen-dukcapil');
    expect(body(route('antri perekaman ktp di disdukcapil kab. sleman dari jam 5 pagi'))).toBe('kabupaten:34.04');
  });
  it('street lighting is the kota, not PLN', () => {
    expect(body(route('lampu jalan mati sebulan di kota kediri'))).toBe('kota:35.71');
  });
  it('SIM card is not a driving licence', () => {
    expect(route('kartu sim saya diblokir').evidence.some((e) => e.ref === 'sim-stnk')).toBe(false);
  });
});

describe('triage', () => {
  it.each(['tolong dong pak', 'saya mau komplain', 'halo admin', ''])('no place, no service: "%s"', (text) => {
    const d = route(text);
    expect(d.kind).toBe('triage');
    expect(d.code).toBe('');
    expect(d.confidence).toBe(0);
  });
  it('below a raised threshold the would-be choice becomes an alternative', async () => {
    const strict = await BodyRouter.load({ triageThreshold: 0.99 });
    const d = strict.route({ text: 'jalan rusak di kota bandung' });
    expect(d.kind).toBe('triage');
    expect(d.alternatives[0]).toMatchObject({ kind: 'kota', code: '32.73' });
    expect(d.evidence.some((e) => /threshold/.test(e.detail))).toBe(true);
  });
});

describe('connected bodies', () => {
  it('unconnected kota → its province, and says so', async () => {
    const r = await BodyRouter.load({ connectedBodies: ['32', 'ditjen-imigrasi', '35.73'] });
    const d = r.route({ text: 'jalan rusak di kota bandung' });
    expect(body(d)).toBe('province:32');
    expect(d.redirectedFrom).toEqual({ kind: 'kota', code: '32.73', name: 'Kota Bandung' });
    expect(d.evidence.some((e) => e.type === 'connection')).toBe(true);
    expect(body(r.route({ text: 'jalan rusak di kota malang' }))).toBe('kota:35.73');
  });
  it('unconnected kota and province → national triage', async () => {
    const r = await BodyRouter.load({ connectedBodies: ['32'] });
    const d = r.route({ text: 'jalan rusak di kota surabaya' });
    expect(d.kind).toBe('triage');
    expect(d.redirectedFrom?.code).toBe('35.78');
  });
  it('unconnected Ditjen → its ministry; 2019 codes in the list are understood', async () => {
    const r = await BodyRouter.load({ connectedBodies: ['kemenimipas', '91.01'] });
    const d = r.route({ text: 'paspor saya hilang' });
    expect(body(d)).toBe('agency:kemenimipas');
    expect(d.redirectedFrom?.code).toBe('ditjen-imigrasi');
    expect(body(r.route({ text: 'jalan rusak parah di merauke' }))).toBe('kabupaten:93.01');
  });
  it('null = all connected', async () => {
    const r = await BodyRouter.load({ connectedBodies: null });
    expect(r.route({ text: 'jalan rusak di kota bandung' }).redirectedFrom).toBeUndefined();
  });
});

describe('BodyRouter place inside the body', () => {
  let router: BodyRouter;
  beforeAll(async () => {
    router = await BodyRouter.load();
  });

  it('should name the kecamatan and kelurahan found in the text', () => {
    const d = router.route({ text: 'jalan rusak di kelurahan ketintang kecamatan gayungan surabaya' });
    expect(d.place).toEqual({ districtCode: '35.78.22', districtName: 'Gayungan', villageCode: '35.78.22.1004', villageName: 'Ketintang' });
  });

  it('should take the kecamatan of a desa code given by a form', () => {
    const d = router.route({ text: 'lampu jalan mati sudah seminggu', regionCode: '35.78.22.1004' });
    expect(d).toMatchObject({ code: '35.78', place: { districtName: 'Gayungan', villageName: 'Ketintang' } });
  });

  it('should leave the place out when only the kota is known', () => {
    expect(router.route({ text: 'jalan rusak', regionCode: '35.78' }).place).toBeUndefined();
  });
});
