import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { dataSourceOptions } from '@lapor/persistence';
import { UnitClassifier } from '@lapor/routing';
import { DataSource } from 'typeorm';
import { DESK_MIGRATIONS } from '../../apps/desk/src/migrations';
import { createTestDatabase } from '../../test/support/database';
import { main } from './cli';

/** The learning loop: the desk's stored dispositions train a body's unit model; returns/forwards make the corrections report. */
describe('routing CLI on the desk database', () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  let url: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    const created = await createTestDatabase('lapor_learning');
    url = created.url;
    drop = created.drop;
    db = new DataSource({ ...dataSourceOptions({ databaseUrl: url, pgliteDir: '', entities: [], migrations: DESK_MIGRATIONS, migrationsTableName: 'desk_migrations' }), logging: false });
    await db.initialize();
    const insert = (action: string, text: string, chosenUnit: string | null, routedUnit: string | null, rules: string[], chosenBody: string | null = null) =>
      db.query(
        `INSERT INTO desk_routing_examples (id, tracking_id, sequence, action, text, district_name, village_name, routed_body_code, routed_unit, routed_rules, chosen_body_code, chosen_unit, body_code, at)
         VALUES ($1, $2, 4, $3, $4, 'Sumur Bandung', 'Braga', '32.73', $5, $6::jsonb, $7, $8, '32.73', now())`,
        [randomUUID(), randomUUID().slice(0, 11).toUpperCase(), action, text, routedUnit, JSON.stringify(rules), chosenBody, chosenUnit],
      );
    const roads = ['jalan berlubang besar', 'aspal jalan rusak parah', 'jalan retak dan berlubang', 'perbaikan jalan rusak', 'jalan rusak dekat sekolah'];
    const waste = ['sampah menumpuk di pasar', 'sampah tidak diangkut seminggu', 'tumpukan sampah bau', 'truk sampah tidak datang', 'sampah liar di sungai'];
    const lights = ['lampu jalan mati', 'penerangan jalan umum padam', 'lampu pju rusak', 'lampu jalan berkedip', 'tiang lampu jalan roboh'];
    for (let i = 0; i < 4; i++) {
      for (const t of roads) await insert('dispose', `${t} di RW ${i}`, 'Dinas Pekerjaan Umum', 'Dinas Perhubungan', ['jalan-kota']);
      for (const t of waste) await insert('dispose', `${t} di RW ${i}`, 'Dinas Lingkungan Hidup', 'Dinas Lingkungan Hidup', ['sampah']);
      for (const t of lights) await insert('dispose', `${t} di RW ${i}`, 'Dinas Perhubungan', 'Dinas Perhubungan', ['pju']);
    }
    for (let i = 0; i < 3; i++) await insert('return', 'jalan tol rusak', null, null, ['jalan-kota']);
    await insert('forward', 'SIM hilang', null, null, ['jalan-kota', 'sim'], 'polri');
    process.env.DATABASE_URL = url;
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await db?.destroy();
    await drop?.();
  });

  it('should train the body unit model from its dispositions, where the router loads it', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lapor-models-')), '32.73.model.json');
    expect(await main(['train', '--from-db', '--body', '32.73', '--out', out])).toBe(0);
    expect(existsSync(out)).toBe(true);
    const model = UnitClassifier.load(out);
    expect([...model.classes].sort()).toEqual(['Dinas Lingkungan Hidup', 'Dinas Pekerjaan Umum', 'Dinas Perhubungan']);
    expect(model.predict('aspal berlubang rusak parah', { kecamatan: 'Sumur Bandung' }).unit).toBe('Dinas Pekerjaan Umum');
  }, 60_000);

  it('should refuse a body with too few dispositions, with the reason', async () => {
    const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['train', '--from-db', '--body', '32.71'])).toBe(2);
    expect(err.mock.calls.flat().join(' ')).toContain('0 disposition(s)');
    err.mockRestore();
  });

  it('should list the rules officials corrected most, and the unit suggestions they disposed elsewhere', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['corrections', '--json'])).toBe(0);
    const report = JSON.parse(log.mock.calls[0][0] as string);
    log.mockRestore();
    expect(report.rules).toEqual([
      { rule: 'jalan-kota', corrections: 4, returned: 3, forwarded: 1 },
      { rule: 'sim', corrections: 1, returned: 0, forwarded: 1 },
    ]);
    expect(report.units).toEqual([{ body_code: '32.73', routed_unit: 'Dinas Perhubungan', chosen_unit: 'Dinas Pekerjaan Umum', corrections: 20 }]);
  });
});
