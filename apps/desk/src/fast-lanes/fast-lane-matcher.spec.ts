import { FastLaneRules } from '@lapor/contracts';
import { ComplaintFacts, keywordMatches, laneMatches, normalizeForMatching, regionCodesOf } from './fast-lane-matcher';

const BANJIR_JATENG = FastLaneRules.parse({ keywords: ['banjir', 'tanggul jebol'], regions: ['33'], from: '2026-12-01T00:00:00+07:00', until: '2027-01-01T00:00:00+07:00' });
const DINKES = FastLaneRules.parse({ labels: ['Dinas Kesehatan'], keywords: [] });
const DBD = FastLaneRules.parse({ keywords: ['DBD'] });

const facts = (over: Partial<ComplaintFacts>): ComplaintFacts => ({
  text: 'Banjir setinggi lutut di Tambaklorok, warga butuh bantuan',
  regionCodes: ['33.74'],
  labels: [],
  receivedAt: new Date('2026-12-03T09:00:00+07:00'),
  ...over,
});

describe('fast lane matching', () => {
  it.each<[string, FastLaneRules, Partial<ComplaintFacts>, boolean]>([
    ['keyword in a kota of the province', BANJIR_JATENG, {}, true],
    ['keyword with an Indonesian affix (kebanjiran)', BANJIR_JATENG, { text: 'Rumah kami kebanjiran sejak subuh' }, true],
    ['phrase, any case and punctuation', BANJIR_JATENG, { text: 'TANGGUL  JEBOL!! di Demak' }, true],
    ['no keyword', BANJIR_JATENG, { text: 'Jalan berlubang di Semarang' }, false],
    ['another province', BANJIR_JATENG, { regionCodes: ['32.73'] }, false],
    ['a kecamatan inside the lane\'s kota', FastLaneRules.parse({ keywords: ['banjir'], regions: ['33.74'] }), { regionCodes: ['33.74.01'] }, true],
    ['another kota of the same province', FastLaneRules.parse({ keywords: ['banjir'], regions: ['33.74'] }), { regionCodes: ['33.71'] }, false],
    ['unknown region', BANJIR_JATENG, { regionCodes: [] }, false],
    ['before the window', BANJIR_JATENG, { receivedAt: new Date('2026-11-30T23:59:59+07:00') }, false],
    ['at the window start (inclusive)', BANJIR_JATENG, { receivedAt: new Date('2026-12-01T00:00:00+07:00') }, true],
    ['at the window end (exclusive)', BANJIR_JATENG, { receivedAt: new Date('2027-01-01T00:00:00+07:00') }, false],
    ['level-2 label, case-insensitive, anywhere', DINKES, { text: 'Puskesmas tutup', labels: ['dinas  kesehatan'], regionCodes: [] }, true],
    ['another label', DINKES, { labels: ['Dinas Pekerjaan Umum'] }, false],
    ['short keyword as a whole word', DBD, { text: 'Anak saya kena DBD, fogging belum ada' }, true],
    ['short keyword inside another word does not match', DBD, { text: 'Kabar dbdx tidak jelas', regionCodes: [] }, false],
  ])('%s', (_name, rules, over, expected) => {
    expect(laneMatches(rules, facts(over))).toBe(expected);
  });

  it('should refuse a lane with neither keywords nor labels, and a window that ends before it starts', () => {
    expect(FastLaneRules.safeParse({ regions: ['33'] }).success).toBe(false);
    expect(FastLaneRules.safeParse({ keywords: ['banjir'], from: '2026-12-02T00:00:00Z', until: '2026-12-01T00:00:00Z' }).success).toBe(false);
  });

  it('should normalize accents, case and punctuation', () => {
    expect(normalizeForMatching('Bánjir!!  Semarang\n')).toBe('banjir semarang');
    expect(keywordMatches('rumah kebanjiran', 'Banjir')).toBe(true);
  });

  it("should read the region codes of a routing decision: the region body, the place, the form's region", () => {
    expect(
      regionCodesOf({
        kind: 'agency',
        code: 'bnpb',
        name: 'BNPB',
        confidence: 0.9,
        evidence: [{ type: 'form_region', detail: 'wilayah dari formulir', ref: '33.74' }, { type: 'rule', detail: 'aturan bencana', ref: 'bencana' }],
        alternatives: [],
        place: { districtCode: '33.74.01' },
      }).sort(),
    ).toEqual(['33.74', '33.74.01']);
  });
});
