import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitLogistic1d } from './classifier';
import {
  coverageAtPrecision,
  evaluateUnitClassifier,
  locationTemplate,
  normalizeUnit,
  tokenize,
  UnitClassifier,
  UnitExample,
  UnitModelRegistry,
} from './index';

/** Synthetic complaints (no real data): three agencies with distinct vocabulary, plus kelurahan-office cases. */
function toySet(perClass = 20): UnitExample[] {
  const topics: [string, string[]][] = [
    ['Dinas Lingkungan Hidup', ['sampah menumpuk', 'bau sampah', 'tps penuh', 'truk sampah tidak datang', 'pohon tumbang sampah daun']],
    ['Dinas Perhubungan', ['parkir liar', 'lampu lalu lintas mati', 'jukir minta uang', 'angkot ngetem', 'rambu lalu lintas rusak']],
    ['Dinas Sumber Daya Air dan Bina Marga', ['jalan berlubang', 'saluran air mampet', 'banjir genangan', 'aspal rusak', 'paving jalan rusak']],
  ];
  const kelurahan = ['Ploso', 'Tegalsari', 'Darmo', 'Ngagel'];
  const rows: UnitExample[] = [];
  for (let i = 0; i < perClass; i++) {
    for (const [label, phrases] of topics) {
      rows.push({
        text: `Mohon bantuan, ada ${phrases[i % phrases.length]} di RT ${i % 7} dekat rumah saya\\nterima kasih`,
        label,
        location: { kelurahan: kelurahan[i % kelurahan.length]! },
      });
    }
    const kel = kelurahan[(i * 3) % kelurahan.length]!;
    rows.push({
      text: `mengurus surat pengantar nikah dan surat keterangan domisili di kantor kelurahan belum selesai ${i}`,
      label: `KELURAHAN  ${kel.toUpperCase()}`,
      location: { kelurahan: kel },
    });
  }
  return rows;
}

describe('normalizeUnit', () => {
  it('unifies case, spacing, punctuation and abbreviations', () => {
    expect(normalizeUnit('  DINAS   sosial. ')).toBe('Dinas Sosial');
    expect(normalizeUnit('dinas sosial')).toBe(normalizeUnit('Dinas Sosial'));
    expect(normalizeUnit('Kab. Sidoarjo')).toBe('Kabupaten Sidoarjo');
    expect(normalizeUnit('kabupaten  sidoarjo')).toBe('Kabupaten Sidoarjo');
    expect(normalizeUnit('Kel. Dr. Soetomo')).toBe('Kelurahan Dr Soetomo');
    expect(normalizeUnit('Kelurahan Dr. Soetomo')).toBe(normalizeUnit('kelurahan dr soetomo'));
    expect(normalizeUnit('Dinas Koperasi & UKM')).toBe('Dinas Koperasi dan UKM');
    expect(normalizeUnit('rsud dr. soewandhie')).toBe('RSUD Dr Soewandhie');
    expect(normalizeUnit('Bagian Umum, Protokol dan Komunikasi Pimpinan')).toBe('Bagian Umum Protokol dan Komunikasi Pimpinan');
  });
});

describe('tokenize', () => {
  it('treats literal \\n as whitespace and keeps placeholders as tokens', () => {
    expect(tokenize('jalan\\nrusak [NIK] hubungi [TELP]')).toEqual(['jalan', 'rusak', '_nik_', 'hubungi', '_telp_']);
  });
});

describe('locationTemplate', () => {
  it('recognises a label naming the row’s own kelurahan, ignoring spaces and case', () => {
    expect(locationTemplate('Kelurahan Tambak Rejo', { kecamatan: 'Simokerto', kelurahan: 'Tambakrejo' })).toBe('Kelurahan {kelurahan}');
    expect(locationTemplate('Kecamatan Bulak', { kecamatan: 'Bulak', kelurahan: 'Kedung Cowek' })).toBe('Kecamatan {kecamatan}');
    expect(locationTemplate('Dinas Sosial', { kecamatan: 'Bulak' })).toBeNull();
  });
});

describe('coverageAtPrecision', () => {
  it('finds the largest confident prefix with enough precision', () => {
    const items = [
      { confidence: 0.99, correct: true },
      { confidence: 0.9, correct: true },
      { confidence: 0.8, correct: false },
      { confidence: 0.7, correct: true },
    ];
    expect(coverageAtPrecision(items, 0.95)).toEqual({ covered: 2, threshold: 0.9 });
    expect(coverageAtPrecision(items, 0.5).covered).toBe(4);
  });
});

describe('fitLogistic1d', () => {
  it('fits P(right) increasing in the margin', () => {
    const z: number[] = [];
    const y: boolean[] = [];
    for (let i = 0; i < 200; i++) {
      z.push(i / 20);
      y.push(i % 10 < Math.min(9, i / 20)); // more often right as z grows
    }
    const { a, b } = fitLogistic1d(z, y);
    expect(a).toBeGreaterThan(0);
    const p = (x: number) => 1 / (1 + Math.exp(-(a * x + b)));
    expect(p(0)).toBeLessThan(0.3);
    expect(p(9)).toBeGreaterThan(0.8);
  });
});

describe('UnitClassifier', () => {
  const rows = toySet();
  const model = UnitClassifier.train(rows, { seed: 7, validationFraction: 0.25, validationSplit: 'random' });

  it('learns a separable toy set', () => {
    expect(model.predict('ada sampah menumpuk di depan rumah').unit).toBe('Dinas Lingkungan Hidup');
    expect(model.predict('banyak parkir liar dan jukir').unit).toBe('Dinas Perhubungan');
    expect(model.predict('jalan berlubang dan aspal rusak').unit).toBe('Dinas Sumber Daya Air dan Bina Marga');
    const { metrics } = evaluateUnitClassifier(model, rows);
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('learns one generic kelurahan-office class and resolves it from the location field', () => {
    expect(model.classes).toContain('Kelurahan {kelurahan}');
    expect(model.classes.filter((c) => c.startsWith('Kelurahan'))).toHaveLength(1);
    const p = model.predict('surat pengantar nikah di kelurahan belum selesai', { kelurahan: 'Tegalsari' });
    expect(p.unit).toBe('Kelurahan Tegalsari');
    // A kelurahan never seen in training is still routed to its own office.
    expect(model.predict('surat keterangan domisili belum selesai di kelurahan', { kelurahan: 'Kedung Cowek' }).unit).toBe(
      'Kelurahan Kedung Cowek',
    );
    // Without a location the generic class cannot be resolved, so it is not offered.
    const noLoc = model.predict('surat pengantar nikah di kelurahan belum selesai');
    expect([noLoc.unit, ...noLoc.alternatives.map((a) => a.unit)].every((u) => !u?.includes('{'))).toBe(true);
  });

  it('returns calibrated, ordered probabilities and top-k alternatives', () => {
    const p = model.predict('sampah menumpuk dan parkir liar', undefined, 3);
    expect(p.alternatives).toHaveLength(2);
    expect(p.confidence).toBeGreaterThanOrEqual(p.alternatives[0]!.confidence);
    expect(p.alternatives[0]!.confidence).toBeGreaterThanOrEqual(p.alternatives[1]!.confidence);
    const total = p.confidence + p.alternatives.reduce((s, a) => s + a.confidence, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    expect(model.autoRouteThreshold).toBeGreaterThan(0);
    expect(model.autoRouteThreshold).toBeLessThanOrEqual(1);
  });

  it('flags predictions below the auto-route threshold for review', () => {
    for (const text of ['sampah menumpuk', 'qwerty zxcvb', 'parkir liar jalan berlubang sampah']) {
      const p = model.predict(text);
      expect(p.needsReview).toBe(p.confidence < model.autoRouteThreshold);
    }
    // Gibberish has no evidence for any unit: low confidence → the body's admin decides.
    expect(model.predict('qwerty zxcvb').needsReview).toBe(true);
  });

  it('is deterministic for a given seed', () => {
    const again = UnitClassifier.train(rows, { seed: 7, validationFraction: 0.25, validationSplit: 'random' });
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(model.toJSON()));
  });

  it('round-trips through save/load with identical predictions; the registry loads <bodyCode>.model.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unit-model-'));
    try {
      const file = join(dir, '35.78.model.json');
      model.save(file);
      const loaded = UnitClassifier.load(file);
      expect(loaded.classes).toEqual(model.classes);
      expect(loaded.autoRouteThreshold).toBe(model.autoRouteThreshold);
      for (const r of rows) expect(loaded.predict(r.text, r.location, 5)).toEqual(model.predict(r.text, r.location, 5));
      writeFileSync(join(dir, 'README.txt'), 'not a model');
      const registry = UnitModelRegistry.load(dir);
      expect(registry.bodies()).toEqual(['35.78']);
      expect(registry.forBody('35.78')?.predict('parkir liar').unit).toBe('Dinas Perhubungan');
      expect(registry.forBody('32.73')).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stores int8 weights by default and still reads int16 model files', () => {
    expect(model.toJSON().weights.dtype).toBe('int8');
    const m16 = UnitClassifier.train(rows, { seed: 7, validationFraction: 0.25, validationSplit: 'random', weightsDtype: 'int16' });
    const json = JSON.parse(JSON.stringify(m16.toJSON()));
    expect(json.weights.dtype).toBe('int16');
    const loaded = UnitClassifier.fromJSON(json);
    for (const r of rows.slice(0, 10)) expect(loaded.predict(r.text, r.location)).toEqual(m16.predict(r.text, r.location));
    expect(m16.predict('ada sampah menumpuk di depan rumah').unit).toBe('Dinas Lingkungan Hidup');
  });

  it('offers the complaint’s own kelurahan office among the alternatives, without changing the top unit', () => {
    const loc = { kelurahan: 'Darmo' };
    const plain = UnitClassifier.train(rows, { seed: 7, validationFraction: 0.25, validationSplit: 'random', localAlternativesBoost: 0 });
    const boosted = UnitClassifier.train(rows, { seed: 7, validationFraction: 0.25, validationSplit: 'random', localAlternativesBoost: 5 });
    const a = plain.predict('parkir liar di depan toko', loc, 2);
    const b = boosted.predict('parkir liar di depan toko', loc, 2);
    expect(b.unit).toBe(a.unit);
    expect(b.confidence).toBe(a.confidence);
    expect(b.alternatives[0]!.unit).toBe('Kelurahan Darmo');
    expect(b.alternatives[0]!.confidence).toBeLessThanOrEqual(b.confidence);
    expect(b.confidence + b.alternatives[0]!.confidence).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('rejects files that are not models of this format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unit-model-'));
    try {
      const file = join(dir, 'x.model.json');
      writeFileSync(file, JSON.stringify({ format: 'lapor-unit-classifier', version: 999 }));
      expect(() => UnitClassifier.load(file)).toThrow(/version 999/);
      writeFileSync(file, '{}');
      expect(() => UnitClassifier.load(file)).toThrow(/not a lapor-unit-classifier/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
