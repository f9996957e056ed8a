import { DeskHarness, Official, Session } from '../../../../test/support/desk';
import { waitFor } from '../../../../test/support/wait-for';
import { FastLanesService } from './fast-lanes.service';

const REPORTER = { name: 'Sri Wahyuni', email: 'sri.wahyuni@example.com', phone: '+6281298765432' };
const SEMARANG = { kind: 'kota', code: '33.74', name: 'Kota Semarang' } as const;
const BANJIR = 'Banjir setinggi lutut di Kelurahan Tambaklorok Kota Semarang sejak subuh, warga lansia butuh evakuasi';
const DAY = 24 * 3600 * 1000;

/**
 * Issue 10, "Done when": a fast lane declared at runtime catches a matching complaint,
 * shortens its deadline and copies it to the coordinating bodies. The desk on PostgreSQL
 * with the real router (complaints filed as inbound events and routed), the national admin
 * working through the officer API.
 */
describe('Fast lanes', () => {
  const desk = new DeskHarness();
  let admin: Session;
  let bnpbLiaison: Official;
  let bnpbSession: Session;
  let semarangLiaison: Official;
  let laneId: string;
  let caught: string;
  let caughtAnonymous: string;
  let olderUncaught: string;

  const as = (s: Session) => ({
    get: (path: string) => desk.http().get(path).set('Cookie', s.cookie),
    post: (path: string, body: object) => desk.http().post(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body),
    put: (path: string, body: object) => desk.http().put(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body),
    form: (path: string, body: Record<string, string>) => desk.http().post(path).set('Cookie', s.cookie).type('form').send({ ...body, _csrf: s.csrf }),
  });

  const lane = (over: Record<string, unknown> = {}) => ({
    slug: 'banjir-jateng',
    name: 'Banjir Jawa Tengah',
    description: 'Status tanggap darurat banjir (uji)',
    rules: { keywords: ['banjir', 'tanggul jebol'], regions: ['33'], from: new Date(Date.now() - DAY).toISOString(), until: new Date(Date.now() + 7 * DAY).toISOString() },
    deadlines: { acceptance: { hours: 4 }, 'first-response': { workingDays: 1 } },
    coordinatingBodies: ['bnpb', 'kemenkes'],
    ...over,
  });

  const row = async (trackingId: string) => ((await desk.db.query('SELECT priority, fast_lane_id, fast_lane_at FROM desk_complaints WHERE tracking_id = $1', [trackingId])) as { priority: boolean; fast_lane_id: string | null; fast_lane_at: Date | null }[])[0];

  beforeAll(async () => {
    await desk.start({ AGENCY_WEBHOOK_SECRET: 'lanes-secret', DESK_ADDRESS_MAX_FAILURES: '10000' });
    admin = await desk.login(await desk.official('national-admin'));
    bnpbLiaison = await desk.official('liaison', 'bnpb');
    bnpbSession = await desk.login(bnpbLiaison);
    semarangLiaison = await desk.official('liaison', '33.74');
    await desk.official('liaison', 'kemenkes');
    // Filed before the lane exists, and older than everything the lane catches.
    olderUncaught = await desk.seed({ body: SEMARANG, text: 'Lampu jalan mati di Jl. Pemuda Kota Semarang sudah seminggu' });

    const declared = await as(admin).post('/desk/v1/fast-lanes', lane());
    expect(declared.status).toBe(201);
    laneId = declared.body.id;
    caught = await desk.seed({ body: SEMARANG, text: BANJIR, reporter: REPORTER });
    caughtAnonymous = await desk.seed({ body: SEMARANG, text: 'Tanggul jebol di Kaligawe Kota Semarang, air masuk rumah', anonymous: true, reporter: REPORTER });
  }, 240_000);

  afterAll(async () => {
    await desk.stop();
  });

  it('should let only the national admin declare a lane, with the coordinating bodies by name, and audit it', async () => {
    expect(laneId).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await as(admin).get('/desk/v1/fast-lanes');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: laneId, slug: 'banjir-jateng', active: true, version: 1, coordinatingBodies: [{ code: 'bnpb', name: 'Badan Nasional Penanggulangan Bencana' }, { code: 'kemenkes', name: 'Kementerian Kesehatan' }] })]);

    const liaison = await desk.login(semarangLiaison);
    expect((await as(liaison).post('/desk/v1/fast-lanes', lane({ slug: 'oleh-penghubung' }))).status).toBe(403);
    expect((await as(liaison).put(`/desk/v1/fast-lanes/${laneId}`, lane({ active: false }))).status).toBe(403);
    expect((await as(liaison).get('/desk/v1/fast-lanes')).status).toBe(403);
    const { token } = await desk.token('33.74');
    expect((await desk.http().post('/desk/v1/fast-lanes').set('Authorization', `Bearer ${token}`).send(lane({ slug: 'oleh-token' }))).status).toBe(403);

    expect((await as(admin).post('/desk/v1/fast-lanes', lane({ slug: 'salah-instansi', coordinatingBodies: ['bnbp'] }))).status).toBe(400);
    expect((await as(admin).post('/desk/v1/fast-lanes', lane())).status).toBe(409);
    expect((await as(admin).post('/desk/v1/fast-lanes', lane({ slug: 'tanpa-aturan', rules: { regions: ['33'] } }))).status).toBe(400);

    const audit = (await desk.db.query(`SELECT action, actor_label, detail FROM desk_audit_log WHERE action LIKE 'fast-lane.%' ORDER BY id`)) as { action: string; actor_label: string; detail: { slug: string } }[];
    expect(audit[0]).toMatchObject({ action: 'fast-lane.create', detail: { slug: 'banjir-jateng' } });
    expect(audit.filter((a) => a.action === 'fast-lane.create')).toHaveLength(1);
  });

  it('should catch a matching complaint: priority, lane recorded, first in the queue, shorter deadlines, audited', async () => {
    for (const id of [caught, caughtAnonymous]) {
      await waitFor(async () => (await row(id))?.fast_lane_id === laneId, { what: `${id} in the fast lane`, timeoutMs: 60_000 });
      expect(await row(id)).toMatchObject({ priority: true, fast_lane_id: laneId, fast_lane_at: expect.any(Date) });
    }
    expect(await row(olderUncaught)).toMatchObject({ priority: false, fast_lane_id: null });

    const queue = await as(admin).get('/desk/v1/complaints?body=33.74&pageSize=200');
    expect(queue.status).toBe(200);
    const ids = queue.body.items.map((i: { trackingId: string }) => i.trackingId);
    expect(ids.indexOf(caught)).toBeLessThan(ids.indexOf(olderUncaught));
    expect(ids.indexOf(caughtAnonymous)).toBeLessThan(ids.indexOf(olderUncaught));
    const firstNonPriority = queue.body.items.findIndex((i: { priority: boolean }) => !i.priority);
    expect(queue.body.items.slice(firstNonPriority).some((i: { priority: boolean }) => i.priority)).toBe(false);
    expect(queue.body.items.find((i: { trackingId: string }) => i.trackingId === caught)).toMatchObject({ priority: true, fastLane: { id: laneId, slug: 'banjir-jateng', name: 'Banjir Jawa Tengah' }, copy: false });

    const page = await as(admin).get('/desk/laporan?body=33.74');
    expect(page.text.indexOf(caught)).toBeLessThan(page.text.indexOf(olderUncaught));
    expect(page.text).toContain('Prioritas · Banjir Jawa Tengah');

    // The deadline scheduler's seam: the lane's deadlines replace the policy's for this complaint.
    const lanes = desk.app.get(FastLanesService);
    expect(await lanes.laneDeadlineOverrides((await row(caught)).fast_lane_id!)).toEqual({ acceptance: { hours: 4 }, 'first-response': { workingDays: 1 } });
    expect(await lanes.laneDeadlineOverride(laneId, 'acceptance')).toEqual({ hours: 4 });
    expect(await lanes.laneDeadlineOverride(laneId, 'follow-up')).toBeNull();

    const matched = (await desk.db.query(`SELECT tracking_id, body_code, detail FROM desk_audit_log WHERE action = 'fast-lane.match' AND tracking_id = $1`, [caught])) as { body_code: string; detail: { slug: string; copies: string[] } }[];
    expect(matched).toEqual([expect.objectContaining({ body_code: '33.74', detail: expect.objectContaining({ slug: 'banjir-jateng', copies: ['bnpb', 'kemenkes'] }) })]);
  });

  it("should tell the responsible body it is priority, and send each coordinating body's liaisons a copy notice, once", async () => {
    const copies = await waitFor(() => {
      const found = desk.notices.filter((n) => n.trackingId === caught && n.kind === 'copy');
      return found.length >= 2 ? found : undefined;
    }, { what: 'the copy notices', timeoutMs: 60_000 });
    expect(copies.map((c) => c.body.code).sort()).toEqual(['bnpb', 'kemenkes']);
    const bnpb = copies.find((c) => c.body.code === 'bnpb')!;
    expect(bnpb).toMatchObject({ noticeId: `${caught}:copy:bnpb`, recipients: [{ email: bnpbLiaison.email }], complaint: { priority: true, excerpt: expect.stringContaining('Banjir') }, message: expect.stringContaining('Banjir Jawa Tengah') });
    for (const value of Object.values(REPORTER)) expect(JSON.stringify(copies)).not.toContain(value);
    const assigned = await waitFor(() => desk.notices.find((n) => n.trackingId === caught && n.kind === 'assigned'), { what: 'the assigned notice' });
    expect(assigned.recipients.map((r) => r.email)).toEqual([semarangLiaison.email]);
    expect(assigned.complaint.priority).toBe(true);
    const [{ n }] = (await desk.db.query('SELECT count(*)::int AS n FROM desk_complaint_copies WHERE tracking_id = $1 AND notified_at IS NOT NULL', [caught])) as { n: number }[];
    expect(n).toBe(2);
  });

  it("should show the copy to the coordinating body's officials read-only: listed, readable, every action refused, no identity", async () => {
    const bnpbOfficer = await desk.login(await desk.official('officer', 'bnpb', 'Direktorat Tanggap Darurat'));
    const { token } = await desk.token('bnpb');
    const principals: [string, ReturnType<typeof as> | { get: (p: string) => ReturnType<ReturnType<typeof desk.http>['get']>; post: (p: string, b: object) => ReturnType<ReturnType<typeof desk.http>['post']> }][] = [
      ['liaison', as(bnpbSession)],
      ['unit officer', as(bnpbOfficer)],
      ['token', { get: (p: string) => desk.http().get(p).set('Authorization', `Bearer ${token}`), post: (p: string, b: object) => desk.http().post(p).set('Authorization', `Bearer ${token}`).send(b) }],
    ];
    for (const [who, client] of principals) {
      const list = await client.get('/desk/v1/complaints?pageSize=200');
      expect({ who, status: list.status }).toEqual({ who, status: 200 });
      const mine = list.body.items.filter((i: { trackingId: string }) => [caught, caughtAnonymous].includes(i.trackingId));
      expect({ who, copies: mine.map((i: { copy: boolean; priority: boolean }) => [i.copy, i.priority]) }).toEqual({ who, copies: [[true, true], [true, true]] });
      expect(list.body.items.some((i: { trackingId: string }) => i.trackingId === olderUncaught)).toBe(false);

      for (const id of [caught, caughtAnonymous]) {
        const detail = await client.get(`/desk/v1/complaints/${id}`);
        expect({ who, id, status: detail.status }).toEqual({ who, id, status: 200 });
        expect(detail.body).toMatchObject({ trackingId: id, copy: true, availableActions: [], reporter: null, fastLane: { slug: 'banjir-jateng' } });
        for (const value of Object.values(REPORTER)) expect(JSON.stringify(detail.body)).not.toContain(value);
        for (const action of [{ action: 'accept' }, { action: 'classify', submissionType: 'complaint' }, { action: 'respond', response: 'Tim BNPB sudah di lokasi' }, { action: 'close' }]) {
          const refused = await client.post(`/desk/v1/complaints/${id}/actions`, action);
          expect({ who, action: action.action, status: refused.status }).toEqual({ who, action: action.action, status: 403 });
        }
        expect((await client.post(`/desk/v1/complaints/${id}/reporter`, { reason: 'Ingin menghubungi pelapor langsung' })).status).toBe(403);
      }
      expect((await client.get(`/desk/v1/complaints/${olderUncaught}`)).status).toBe(404);
    }

    // The console: the same copy, with its notice, without forms or the reporter.
    const page = await as(bnpbSession).get(`/desk/laporan/${caughtAnonymous}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="copy-notice"');
    expect(page.text).not.toContain('data-action=');
    for (const value of Object.values(REPORTER)) expect(page.text).not.toContain(value);
    const form = await as(bnpbSession).form(`/desk/laporan/${caught}/tindakan`, { action: 'accept' });
    expect(form.status).toBe(403);
    const queue = await as(bnpbSession).get('/desk/laporan');
    expect(queue.text).toContain('Tembusan (hanya baca)');

    // The responsible body still works it; the router's record is untouched by the refusals.
    expect((await as(await desk.login(semarangLiaison)).post(`/desk/v1/complaints/${caught}/actions`, { action: 'accept' })).status).toBe(200);
  });

  it("should catch a triage complaint when the national admin assigns it into the lane's region", async () => {
    const triage = await desk.seed({ body: 'triage', text: 'Banjir merendam rumah warga di Bandung, mohon bantuan' });
    const before = await row(triage);
    expect(before).toMatchObject({ priority: false, fast_lane_id: null });
    const assigned = await as(admin).post(`/desk/v1/complaints/${triage}/actions`, { action: 'assign', body: '33.74', note: 'Lokasi sebenarnya Kota Semarang' });
    expect(assigned.status).toBe(200);
    expect(await row(triage)).toMatchObject({ priority: true, fast_lane_id: laneId });
    const copies = await waitFor(() => {
      const found = desk.notices.filter((n) => n.trackingId === triage && n.kind === 'copy');
      return found.length >= 2 ? found : undefined;
    }, { what: 'the copy notices after the assignment' });
    expect(copies.map((c) => c.body.code).sort()).toEqual(['bnpb', 'kemenkes']);
  });

  it("should read the whole text from the router when the keyword lies beyond the excerpt", async () => {
    const long = `${'Warga RT 03 RW 05 Kelurahan Tambaklorok Kota Semarang sudah dua hari tidak bisa keluar rumah dan anak-anak tidak bisa sekolah. '.repeat(4)}Penyebabnya air setinggi pinggang karena tanggul jebol.`;
    const id = await desk.seed({ body: SEMARANG, text: long });
    const [{ excerpt }] = (await desk.db.query('SELECT excerpt FROM desk_complaints WHERE tracking_id = $1', [id])) as { excerpt: string }[];
    expect(excerpt).not.toContain('tanggul');
    expect(await row(id)).toMatchObject({ priority: true, fast_lane_id: laneId });
  });

  it('should not catch a complaint of another region, outside the window, or after the lane is switched off', async () => {
    const otherRegion = await desk.seed({ body: { kind: 'kota', code: '32.73', name: 'Kota Bandung' }, text: 'Banjir di Jl. Braga Kota Bandung setelah hujan deras' });
    const declaredPast = await as(admin).post('/desk/v1/fast-lanes', lane({ slug: 'longsor-lalu', name: 'Longsor (lalu)', rules: { keywords: ['longsor'], regions: ['33'], from: new Date(Date.now() - 30 * DAY).toISOString(), until: new Date(Date.now() - DAY).toISOString() } }));
    expect(declaredPast.status).toBe(201);
    const outsideWindow = await desk.seed({ body: SEMARANG, text: 'Longsor menutup jalan di Gunungpati Kota Semarang' });

    const off = await as(admin).put(`/desk/v1/fast-lanes/${laneId}`, lane({ active: false }));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false, version: 2 });
    const afterOff = await desk.seed({ body: SEMARANG, text: 'Banjir lagi di Kelurahan Tambaklorok Kota Semarang' });

    // The lane is recorded in the same transaction as the registration: once registered, the decision is final.
    for (const id of [otherRegion, outsideWindow, afterOff]) {
      await waitFor(async () => (await desk.db.query('SELECT 1 FROM desk_complaints WHERE tracking_id = $1 AND registered_seen', [id])).length === 1, { what: `${id} in the read model` });
      expect({ id, ...(await row(id)) }).toEqual({ id, priority: false, fast_lane_id: null, fast_lane_at: null });
      expect(desk.notices.some((n) => n.trackingId === id && n.kind === 'copy')).toBe(false);
    }
    const [{ n }] = (await desk.db.query('SELECT count(*)::int AS n FROM desk_complaint_copies WHERE tracking_id = ANY($1)', [[otherRegion, outsideWindow, afterOff]])) as { n: number }[];
    expect(n).toBe(0);
    // Switching off keeps what the lane already caught.
    expect(await row(caught)).toMatchObject({ priority: true, fast_lane_id: laneId });

    const audit = (await desk.db.query(`SELECT action, detail FROM desk_audit_log WHERE action = 'fast-lane.deactivate'`)) as { detail: { slug: string; before: { active: boolean }; after: { active: boolean } } }[];
    expect(audit).toEqual([expect.objectContaining({ detail: expect.objectContaining({ slug: 'banjir-jateng', before: expect.objectContaining({ active: true }), after: expect.objectContaining({ active: false }) }) })]);
  });

  it('should let the national admin declare and switch a lane in the console', async () => {
    const created = await as(admin).form('/desk/jalur-cepat', { name: 'DBD Jawa Tengah', slug: 'dbd-jateng', keywords: 'dbd, demam berdarah', regions: '33', 'deadline-acceptance': '8', 'deadline-acceptance-unit': 'hours', coordinatingBodies: 'kemenkes, ksp' });
    expect(created.status).toBe(201);
    expect(created.text).toContain('Jalur cepat &quot;DBD Jawa Tengah&quot; aktif');
    const [stored] = (await desk.db.query(`SELECT id, rules, deadlines, coordinating_bodies FROM desk_fast_lanes WHERE slug = 'dbd-jateng'`)) as { id: string; rules: { keywords: string[] }; deadlines: unknown; coordinating_bodies: string[] }[];
    expect(stored).toMatchObject({ rules: { keywords: ['dbd', 'demam berdarah'], regions: ['33'] }, deadlines: { acceptance: { hours: 8 } }, coordinating_bodies: ['kemenkes', 'ksp'] });
    const switched = await as(admin).form(`/desk/jalur-cepat/${stored.id}/status`, { active: '0' });
    expect(switched.status).toBe(200);
    expect(switched.text).toContain('dinonaktifkan');
    const bad = await as(admin).form('/desk/jalur-cepat', { name: 'Tanpa aturan', slug: 'tanpa-aturan', regions: '33' });
    expect(bad.status).toBe(400);
  });
});
