import { DeskHarness, Session } from '../../../test/support/desk';
import { waitFor } from '../../../test/support/wait-for';

const REPORTER = { name: 'Bambang Sutrisno', email: 'bambang.sutrisno@example.net', phone: '+6281398765432', channelAddress: '+6281398765432' };
const NEEDLES = [REPORTER.name, REPORTER.email, REPORTER.phone, REPORTER.phone.replace('+62', '0'), REPORTER.phone.replace('+', '')];

/**
 * An Anonim reporter's name, e-mail and phone appear on no agency-facing surface of the
 * desk: every GET route it registers (enumerated, so a new page is searched too), the
 * action answers, the CSV export, the notices it publishes and its own log lines. The
 * router stand-in here is faulty on purpose (it hands out the identity, which the real
 * router never does), so the test proves the desk's own guard; test/e2e/agency-desk.e2e.spec.ts
 * proves the same with the real router, notifier, SMTP server and webhook receiver.
 */
describe('Desk anonymity', () => {
  const desk = new DeskHarness();
  const logs: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  let trackingId: string;
  let sessions: Session[];
  let token: string;

  beforeAll(async () => {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (logs.push(String(chunk)), writes.out(chunk, ...rest))) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (logs.push(String(chunk)), writes.err(chunk, ...rest))) as typeof process.stderr.write;
    await desk.start({ LOG_LEVEL: 'verbose', AGENCY_WEBHOOK_SECRET: 'anon-secret' }, { fakeRouter: true });
    desk.fake.leakIdentity = true;
    const liaison = await desk.official('liaison', '32.73');
    const officer = await desk.official('officer', '32.73', 'Dinas Pekerjaan Umum');
    const admin = await desk.official('national-admin');
    sessions = [await desk.login(admin), await desk.login(liaison), await desk.login(officer)];
    token = (await desk.token('32.73')).token;
    await desk.http().put('/desk/v1/bodies/32.73/webhook').set('Cookie', sessions[1].cookie).set('X-CSRF-Token', sessions[1].csrf).send({ url: 'https://sistem.bandung.go.id/lapor' }).expect(200);
    trackingId = await desk.seed({ anonymous: true, reporter: REPORTER, unitSuggestion: { unit: 'Dinas Pekerjaan Umum', confidence: 0.8 } });
    const act = (body: object) => desk.http().post(`/desk/v1/complaints/${trackingId}/actions`).set('Cookie', sessions[1].cookie).set('X-CSRF-Token', sessions[1].csrf).send(body);
    await act({ action: 'accept' }).expect(200);
    await act({ action: 'dispose', unit: 'Dinas Pekerjaan Umum' }).expect(200);
    await desk.publish({ changes: desk.fake.published.filter((p) => p.trackingId === trackingId) });
    await waitFor(() => desk.notices.some((n) => n.trackingId === trackingId && n.kind === 'disposed'), { what: 'the disposed notice' });
  }, 120_000);

  afterAll(async () => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    await desk.stop();
  });

  const leaks = (text: string) => NEEDLES.filter((n) => text.includes(n));

  it('should show the identity in none of the desk GET routes, for any official or token', async () => {
    const instance = desk.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
    const paths = instance.router.stack.filter((l) => l.route?.methods.get && l.route.path.startsWith('/desk')).map((l) => l.route!.path);
    expect(paths.length).toBeGreaterThan(10);
    const found: Record<string, string[]> = {};
    let searched = 0;
    for (const path of paths) {
      const url = path.replace(':trackingId', trackingId).replace(':bodyCode', '32.73');
      const withQuery = url.includes('?') ? url : `${url}?status=all&body=32.73&trackingId=${trackingId}`;
      for (const auth of [...sessions.map((s) => ['Cookie', s.cookie]), ['Authorization', `Bearer ${token}`]]) {
        for (const target of [url, withQuery]) {
          const res = await desk.http().get(target).set(auth[0], auth[1]);
          searched++;
          const hit = leaks(`${JSON.stringify(res.headers)}\n${res.text}`);
          if (hit.length) found[`${target} as ${auth[0] === 'Cookie' ? 'session' : 'token'} (${res.status})`] = hit;
        }
      }
    }
    expect(searched).toBeGreaterThan(40);
    expect(found).toEqual({});
    const detail = await desk.http().get(`/desk/v1/complaints/${trackingId}`).set('Authorization', `Bearer ${token}`);
    expect(detail.body).toMatchObject({ trackingId, anonymous: true, reporter: null });
  });

  it('should keep it out of action answers, the CSV export, the published notices and the desk log', async () => {
    const answer = await desk.http().post(`/desk/v1/complaints/${trackingId}/actions`).set('Authorization', `Bearer ${token}`).send({ action: 'classify', submissionType: 'complaint' });
    expect(answer.status).toBe(200);
    expect(leaks(answer.text)).toEqual([]);
    const csv = await desk.http().get('/desk/v1/complaints.csv?status=disposed').set('Authorization', `Bearer ${token}`);
    expect(csv.text).toContain(trackingId);
    expect(leaks(csv.text)).toEqual([]);
    const notices = desk.notices.filter((n) => n.trackingId === trackingId);
    expect(notices.map((n) => n.kind).sort()).toEqual(['assigned', 'disposed']);
    expect(leaks(JSON.stringify(notices))).toEqual([]);
    expect(logs.join('').length).toBeGreaterThan(0);
    expect(leaks(logs.join(''))).toEqual([]);
    expect(leaks(JSON.stringify(await desk.db.query('SELECT * FROM desk_complaints')))).toEqual([]);
    expect(leaks(JSON.stringify(await desk.db.query('SELECT * FROM desk_audit_log')))).toEqual([]);
  });
});
