import * as fs from 'fs';
import fc from 'fast-check';
import * as os from 'os';
import * as path from 'path';
import { BodyRouter } from './index';
import { defaultRulesFile } from './data-paths';
import { RulesEngine } from './rules-engine';
import { dotCode } from './editions';
import { normalize } from './text';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-rules-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, body: string) => { const p = path.join(tmp, name); fs.writeFileSync(p, body); return p; };

describe('rules file', () => {
  it('the bundled file is valid, every rule has a legal basis', () => {
    const e = RulesEngine.fromFile(defaultRulesFile());
    expect(e.rules.length).toBeGreaterThan(20);
    for (const r of e.rules) expect(r.legalBasis.length).toBeGreaterThan(10);
  });
  it('overrides drop the general rule (e-KTP national vs local)', () => {
    const e = RulesEngine.fromFile(defaultRulesFile());
    expect(e.evaluate('ektp gak bisa dicetak di seluruh indonesia').map((h) => h.rule.id)).toEqual(['dukcapil-nasional']);
    expect(e.evaluate('ektp gak bisa dicetak di kantor capil').map((h) => h.rule.id)).toEqual(['dukcapil-lokal']);
  });
  it('matches informal suffixes and wildcards', () => {
    const e = RulesEngine.fromFile(defaultRulesFile());
    expect(e.evaluate('paspornya ilang').map((h) => h.rule.id)).toContain('paspor-imigrasi');
    expect(e.evaluate('jalannya rusakkk parahhh').map((h) => h.rule.id)).toContain('jalan-lokal');
  });
  it('rejects an unknown agency slug, a missing legal basis and duplicate ids', async () => {
    const bad = (rule: string) => write(`bad-${Math.random()}.yaml`, `version: 1\nrules:\n${rule}`);
    await expect(BodyRouter.load({ rulesFile: bad('  - {id: x, level: agency, agency: no-such-body, weight: 0.9, match: {any: [a]}, legalBasis: "UU 1/2000"}\n') })).rejects.toThrow(/unknown agency/);
    expect(() => RulesEngine.fromFile(bad('  - {id: x, level: regency, weight: 0.9, match: {any: [a]}}\n'))).toThrow(/invalid rules file/);
    expect(() => RulesEngine.fromFile(bad('  - {id: x, level: regency, weight: 0.9, match: {any: [a]}, legalBasis: "UU 1/2000"}\n  - {id: x, level: regency, weight: 0.9, match: {any: [b]}, legalBasis: "UU 1/2000"}\n'))).toThrow(/duplicate/);
  });
  it('ops can point the router at another file (JSON too) without a rebuild', async () => {
    const p = write('rules.json', JSON.stringify({
      version: 1,
      rules: [{ id: 'ojol', level: 'agency', agency: 'kemenhub', weight: 0.9, match: { any: ['ojol', 'ojek online'] }, legalBasis: 'UU 22/2009 LLAJ' }],
    }));
    const r = await BodyRouter.load({ rulesFile: p });
    const d = r.route({ text: 'driver ojol ugal2an' });
    expect(d).toMatchObject({ kind: 'agency', code: 'kemenhub' });
    expect(r.route({ text: 'paspor hilang' }).kind).toBe('triage');
  });
});

describe('text and codes', () => {
  it('normalises informal text', () => {
    expect(normalize('SMPN1 Kota-Bandung!!  rusakkk')).toBe('smpn 1 kota bandung rusak');
  });
  it('dots region codes', () => {
    expect(dotCode('32')).toBe('32');
    expect(dotCode('3273')).toBe('32.73');
    expect(dotCode('327302')).toBe('32.73.02');
    expect(dotCode('3273021001')).toBe('32.73.02.1001');
    expect(dotCode('32.73')).toBe('32.73');
  });
});

describe('data folder', () => {
  it('honours LAPOR_ROUTING_DATA_DIR-independent dataDir option', async () => {
    const r = await BodyRouter.load({ dataDir: path.join(__dirname, '../../data/regions') });
    expect(r.describe('32.73')?.name).toBe('Kota Bandung');
  });
  it('fails clearly when the data folder is wrong', async () => {
    await expect(BodyRouter.load({ dataDir: path.join(tmp, 'nope') })).rejects.toThrow();
  });
});

describe('trigger index (evaluate runs only the rules a token of the text can start)', () => {
  const indexed = RulesEngine.fromFile(defaultRulesFile());
  const scanning = new RulesEngine(indexed.file, indexed.source, { scanAll: true });
  const caseTexts = fs
    .readFileSync(path.join(__dirname, '../../../../bench/cases/body-routing-cases.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean);
  // Words the rules know, with the informal suffixes and a wildcard's continuation, plus glue words.
  const vocabulary = [
    ...new Set(indexed.rules.flatMap((r) => [...r.match.any, ...r.match.all.flat(), ...r.match.none]).flatMap((t) => t.replace(/\*/g, 'nya').split(/\s+/))),
  ];
  const glue = ['di', 'tapi', 'bukan', 'depan', 'dan', 'selain', 'itu', 'kedua', 'nya', 'ku', 'jalan'];

  it('fires the same rules, with the same scores and positions, as evaluating every rule (the 421 routing cases)', () => {
    expect(caseTexts.length).toBeGreaterThan(400);
    for (const text of caseTexts) expect(indexed.evaluate(text)).toEqual(scanning.evaluate(text));
  });

  it('… and on generated texts made of the rules own words with suffixes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...vocabulary, ...glue), fc.constantFrom('', '', 'nya', 'ku', 'mu', 'kk')), { maxLength: 30 }),
        (words) => {
          const text = words.map(([w, sfx]) => w + sfx).join(' ');
          expect(indexed.evaluate(text)).toEqual(scanning.evaluate(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
