import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/routing/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Synthetic complaints, written for this test (no real data). */
function syntheticCsv(): string {
  const topics: [string, string[]][] = [
    ['Dinas Lingkungan Hidup', ['sampah menumpuk di pinggir jalan', 'truk sampah tidak datang', 'bau sampah dari TPS']],
    ['dinas perhubungan', ['parkir liar di depan minimarket', 'lampu lalu lintas mati', 'jukir minta uang parkir']],
    ['Dinas Sumber Daya Air dan Bina Marga', ['jalan berlubang, bahaya', 'saluran air mampet\nbanjir', 'aspal jalan rusak parah']],
  ];
  const kel = ['Ploso', 'Darmo', 'Ngagel'];
  const lines = ['id,keluhan,unit,kecamatan,kelurahan,wilayah'];
  let id = 0;
  for (let i = 0; i < 15; i++) {
    for (const [label, phrases] of topics) {
      lines.push([String(++id), csvField(`Mohon bantuan: ${phrases[i % 3]} RT ${i}`), label, 'Tambaksari', kel[i % 3]!, '35.78'].join(','));
    }
    const k = kel[(i + 1) % 3]!;
    lines.push([String(++id), csvField(`surat pengantar nikah di kantor kelurahan belum selesai ${i}`), `Kelurahan ${k}`, 'Tambaksari', k, '35.78'].join(','));
  }
  return lines.join('\n') + '\n';
}

describe('routing CLI', () => {
  let dir: string;
  let csv: string;
  let model: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'routing-cli-'));
    csv = join(dir, 'complaints.csv');
    model = join(dir, 'models', '35.78.model.json');
    writeFileSync(csv, syntheticCsv());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('train writes a model file', () => {
    const r = cli(['train', '--data', csv, '--text', 'keluhan', '--label', 'unit', '--location-columns', 'kecamatan,kelurahan', '--out', model]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(model)).toBe(true);
    const json = JSON.parse(readFileSync(model, 'utf8'));
    expect(json.format).toBe('lapor-unit-classifier');
    expect(json.classes).toContain('Dinas Perhubungan');
    expect(json.classes).toContain('Kelurahan {kelurahan}');
  });

  it('evaluate prints exactly the metric lines, and --json the same as one object', () => {
    const args = ['evaluate', '--model', model, '--data', csv, '--text', 'keluhan', '--label', 'unit', '--location-columns', 'kecamatan,kelurahan'];
    const r = cli(args);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'rows', 'classes', 'accuracy', 'top3_accuracy', 'macro_f1', 'coverage_at_precision_95', 'ms_per_complaint',
    ]);
    for (const l of lines) expect(l).toMatch(/^[a-z0-9_]+: -?\d+(\.\d+)?$/);
    expect(lines[0]).toBe('rows: 60');
    expect(lines[1]).toBe('classes: 6');
    expect(Number(lines[2]!.split(': ')[1])).toBeGreaterThan(0.9);

    const j = cli([...args, '--json']);
    expect(j.status).toBe(0);
    const m = JSON.parse(j.stdout);
    expect(Object.keys(m)).toEqual(lines.map((l) => l.split(':')[0]));
    expect(m.rows).toBe(60);
    expect(m.accuracy).toBeCloseTo(Number(lines[2]!.split(': ')[1]), 3);
  });

  it('route --data prints one routing decision per row as JSON lines, with level 2 from --models', () => {
    const r = cli(['route', '--data', csv, '--text', 'keluhan', '--region-column', 'wilayah', '--location-columns', 'kecamatan,kelurahan', '--models', join(dir, 'models')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(60);
    for (const d of rows) {
      for (const k of ['kind', 'code', 'name', 'confidence', 'evidence', 'alternatives']) expect(d).toHaveProperty(k);
      expect(Array.isArray(d.evidence)).toBe(true);
    }
    const routed = rows.filter((d) => d.code === '35.78');
    expect(routed.length).toBeGreaterThan(0);
    for (const d of routed) expect(d.unit).toMatchObject({ model: expect.stringContaining('unit-svm') });
  });

  it('route "<text>" prints the decision with its evidence', () => {
    const r = cli(['route', 'jalan berlubang di Kota Surabaya', '--json']);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toHaveProperty('kind');
    expect(d).toHaveProperty('evidence');
  });

  it('fails clearly on a missing column or file', () => {
    const r = cli(['train', '--data', csv, '--text', 'nope', '--label', 'unit', '--out', join(dir, 'x.model.json')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/missing column\(s\) nope/);
    const f = cli(['evaluate', '--model', join(dir, 'missing.model.json'), '--data', csv, '--text', 'keluhan', '--label', 'unit']);
    expect(f.status).not.toBe(0);
    expect(f.stderr).toMatch(/missing\.model\.json/);
    const g = cli(['train', '--data', join(dir, 'missing.csv'), '--text', 'a', '--label', 'b', '--out', join(dir, 'y.json')]);
    expect(g.status).not.toBe(0);
    expect(g.stderr).toMatch(/CSV file not found/);
  });
});
