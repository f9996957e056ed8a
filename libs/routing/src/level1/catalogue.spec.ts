import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { BodyRouter } from './body-router';
import { defaultRulesFile } from './data-paths';
import { announcesSecondMatter, CatalogueFileSchema, RulesEngine } from './rules-engine';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-catalogue-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let router: BodyRouter;
beforeAll(async () => {
  router = await BodyRouter.load();
}, 60_000);
const body = (text: string) => {
  const d = router.route({ text });
  return d.kind === 'triage' ? 'triage' : `${d.kind}:${d.code}`;
};

describe('catalogues (national services, province-owned facilities)', () => {
  const main = defaultRulesFile();
  const includes = (parseYaml(fs.readFileSync(main, 'utf8')) as { include: string[] }).include;

  it.each(includes)('%s: every rule and every facility carries a source and a legal basis', (file) => {
    const cat = CatalogueFileSchema.parse(parseYaml(fs.readFileSync(path.join(path.dirname(main), file), 'utf8')));
    expect(cat.rules.length + cat.facilities.length).toBeGreaterThan(10);
    for (const r of cat.rules) expect([r.id, r.source!.length > 10, r.legalBasis.length > 10]).toEqual([r.id, true, true]);
    for (const f of cat.facilities) expect([f.id, f.source.length > 10, f.legalBasis.length > 10]).toEqual([f.id, true, true]);
  });

  it('refuses a catalogue rule without a source', () => {
    fs.writeFileSync(path.join(tmp, 'cat.yaml'), 'version: 1\nrules:\n  - {id: x, level: agency, agency: bpom, weight: 0.9, match: {any: [bpom]}, legalBasis: "Perpres 80/2017"}\n');
    const rules = path.join(tmp, 'rules.yaml');
    fs.writeFileSync(rules, 'version: 1\ninclude: [cat.yaml]\nrules:\n  - {id: y, level: regency, weight: 0.9, match: {any: [sampah]}, legalBasis: "UU 18/2008"}\n');
    expect(() => RulesEngine.fromFile(rules)).toThrow(/needs `source`/);
  });

  // [text, expected body] — hand-written, not from the case set
  it.each([
    // national services, also when a local office and a city are named
    ['Kantor Imigrasi Kelas I Malang lambat memproses paspor', 'agency:ditjen-imigrasi'],
    ['Lapas Kelas I Malang meminta uang untuk kunjungan', 'agency:ditjen-pas'],
    ['KUA Kecamatan Lowokwaru Malang menarik biaya nikah di kantor', 'agency:kemenag'],
    ['Sidang di PN Malang ditunda terus', 'agency:ma'],
    ['Kejari Malang belum mengembalikan barang bukti motor', 'agency:kejaksaan'],
    ['Bagasi hilang setelah penerbangan dari Bandara Abdulrachman Saleh', 'agency:kemenhub'],
    ['Pinjol menyebarkan data saya dan debt collector mengancam', 'agency:ojk'],
    ['Makan bergizi gratis di sekolah basi', 'agency:bgn'],
    ['PKH ibu saya dihentikan tanpa alasan', 'agency:kemensos'],
    // province-owned facilities go to the province although the text names the city they stand in
    ['RSUD Dr. Saiful Anwar Kota Malang antre berjam-jam', 'province:35'],
    ['Pelayanan RSUD Moewardi Surakarta buruk', 'province:33'],
    ['Perusahaan di Kota Malang membayar di bawah UMK', 'province:35'],
    // and city-owned look-alikes to the city
    ['RSUD Wongsonegoro lambat melayani pasien', 'kota:33.74'],
    ['Halte Suroboyo Bus rusak', 'kota:35.78'],
  ])('%s → %s', (text, expected) => expect(body(text)).toBe(expected));
});

describe('what the complaint is about, not every term it contains', () => {
  it.each([
    // a landmark or a direction is place evidence, not a service
    ['Jalan berlubang di depan kampus Universitas Negeri Surabaya, Kota Surabaya', 'kota:35.78'],
    ['Got mampet dekat pintu tol Waru, Kota Surabaya', 'kota:35.78'],
    // a service named before "tapi" yields to the matter after it
    ['Saya mau bikin SIM, tapi jalan menuju kantor kecamatan Rungkut Surabaya berlubang', 'kota:35.78'],
    // a negated mention
    ['Bukan RSUP, yang saya laporkan puskesmas Kota Surabaya yang tutup', 'kota:35.78'],
    // the service itself is still recognised when it is the subject
    ['Jalan tol Surabaya-Gempol berlubang', 'agency:kemen-pu'],
  ])('%s → %s', (text, expected) => expect(body(text)).toBe(expected));

  it('sends two matters for different bodies to triage, with both as alternatives', () => {
    const d = router.route({ text: 'Dua hal: listrik PLN padam tiap malam, selain itu sampah di Kota Surabaya tidak diangkut' });
    expect(d.kind).toBe('triage');
    expect(d.alternatives.map((a) => a.code)).toEqual(expect.arrayContaining(['pln', '35.78']));
    expect(d.evidence.map((e) => e.detail).join(' ')).toMatch(/two matters/);
  });

  it.each([
    ['Pertama jalan rusak. Kedua lampu mati', true],
    ['1. jalan rusak 2. sampah menumpuk', true],
    ['Jalan rusak dan sampah juga menumpuk', false],
  ] as const)('announcesSecondMatter(%s) = %s', (text, expected) => expect(announcesSecondMatter(text)).toBe(expected));
});

describe('places', () => {
  it.each([
    ['Kota Medan: parkir liar di trotoar', 'kota:12.71'],
    ['Kota Padang, lampu jalan mati', 'kota:13.71'],
    ['Kota Batu, sampah tidak diangkut', 'kota:35.79'],
    ['Tangerang kota, got mampet', 'kota:36.71'],
    ['mdn, jalan bolong2 rusak parah', 'kota:12.71'],
    ['Cilandak jaksel, lampu jalan mati', 'province:31'],
    ['The street lights are broken near my house in Surabaya', 'kota:35.78'],
  ])('%s → %s', (text, expected) => expect(body(text)).toBe(expected));
});
