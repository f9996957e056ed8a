import { loadDeadlinePolicy } from '@lapor/deadlines';
import exifr from 'exifr';
import { attachmentStoreFromEnv } from '@lapor/storage';
import { phonePhoto } from '../../../test/support/attachments';
import { DeskHarness, Official } from '../../../test/support/desk';

/**
 * The authorization matrix: every principal × every desk route, page and export, built so
 * that a route added without a row here fails the test. "own" is Kota Bandung (32.73) and
 * its unit Dinas Pekerjaan Umum; "other" is Kota Bogor (32.71). Out of scope is 404 on
 * every surface; a role that may never do something gets 403; no (or a revoked) credential
 * gets 401 on the API and the login form on pages.
 */
type PrincipalName =
  | 'national admin'
  | 'liaison own body'
  | 'liaison other body'
  | 'officer own unit'
  | 'officer other unit, same body'
  | 'officer other body'
  | 'token own body'
  | 'token other body'
  | 'revoked token'
  | 'no credentials';

const PRINCIPALS: PrincipalName[] = ['national admin', 'liaison own body', 'liaison other body', 'officer own unit', 'officer other unit, same body', 'officer other body', 'token own body', 'token other body', 'revoked token', 'no credentials'];

type Outcome = 'ok' | 'notfound' | 'forbidden' | 'login';
type Expectation = Record<PrincipalName, Outcome>;

interface Fixtures {
  own: string;
  other: string;
  ownBody: string;
  /** sha256 of the own complaint's stored photo (its key is att/<sha256>). */
  ownAttachment: string;
  /** sha256 of the other body's complaint's photo: asked for under the own complaint, it is not there. */
  otherAttachment: string;
  /** A fast lane (declared by the national admin in beforeAll) that catches none of the fixtures. */
  lane: string;
  victimOfficer(): Promise<string>;
  victimToken(): Promise<string>;
}

interface RouteCase {
  /** As registered in Express, e.g. `POST /desk/v1/complaints/:trackingId/actions`. */
  route: string;
  url(f: Fixtures): string | Promise<string>;
  body?: (f: Fixtures, n: number) => Record<string, unknown>;
  form?: boolean;
  expect: Expectation;
  /** Lists and exports: the own complaint must show exactly for those who may see it. */
  listsOwnComplaint?: boolean;
  /** Logging out ends the session: this route gets a fresh login per call. */
  freshSession?: boolean;
}

const row = (o: Partial<Record<PrincipalName, Outcome>> & { default: Outcome }): Expectation => Object.fromEntries(PRINCIPALS.map((p) => [p, o[p] ?? o.default])) as Expectation;

// Who may see the own complaint (Bandung, disposed to Dinas Pekerjaan Umum).
const COMPLAINT_SCOPE = row({ default: 'notfound', 'national admin': 'ok', 'liaison own body': 'ok', 'officer own unit': 'ok', 'token own body': 'ok', 'revoked token': 'login', 'no credentials': 'login' });
const COMPLAINT_PAGE = { ...COMPLAINT_SCOPE, 'token own body': 'login', 'token other body': 'login' } as Expectation;
const ANY_SIGNED_IN = row({ default: 'ok', 'revoked token': 'login', 'no credentials': 'login' });
const ANY_OFFICIAL_PAGE = row({ default: 'ok', 'token own body': 'login', 'token other body': 'login', 'revoked token': 'login', 'no credentials': 'login' });
const ADMIN_ONLY = row({ default: 'forbidden', 'national admin': 'ok', 'revoked token': 'login', 'no credentials': 'login' });
const ADMIN_ONLY_COMPLAINT = ADMIN_ONLY;
const ADMIN_ONLY_PAGE = { ...ADMIN_ONLY, 'token own body': 'login', 'token other body': 'login' } as Expectation;
// Managing the own body: the national admin and its liaison; the other body's liaison does not find it.
const MANAGE_OWN_BODY = row({ default: 'forbidden', 'national admin': 'ok', 'liaison own body': 'ok', 'liaison other body': 'notfound', 'revoked token': 'login', 'no credentials': 'login' });
const MANAGE_OWN_BODY_PAGE = { ...MANAGE_OWN_BODY, 'token own body': 'login', 'token other body': 'login' } as Expectation;
const PUBLIC = row({ default: 'ok' });
// The own body's statistics in the console: every official of it and the national admin; another body's officials do not find it.
const OWN_BODY_STATS_PAGE = row({ default: 'ok', 'liaison other body': 'notfound', 'officer other body': 'notfound', 'token own body': 'login', 'token other body': 'login', 'revoked token': 'login', 'no credentials': 'login' });
const HIDDEN = row({ default: 'notfound' });

let n = 0;
const email = () => `baru.${process.pid}.${++n}@contoh.go.id`;
const laneBody = () => ({ slug: `matriks-${process.pid}-${++n}`, name: 'Jalur uji matriks', rules: { keywords: ['gunung meletus'], regions: ['91'] }, deadlines: { acceptance: { hours: 4 } }, coordinatingBodies: ['bnpb'] });

const ROUTES: RouteCase[] = [
  // Officer API: complaints
  { route: 'GET /desk/v1/complaints', url: () => '/desk/v1/complaints?pageSize=200', expect: ANY_SIGNED_IN, listsOwnComplaint: true },
  { route: 'GET /desk/v1/complaints.csv', url: () => '/desk/v1/complaints.csv', expect: ANY_SIGNED_IN, listsOwnComplaint: true },
  { route: 'GET /desk/v1/complaints/:trackingId', url: (f) => `/desk/v1/complaints/${f.own}`, expect: COMPLAINT_SCOPE },
  { route: 'GET /desk/v1/complaints/:trackingId/attachments/:sha256', url: (f) => `/desk/v1/complaints/${f.own}/attachments/${f.ownAttachment}`, expect: COMPLAINT_SCOPE },
  { route: 'POST /desk/v1/complaints/:trackingId/actions', url: (f) => `/desk/v1/complaints/${f.own}/actions`, body: () => ({ action: 'classify', submissionType: 'complaint' }), expect: COMPLAINT_SCOPE },
  { route: 'POST /desk/v1/complaints/:trackingId/reporter', url: (f) => `/desk/v1/complaints/${f.own}/reporter`, body: () => ({ reason: 'Pemeriksaan matriks otorisasi' }), expect: ADMIN_ONLY_COMPLAINT },
  // Officer API: management
  { route: 'GET /desk/v1/officers', url: (f) => `/desk/v1/officers?body=${f.ownBody}`, expect: MANAGE_OWN_BODY },
  { route: 'POST /desk/v1/officers', url: () => '/desk/v1/officers', body: (f) => ({ email: email(), role: 'officer', body: f.ownBody, unit: 'Dinas Sosial' }), expect: MANAGE_OWN_BODY },
  { route: 'POST /desk/v1/officers/:officerId/disable', url: async (f) => `/desk/v1/officers/${await f.victimOfficer()}/disable`, body: () => ({}), expect: MANAGE_OWN_BODY },
  { route: 'POST /desk/v1/officers/:officerId/reset-password', url: async (f) => `/desk/v1/officers/${await f.victimOfficer()}/reset-password`, body: () => ({}), expect: MANAGE_OWN_BODY },
  { route: 'GET /desk/v1/tokens', url: (f) => `/desk/v1/tokens?body=${f.ownBody}`, expect: MANAGE_OWN_BODY },
  { route: 'POST /desk/v1/tokens', url: () => '/desk/v1/tokens', body: (f) => ({ name: 'matriks', body: f.ownBody }), expect: MANAGE_OWN_BODY },
  { route: 'DELETE /desk/v1/tokens/:tokenId', url: async (f) => `/desk/v1/tokens/${await f.victimToken()}`, expect: MANAGE_OWN_BODY },
  { route: 'GET /desk/v1/bodies/:bodyCode/webhook', url: (f) => `/desk/v1/bodies/${f.ownBody}/webhook`, expect: MANAGE_OWN_BODY },
  { route: 'PUT /desk/v1/bodies/:bodyCode/webhook', url: (f) => `/desk/v1/bodies/${f.ownBody}/webhook`, body: () => ({ url: 'https://sistem.contoh.go.id/lapor' }), expect: MANAGE_OWN_BODY },
  { route: 'POST /desk/v1/bodies/:bodyCode/webhook/rotate', url: (f) => `/desk/v1/bodies/${f.ownBody}/webhook/rotate`, body: () => ({}), expect: MANAGE_OWN_BODY },
  { route: 'DELETE /desk/v1/bodies/:bodyCode/webhook', url: (f) => `/desk/v1/bodies/${f.ownBody}/webhook`, expect: MANAGE_OWN_BODY },
  { route: 'GET /desk/v1/bodies/:bodyCode/working-week', url: (f) => `/desk/v1/bodies/${f.ownBody}/working-week`, expect: MANAGE_OWN_BODY },
  { route: 'PUT /desk/v1/bodies/:bodyCode/working-week', url: (f) => `/desk/v1/bodies/${f.ownBody}/working-week`, body: () => ({ sixDayWeek: false }), expect: MANAGE_OWN_BODY },
  { route: 'GET /desk/v1/audit', url: (f) => `/desk/v1/audit?body=${f.ownBody}`, expect: MANAGE_OWN_BODY },
  { route: 'GET /desk/v1/deadline-policy', url: () => '/desk/v1/deadline-policy', expect: ANY_SIGNED_IN },
  { route: 'PUT /desk/v1/deadline-policy', url: () => '/desk/v1/deadline-policy', body: () => ({ policy: loadDeadlinePolicy() }), expect: ADMIN_ONLY },
  // Fast lanes: the national admin only (docs/fast-lanes.md); copy holders' access is the matrix in fast-lanes.integration.spec.ts.
  { route: 'GET /desk/v1/fast-lanes', url: () => '/desk/v1/fast-lanes', expect: ADMIN_ONLY },
  { route: 'POST /desk/v1/fast-lanes', url: () => '/desk/v1/fast-lanes', body: () => laneBody(), expect: ADMIN_ONLY },
  { route: 'PUT /desk/v1/fast-lanes/:laneId', url: (f) => `/desk/v1/fast-lanes/${f.lane}`, body: () => ({ ...laneBody(), active: false }), expect: ADMIN_ONLY },
  { route: 'GET /desk/v1/openapi.json', url: () => '/desk/v1/openapi.json', expect: PUBLIC },
  // The CLI's door into a running `npm start`: without its secret it does not exist.
  { route: 'POST /internal/desk/v1/commands', url: () => '/internal/desk/v1/commands', body: () => ({ command: 'officer list' }), expect: HIDDEN },
  // Console pages
  { route: 'GET /desk', url: () => '/desk', expect: ANY_OFFICIAL_PAGE },
  { route: 'GET /desk/masuk', url: () => '/desk/masuk', expect: PUBLIC },
  { route: 'POST /desk/masuk', url: () => '/desk/masuk', form: true, body: () => ({ email: 'tidak.ada@contoh.go.id', password: 'salah-salah-salah' }), expect: PUBLIC },
  { route: 'POST /desk/keluar', url: () => '/desk/keluar', form: true, body: () => ({}), expect: ANY_OFFICIAL_PAGE, freshSession: true },
  { route: 'GET /desk/kata-sandi', url: () => '/desk/kata-sandi', expect: ANY_OFFICIAL_PAGE },
  { route: 'POST /desk/kata-sandi', url: () => '/desk/kata-sandi', form: true, body: () => ({ current: 'bukan-sandi-ini', next: 'sandi-baru-yang-panjang' }), expect: ANY_OFFICIAL_PAGE },
  { route: 'GET /desk/laporan', url: () => '/desk/laporan?status=all', expect: ANY_OFFICIAL_PAGE, listsOwnComplaint: true },
  { route: 'GET /desk/laporan/:trackingId', url: (f) => `/desk/laporan/${f.own}`, expect: COMPLAINT_PAGE },
  { route: 'POST /desk/laporan/:trackingId/tindakan', url: (f) => `/desk/laporan/${f.own}/tindakan`, form: true, body: () => ({ action: 'classify', submissionType: 'complaint' }), expect: COMPLAINT_PAGE },
  { route: 'POST /desk/laporan/:trackingId/identitas', url: (f) => `/desk/laporan/${f.own}/identitas`, form: true, body: () => ({ reason: 'Pemeriksaan matriks otorisasi' }), expect: ADMIN_ONLY_PAGE },
  { route: 'GET /desk/triase', url: () => '/desk/triase', expect: ADMIN_ONLY_PAGE },
  { route: 'GET /desk/jalur-cepat', url: () => '/desk/jalur-cepat', expect: ADMIN_ONLY_PAGE },
  { route: 'POST /desk/jalur-cepat', url: () => '/desk/jalur-cepat', form: true, body: () => { const l = laneBody(); return { slug: l.slug, name: l.name, keywords: 'gunung meletus', regions: '91', coordinatingBodies: 'bnpb' }; }, expect: ADMIN_ONLY_PAGE },
  { route: 'POST /desk/jalur-cepat/:laneId/status', url: (f) => `/desk/jalur-cepat/${f.lane}/status`, form: true, body: () => ({ active: '0' }), expect: ADMIN_ONLY_PAGE },
  { route: 'GET /desk/petugas', url: (f) => `/desk/petugas?body=${f.ownBody}`, expect: MANAGE_OWN_BODY_PAGE },
  { route: 'POST /desk/petugas', url: () => '/desk/petugas', form: true, body: (f) => ({ email: email(), role: 'officer', body: f.ownBody, unit: 'Dinas Sosial' }), expect: MANAGE_OWN_BODY_PAGE },
  { route: 'POST /desk/petugas/:officerId/nonaktif', url: async (f) => `/desk/petugas/${await f.victimOfficer()}/nonaktif`, form: true, body: () => ({}), expect: MANAGE_OWN_BODY_PAGE },
  { route: 'POST /desk/petugas/:officerId/atur-ulang', url: async (f) => `/desk/petugas/${await f.victimOfficer()}/atur-ulang`, form: true, body: () => ({}), expect: MANAGE_OWN_BODY_PAGE },
  { route: 'GET /desk/token', url: (f) => `/desk/token?body=${f.ownBody}`, expect: MANAGE_OWN_BODY_PAGE },
  { route: 'POST /desk/token', url: () => '/desk/token', form: true, body: (f) => ({ name: 'matriks', body: f.ownBody }), expect: MANAGE_OWN_BODY_PAGE },
  { route: 'POST /desk/token/:tokenId/cabut', url: async (f) => `/desk/token/${await f.victimToken()}/cabut`, form: true, body: () => ({}), expect: MANAGE_OWN_BODY_PAGE },
  // Statistics (docs/monitoring.md): public counts, and the console's scoped view
  { route: 'GET /api/v1/stats', url: () => '/api/v1/stats?scope=body&code=32.73', expect: PUBLIC },
  { route: 'GET /statistik', url: () => '/statistik?scope=body&code=32.73', expect: PUBLIC },
  { route: 'GET /desk/statistik', url: () => '/desk/statistik?scope=body&code=32.73', expect: OWN_BODY_STATS_PAGE },
  // Deadlines (docs/deadlines.md): the policy for every official, changed by the national admin; a body's working week by its managers.
  { route: 'GET /desk/tenggat', url: () => '/desk/tenggat', expect: ANY_OFFICIAL_PAGE },
  { route: 'POST /desk/tenggat', url: () => '/desk/tenggat', form: true, body: () => ({ 'stage-verification': '3', note: 'Pemeriksaan matriks otorisasi' }), expect: ADMIN_ONLY_PAGE },
  { route: 'GET /desk/hari-kerja', url: (f) => `/desk/hari-kerja?body=${f.ownBody}`, expect: MANAGE_OWN_BODY_PAGE },
  { route: 'POST /desk/hari-kerja', url: () => '/desk/hari-kerja', form: true, body: (f) => ({ body: f.ownBody, sixDayWeek: '0' }), expect: MANAGE_OWN_BODY_PAGE },
  { route: 'GET /desk/webhook', url: (f) => `/desk/webhook?body=${f.ownBody}`, expect: MANAGE_OWN_BODY_PAGE },
  { route: 'POST /desk/webhook', url: () => '/desk/webhook', form: true, body: (f) => ({ body: f.ownBody, url: 'https://sistem.contoh.go.id/lapor' }), expect: MANAGE_OWN_BODY_PAGE },
  { route: 'POST /desk/webhook/rotasi', url: () => '/desk/webhook/rotasi', form: true, body: (f) => ({ body: f.ownBody }), expect: MANAGE_OWN_BODY_PAGE },
];

function outcomeOf(status: number, location: string | undefined, page: boolean): Outcome | `unexpected ${number}` {
  if (status === 404) return 'notfound';
  if (status === 403) return 'forbidden';
  // A page answers 401 only as the login form's answer to a wrong password (no session: 303 to the form).
  if (status === 401) return page ? 'ok' : 'login';
  if (status === 303 && (location === '/desk/masuk' || location?.startsWith('/desk/masuk?lanjut='))) return 'login';
  if (status >= 500) return `unexpected ${status}`;
  return 'ok';
}

describe('Desk authorization matrix', () => {
  const desk = new DeskHarness();
  const credentials = new Map<PrincipalName, () => Promise<{ cookie?: string; csrf?: string; bearer?: string }>>();
  let fixtures: Fixtures;
  let otherComplaint: string;

  beforeAll(async () => {
    await desk.start({ AGENCY_WEBHOOK_SECRET: 'matrix-secret', DESK_ADDRESS_MAX_FAILURES: '100000' });
    const store = attachmentStoreFromEnv({ DATA_DIR: desk.dataDir });
    const ownPhoto = (await store.store({ bytes: await phonePhoto(), name: 'jalan.jpg' })).attachment;
    const otherPhoto = (await store.store({ bytes: await phonePhoto({ width: 80 }), name: 'bogor.jpg' })).attachment;
    const own = await desk.seed({ status: 'disposed', unit: 'Dinas Pekerjaan Umum', attachments: [ownPhoto] });
    otherComplaint = await desk.seed({ body: { kind: 'kota', code: '32.71', name: 'Kota Bogor' }, status: 'disposed', unit: 'Dinas Pekerjaan Umum', attachments: [otherPhoto] });
    const admin = await desk.official('national-admin');
    const adminSession = await desk.login(admin);
    const lane = await desk.http().post('/desk/v1/fast-lanes').set('Cookie', adminSession.cookie).set('X-CSRF-Token', adminSession.csrf).send(laneBody());
    if (lane.status !== 201) throw new Error(`declaring the matrix's fast lane answered ${lane.status}: ${lane.text}`);
    fixtures = {
      own,
      other: otherComplaint,
      ownBody: '32.73',
      ownAttachment: ownPhoto.storageKey!.slice(4),
      otherAttachment: otherPhoto.storageKey!.slice(4),
      lane: lane.body.id,
      victimOfficer: async () => (await desk.official('officer', '32.73', 'Dinas Pekerjaan Umum')).id,
      victimToken: async () => (await desk.token('32.73')).id,
    };
    const session = (o: Official) => async () => desk.login(o);
    const officials: [PrincipalName, Official][] = [
      ['national admin', admin],
      ['liaison own body', await desk.official('liaison', '32.73')],
      ['liaison other body', await desk.official('liaison', '32.71')],
      ['officer own unit', await desk.official('officer', '32.73', 'Dinas Pekerjaan Umum')],
      ['officer other unit, same body', await desk.official('officer', '32.73', 'Dinas Perhubungan')],
      ['officer other body', await desk.official('officer', '32.71', 'Dinas Pekerjaan Umum')],
    ];
    for (const [name, o] of officials) credentials.set(name, session(o));
    const ownToken = await desk.token('32.73');
    const otherToken = await desk.token('32.71');
    const revoked = await desk.token('32.73');
    await desk.db.query('UPDATE desk_api_tokens SET revoked_at = now() WHERE id = $1', [revoked.id]);
    credentials.set('token own body', async () => ({ bearer: ownToken.token }));
    credentials.set('token other body', async () => ({ bearer: otherToken.token }));
    credentials.set('revoked token', async () => ({ bearer: revoked.token }));
    credentials.set('no credentials', async () => ({}));
  }, 180_000);

  afterAll(async () => {
    await desk.stop();
  });

  it('should cover every registered desk route (a new route without a row fails here)', () => {
    const instance = desk.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
    const registered = instance.router.stack
      .filter((l) => l.route && /^\/(desk|internal\/desk|statistik|api\/v1\/stats)(\/|$)/.test(l.route.path))
      .flatMap((l) => Object.keys(l.route!.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${l.route!.path}`));
    expect([...new Set(registered)].sort()).toEqual(ROUTES.map((r) => r.route).sort());
  });

  it('should serve the own complaint\'s photo (no EXIF) to its officer, and not another complaint\'s file under it', async () => {
    const officer = await credentials.get('officer own unit')!();
    const get = (sha: string) => desk.http().get(`/desk/v1/complaints/${fixtures.own}/attachments/${sha}`).set('Cookie', officer.cookie!).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    const photo = await get(fixtures.ownAttachment);
    expect(photo.status).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.headers['x-content-type-options']).toBe('nosniff');
    expect(photo.headers['cache-control']).toBe('private, no-store');
    expect((photo.body as Buffer).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(await exifr.parse(photo.body as Buffer)).toBeUndefined();
    expect((await get(fixtures.otherAttachment)).status).toBe(404);
    expect((await get('not-a-key')).status).toBe(404);
  });

  it.each(PRINCIPALS)('should give %s exactly what its role and scope allow, on every route', async (principal) => {
    const cached = await credentials.get(principal)!();
    const results: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const r of ROUTES) {
      const creds = r.freshSession && cached.cookie ? await credentials.get(principal)!() : cached;
      const [method, pattern] = r.route.split(' ');
      const url = await r.url(fixtures);
      let req = desk.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url);
      if (creds.bearer) req = req.set('Authorization', `Bearer ${creds.bearer}`);
      if (creds.cookie) req = req.set('Cookie', creds.cookie).set('X-CSRF-Token', creds.csrf!);
      const body = r.body?.(fixtures, 0);
      if (body) req = r.form ? req.type('form').send({ ...body, ...(creds.csrf ? { _csrf: creds.csrf } : {}) }) : req.send(body);
      const res = await req;
      const page = !pattern.startsWith('/desk/v1') && !pattern.startsWith('/internal') && !pattern.startsWith('/api/');
      let outcome: string = outcomeOf(res.status, res.headers.location, page);
      if (r.listsOwnComplaint && outcome === 'ok') {
        const text = res.text;
        const seesOwn = text.includes(fixtures.own) || text.includes(fixtures.own.slice(0, 5));
        const mayOwn = COMPLAINT_SCOPE[principal] === 'ok';
        const seesOther = text.includes(otherComplaint);
        const mayOther = ['national admin', 'liaison other body', 'officer other body', 'token other body'].includes(principal);
        if (seesOwn !== mayOwn || seesOther !== mayOther) outcome = `ok but lists own=${seesOwn} other=${seesOther}`;
      }
      results[r.route] = outcome;
      expected[r.route] = r.expect[principal];
    }
    expect(results).toEqual(expected);
  }, 120_000);
});
