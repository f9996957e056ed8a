import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { agencyWebhookKey } from '@lapor/contracts';
import { APP_CONFIG, AppConfig } from '@lapor/runtime';
import { DeskHarness, Official, Session } from '../../../test/support/desk';
import { waitFor } from '../../../test/support/wait-for';
import { RouterClient } from './clients/router.client';
import { ReadModelService } from './read-model/read-model.service';
import { ObjectionWindowTimer } from './timers/objection-window.timer';

const exec = promisify(execFile);
const SECRET = 'test-agency-webhook-secret';
const REPORTER = { name: 'Siti Rahmawati', email: 'siti.rahmawati@example.com', phone: '+6281234567890' };

/** The desk as its own service on PostgreSQL, against the router stand-in. */
describe('Desk service', () => {
  const desk = new DeskHarness();
  let liaison: Official;
  let officer: Official;
  let bogorLiaison: Official;
  let admin: Official;
  let liaisonSession: Session;

  beforeAll(async () => {
    await desk.start({ AGENCY_WEBHOOK_SECRET: SECRET, DESK_LOCKOUT_THRESHOLD: '3', DESK_ADDRESS_MAX_FAILURES: '1000', OBJECTION_WINDOW_DAYS: '10', DESK_PUBLIC_URL: 'https://meja.lapor.example' });
    liaison = await desk.official('liaison', '32.73');
    officer = await desk.official('officer', '32.73', 'Dinas Pekerjaan Umum');
    bogorLiaison = await desk.official('liaison', '32.71');
    admin = await desk.official('national-admin');
    liaisonSession = await desk.login(liaison);
  }, 120_000);

  afterAll(async () => {
    await desk.stop();
  });

  const api = (s: Session) => ({
    get: (path: string) => desk.http().get(path).set('Cookie', s.cookie),
    post: (path: string, body: object) => desk.http().post(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body),
  });

  describe('read model', () => {
    it('should project registered and status-changed in either order, keep the highest sequence and never store the reporter', async () => {
      // Events as the router publishes them, in an order Kafka may deliver across the two topics.
      const { trackingId, events } = desk.fake.seed({ reporter: REPORTER });
      const [received, assigned] = events.statusChanges;
      await desk.publish({ changes: [received, assigned] });
      await desk.publish({ registered: events.registered });
      await desk.publish({ changes: [received] }); // a redelivered older change changes nothing
      const [row] = await desk.db.query('SELECT * FROM desk_complaints WHERE tracking_id = $1', [trackingId]);
      expect(row).toMatchObject({ status: 'assigned', last_sequence: 2, body_code: '32.73', registered_seen: true, excerpt: expect.stringContaining('Jalan berlubang') });
      const stored = JSON.stringify(row);
      for (const value of [REPORTER.phone, REPORTER.email, REPORTER.name, events.registered.senderId]) expect(stored).not.toContain(value);
    });
  });

  describe('direct delivery', () => {
    it("should tell the body's liaisons of an assignment with the excerpt, the evidence in words and the unit suggestion, and never the reporter", async () => {
      const trackingId = await desk.seed({ reporter: REPORTER });
      const notice = await waitFor(() => desk.notices.find((n) => n.trackingId === trackingId && n.kind === 'assigned'), { what: 'the assigned notice' });
      expect(notice.recipients.map((r) => r.email)).toEqual([liaison.email]);
      expect(notice.body).toEqual({ kind: 'kota', code: '32.73', name: 'Kota Bandung' });
      expect(notice.complaint).toMatchObject({ excerpt: expect.stringContaining('Jalan berlubang'), unitSuggestion: { unit: 'Dinas Pekerjaan Umum', confidence: expect.any(Number) } });
      expect(notice.complaint.evidence.join(' ')).toContain('32.73');
      expect(notice.consoleUrl).toBe(`https://meja.lapor.example/desk/laporan/${trackingId}`);
      for (const value of Object.values(REPORTER)) expect(JSON.stringify(notice)).not.toContain(value);
    });

    it("should tell the unit's officers of a disposition, and whoever works it of the reporter's answer and objection", async () => {
      const trackingId = await desk.seed();
      const l = api(liaisonSession);
      expect((await l.post(`/desk/v1/complaints/${trackingId}/actions`, { action: 'accept' })).status).toBe(200);
      expect((await l.post(`/desk/v1/complaints/${trackingId}/actions`, { action: 'dispose', unit: 'Dinas Pekerjaan Umum' })).status).toBe(200);
      const disposed = await waitFor(() => desk.notices.find((n) => n.trackingId === trackingId && n.kind === 'disposed'), { what: 'the disposed notice' });
      expect(disposed.recipients.map((r) => r.email)).toEqual([officer.email]);
      expect(disposed.unit).toBe('Dinas Pekerjaan Umum');

      const o = api(await desk.login(officer));
      expect((await o.post(`/desk/v1/complaints/${trackingId}/actions`, { action: 'request-info', question: 'Di nomor berapa tepatnya?' })).status).toBe(200);
      await desk.router.reporterAction(trackingId, { action: 'provide-info', text: 'Di depan nomor 12' });
      const provided = await waitFor(() => desk.notices.find((n) => n.trackingId === trackingId && n.kind === 'info_provided'), { what: 'the info_provided notice' });
      expect(provided.recipients.map((r) => r.email)).toEqual([officer.email]);

      expect((await o.post(`/desk/v1/complaints/${trackingId}/actions`, { action: 'respond', response: 'Sudah diperbaiki' })).status).toBe(200);
      await desk.router.reporterAction(trackingId, { action: 'object', reason: 'Belum diperbaiki' });
      const reopened = await waitFor(() => desk.notices.find((n) => n.trackingId === trackingId && n.kind === 'reopened'), { what: 'the reopened notice' });
      expect(reopened.recipients.map((r) => r.email)).toEqual([officer.email]);
    });

    it("should include the body's webhook, whose key the liaison saw once and which rotation replaces", async () => {
      const l = api(liaisonSession);
      const put = await desk.http().put('/desk/v1/bodies/32.73/webhook').set('Cookie', liaisonSession.cookie).set('X-CSRF-Token', liaisonSession.csrf).send({ url: 'https://sistem.bandung.go.id/lapor' });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ settings: { url: 'https://sistem.bandung.go.id/lapor', keyVersion: 1, enabled: true }, key: agencyWebhookKey(SECRET, '32.73', 1) });
      expect(JSON.stringify((await l.get('/desk/v1/bodies/32.73/webhook')).body)).not.toContain(put.body.key);
      const rotated = await l.post('/desk/v1/bodies/32.73/webhook/rotate', {});
      expect(rotated.body).toMatchObject({ settings: { keyVersion: 2 }, key: agencyWebhookKey(SECRET, '32.73', 2) });
      const trackingId = await desk.seed();
      const notice = await waitFor(() => desk.notices.find((n) => n.trackingId === trackingId && n.kind === 'assigned'), { what: 'the assigned notice' });
      expect(notice.webhook).toEqual({ url: 'https://sistem.bandung.go.id/lapor', keyVersion: 2 });
      expect((await api(await desk.login(bogorLiaison)).get('/desk/v1/bodies/32.73/webhook')).status).toBe(404);
    });
  });

  describe('officer API actions', () => {
    it('should answer 200 with the new state, 409 with the reason for an illegal transition, 400 for a bad body and 404 outside scope', async () => {
      const trackingId = await desk.seed();
      const { token } = await desk.token('32.73');
      const bearer = (path: string, body: object) => desk.http().post(path).set('Authorization', `Bearer ${token}`).send(body);
      const accepted = await bearer(`/desk/v1/complaints/${trackingId}/actions`, { action: 'accept' });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ trackingId, status: 'accepted', availableActions: expect.arrayContaining(['dispose', 'return']) });
      const again = await bearer(`/desk/v1/complaints/${trackingId}/actions`, { action: 'accept' });
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('tidak dapat dilakukan pada laporan berstatus');
      const bad = await bearer(`/desk/v1/complaints/${trackingId}/actions`, { action: 'dispose' });
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toHaveProperty('unit');
      const { token: bogor } = await desk.token('32.71');
      const outside = await desk.http().post(`/desk/v1/complaints/${trackingId}/actions`).set('Authorization', `Bearer ${bogor}`).send({ action: 'accept' });
      expect(outside.status).toBe(404);
      const [row] = await desk.db.query('SELECT status, version FROM desk_complaints WHERE tracking_id = $1', [trackingId]);
      expect(row).toEqual({ status: 'accepted', version: (await desk.router.view(trackingId))!.version });
    });

    it('should apply a retried action with the same Idempotency-Key once', async () => {
      const trackingId = await desk.seed();
      const { token } = await desk.token('32.73');
      const accept = () => desk.http().post(`/desk/v1/complaints/${trackingId}/actions`).set('Authorization', `Bearer ${token}`).set('Idempotency-Key', `retry-${trackingId}`).send({ action: 'accept' });
      expect((await accept()).body.status).toBe('accepted');
      const retried = await accept();
      expect({ status: retried.status, state: retried.body.status }).toEqual({ status: 200, state: 'accepted' });
      expect((await desk.router.view(trackingId))!.timeline.filter((t) => t.status === 'accepted')).toHaveLength(1);
    });

    it('should store a return, forward or dispose as a labeled example for the learning loop', async () => {
      const trackingId = await desk.seed();
      const l = api(liaisonSession);
      await l.post(`/desk/v1/complaints/${trackingId}/actions`, { action: 'accept' }).expect(200);
      // Routing suggested Dinas Pekerjaan Umum; the liaison knows better.
      await l.post(`/desk/v1/complaints/${trackingId}/actions`, { action: 'dispose', unit: 'Dinas Perhubungan' }).expect(200);
      const rows = await desk.db.query('SELECT action, text, routed_body_code, routed_unit, routed_rules, chosen_unit, body_code FROM desk_routing_examples WHERE tracking_id = $1', [trackingId]);
      expect(rows).toEqual([{ action: 'dispose', text: expect.stringContaining('Jalan berlubang'), routed_body_code: '32.73', routed_unit: 'Dinas Pekerjaan Umum', routed_rules: ['jalan-lokal'], chosen_unit: 'Dinas Perhubungan', body_code: '32.73' }]);
      await l.post(`/desk/v1/complaints/${trackingId}/actions`, { action: 'forward', body: '32.71', reason: 'Lokasinya di Kota Bogor' }).expect(200);
      const forwarded = await desk.db.query(`SELECT routed_rules, chosen_body_code FROM desk_routing_examples WHERE tracking_id = $1 AND action = 'forward'`, [trackingId]);
      expect(forwarded).toEqual([{ routed_rules: ['jalan-lokal'], chosen_body_code: '32.71' }]);
    });

    it("should reveal an Anonim reporter only to the national admin, with a reason, in the audit log", async () => {
      const trackingId = await desk.seed({ anonymous: true, reporter: REPORTER });
      const l = api(liaisonSession);
      const detail = await l.get(`/desk/v1/complaints/${trackingId}`);
      expect(detail.status).toBe(200);
      expect(detail.body.reporter).toBeNull();
      expect((await l.post(`/desk/v1/complaints/${trackingId}/reporter`, { reason: 'Perlu menghubungi pelapor untuk verifikasi' })).status).toBe(403);
      const a = api(await desk.login(admin));
      expect((await a.post(`/desk/v1/complaints/${trackingId}/reporter`, {})).status).toBe(400);
      const revealed = await a.post(`/desk/v1/complaints/${trackingId}/reporter`, { reason: 'Permintaan Ombudsman atas dugaan maladministrasi' });
      expect(revealed.status).toBe(200);
      expect(revealed.body.reporter).toMatchObject({ name: REPORTER.name, phone: REPORTER.phone });
      const [audit] = await desk.db.query(`SELECT actor_label, detail FROM desk_audit_log WHERE action = 'reporter.reveal' AND tracking_id = $1`, [trackingId]);
      expect(audit).toEqual({ actor_label: admin.email, detail: { reason: 'Permintaan Ombudsman atas dugaan maladministrasi', anonymous: true } });
      expect(JSON.stringify(await desk.db.query('SELECT * FROM desk_audit_log'))).not.toContain(REPORTER.phone);
    });
  });

  describe('access', () => {
    it('should refuse a cookie-authenticated write without the CSRF token, on the API and on console forms', async () => {
      const trackingId = await desk.seed();
      const noToken = await desk.http().post(`/desk/v1/complaints/${trackingId}/actions`).set('Cookie', liaisonSession.cookie).send({ action: 'accept' });
      expect(noToken.status).toBe(403);
      const wrong = await desk.http().post(`/desk/laporan/${trackingId}/tindakan`).set('Cookie', liaisonSession.cookie).type('form').send({ action: 'accept', _csrf: 'x'.repeat(32) });
      expect(wrong.status).toBe(403);
      expect(wrong.text).toContain('CSRF');
      const form = await desk.http().post(`/desk/laporan/${trackingId}/tindakan`).set('Cookie', liaisonSession.cookie).type('form').send({ action: 'accept', _csrf: liaisonSession.csrf });
      expect(form.status).toBe(303);
      expect((await api(liaisonSession).get(`/desk/v1/complaints/${trackingId}`)).body.status).toBe('accepted');
    });

    it('should lock an account after repeated failures, even for the right password, and log every attempt', async () => {
      const victim = await desk.official('liaison', '32.73');
      for (let i = 0; i < 3; i++) expect((await desk.http().post('/desk/masuk').type('form').send({ email: victim.email, password: 'salah-salah-salah' })).status).toBe(401);
      const locked = await desk.http().post('/desk/masuk').type('form').send({ email: victim.email, password: victim.password });
      expect(locked.status).toBe(401);
      expect(locked.text).toContain('dikunci');
      desk.clock.advance(16 * 60_000);
      expect((await desk.http().post('/desk/masuk').type('form').send({ email: victim.email, password: victim.password })).status).toBe(303);
      const actions = (await desk.db.query(`SELECT action FROM desk_audit_log WHERE actor_label = $1 ORDER BY id`, [victim.email])).map((r: { action: string }) => r.action);
      expect(actions).toEqual(['login.failed', 'login.failed', 'login.failed', 'login.locked', 'login']);
    });

    it('should refuse a client address after too many failed logins, whatever the accounts', async () => {
      const throttled = await new DeskHarness().start({ DESK_ADDRESS_MAX_FAILURES: '3', DESK_LOCKOUT_THRESHOLD: '100' }, { fakeRouter: true });
      try {
        const valid = await throttled.official('liaison', '32.73');
        for (const email of ['a@contoh.go.id', 'b@contoh.go.id', valid.email]) {
          expect((await throttled.http().post('/desk/masuk').type('form').send({ email, password: 'salah-salah-salah' })).status).toBe(401);
        }
        const refused = await throttled.http().post('/desk/masuk').type('form').send({ email: valid.email, password: valid.password });
        expect(refused.status).toBe(429);
        expect(refused.text).toContain('Terlalu banyak percobaan masuk dari alamat ini');
        throttled.clock.advance(16 * 60_000);
        expect((await throttled.http().post('/desk/masuk').type('form').send({ email: valid.email, password: valid.password })).status).toBe(303);
      } finally {
        await throttled.stop();
      }
    });

    it('should stop a revoked token at once and keep a read-only token from acting', async () => {
      const trackingId = await desk.seed();
      const { id, token } = await desk.token('32.73');
      expect((await desk.http().get(`/desk/v1/complaints/${trackingId}`).set('Authorization', `Bearer ${token}`)).status).toBe(200);
      expect((await desk.http().delete(`/desk/v1/tokens/${id}`).set('Cookie', liaisonSession.cookie).set('X-CSRF-Token', liaisonSession.csrf)).status).toBe(200);
      expect((await desk.http().get(`/desk/v1/complaints/${trackingId}`).set('Authorization', `Bearer ${token}`)).status).toBe(401);
      const readOnly = await desk.token('32.73', true);
      expect((await desk.http().get(`/desk/v1/complaints/${trackingId}`).set('Authorization', `Bearer ${readOnly.token}`)).body.availableActions).toEqual([]);
      expect((await desk.http().post(`/desk/v1/complaints/${trackingId}/actions`).set('Authorization', `Bearer ${readOnly.token}`).send({ action: 'accept' })).status).toBe(403);
    });

    it('should keep the audit log append-only: the database refuses UPDATE and DELETE', async () => {
      await expect(desk.db.query(`UPDATE desk_audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(desk.db.query(`DELETE FROM desk_audit_log`)).rejects.toThrow(/append-only/);
      await expect(desk.db.query(`TRUNCATE desk_audit_log`)).rejects.toThrow(/append-only/);
    });
  });

  describe(ObjectionWindowTimer.name, () => {
    it('should close a responded complaint once after the objection window, however many replicas tick', async () => {
      const trackingId = await desk.seed({ status: 'accepted' });
      await api(liaisonSession).post(`/desk/v1/complaints/${trackingId}/actions`, { action: 'respond', response: 'Jalan sudah ditambal.' }).expect(200);
      const timer = desk.app.get(ObjectionWindowTimer);
      const config = desk.app.get<AppConfig>(APP_CONFIG);
      const replica = new ObjectionWindowTimer(desk.db, desk.app.get(RouterClient), desk.app.get(ReadModelService), config, desk.clock);
      expect(await timer.tick()).toBe(0); // not due yet
      desk.clock.advance(10 * 86_400_000 + 60_000);
      const closed = (await Promise.all([timer.tick(), replica.tick()])).reduce((a, b) => a + b, 0);
      expect(closed).toBeGreaterThanOrEqual(1);
      const view = (await desk.router.view(trackingId))!;
      const closes = view.timeline.filter((t) => t.status === 'closed');
      expect(closes).toHaveLength(1);
      expect(closes[0]).toMatchObject({ actor: { kind: 'system' }, closedBy: 'system' });
      const [row] = await desk.db.query('SELECT status FROM desk_complaints WHERE tracking_id = $1', [trackingId]);
      expect(row.status).toBe('closed');
      expect(await timer.tick()).toBe(0);
    });
  });

  describe('OpenAPI document', () => {
    it('should validate with redocly lint, with no errors', async () => {
      const res = await desk.http().get('/desk/v1/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.servers).toEqual([{ url: 'https://meja.lapor.example', description: 'this desk' }]);
      expect(Object.keys(res.body.components.securitySchemes)).toEqual(['bearerToken', 'sessionCookie']);
      const file = join(mkdtempSync(join(tmpdir(), 'desk-openapi-')), 'openapi.json');
      writeFileSync(file, JSON.stringify(res.body));
      const { stdout, stderr } = await exec('npx', ['redocly', 'lint', file, '--format', 'json'], { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 10_000_000 }).catch((e) => e as { stdout: string; stderr: string });
      const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { severity: string; message: string }[] };
      expect({ errors: report.problems.filter((p) => p.severity === 'error'), stderr: report.totals.errors ? stderr : '' }).toEqual({ errors: [], stderr: '' });
    }, 120_000);
  });
});
