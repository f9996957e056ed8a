import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { OfficersService } from '../../apps/desk/src/accounts/officers.service';
import { launchChromium, seriousAxeViolations } from '../support/browser';
import { DeskHarness, Official } from '../support/desk';
import { waitFor } from '../support/wait-for';

/** Runs in the page (plain JavaScript: the repository's TypeScript has no DOM types): unlabelled controls and tap targets under 44 px. */
const ACCESSIBILITY_PROBLEMS = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const id = el.getAttribute('id');
    const labelled = (id && document.querySelector('label[for="' + id + '"]')) || el.closest('label') || el.getAttribute('aria-label');
    if (!labelled) out.push('no label: ' + el.outerHTML.slice(0, 80));
  }
  for (const el of document.querySelectorAll('button, summary, nav a, input:not([type=hidden]), select')) {
    // A checkbox or radio button is tapped through the label around it.
    const target = (el.type === 'checkbox' || el.type === 'radio') && el.closest('label') ? el.closest('label') : el;
    const h = target.getBoundingClientRect().height;
    if (h > 0 && h < 44) out.push(Math.round(h) + ' px: ' + el.outerHTML.slice(0, 80));
  }
  return out;
})()`;

/**
 * The officer console in headless Chromium on a low-end laptop's screen: a liaison logs in
 * with a one-time password (and must change it), accepts and disposes a complaint; the
 * unit's officer asks the reporter for information and responds once the answer is in;
 * an official of another body gets "not found" for the same complaint.
 */
describe('officer console in headless Chromium', () => {
  const desk = new DeskHarness();
  let browser: Browser;
  let page: Page;
  let officer: Official;
  let bogor: Official;

  beforeAll(async () => {
    await desk.start();
    officer = await desk.official('officer', '32.73', 'Dinas Pekerjaan Umum');
    bogor = await desk.official('liaison', '32.71');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await desk.stop();
  });

  beforeEach(async () => {
    // A context of its own (not browser.newPage()): @axe-core/playwright opens a helper page in the page's context.
    page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  });

  afterEach(async () => {
    await page?.context().close();
  });

  async function logIn(email: string, password: string): Promise<void> {
    await page.goto(`${desk.url}/desk`);
    expect(page.url()).toContain('/desk/masuk');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('main button[type=submit]');
  }

  async function act(action: string, fill: Record<string, string> = {}): Promise<void> {
    const form = page.locator(`form[data-action="${action}"]`);
    await form.locator('xpath=ancestor::details').locator('summary').click();
    for (const [name, value] of Object.entries(fill)) await form.locator(`[name="${name}"]`).fill(value);
    await Promise.all([page.waitForURL(/\?ok=1$/), form.locator('button[type=submit]').click()]);
  }

  it('should take a complaint from login through accept, dispose, a question to the reporter and the response', async () => {
    const trackingId = await desk.seed();
    const { officer: liaison, oneTimePassword } = await desk.app.get(OfficersService).create({ email: `penghubung.${process.pid}@bandung.go.id`, role: 'liaison', body: '32.73' }, { kind: 'system', label: 'test' });

    await logIn(liaison.email, oneTimePassword);
    await page.waitForURL(/\/desk\/kata-sandi$/);
    await page.fill('#current', oneTimePassword);
    await page.fill('#next', 'sandi-baru-penghubung-2026');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/desk\/laporan$/);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'lapor_desk');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });

    await page.click(`a[href="/desk/laporan/${trackingId}"]`);
    expect(await page.textContent('#status')).toBe('Diteruskan ke instansi');
    expect(await page.textContent('#unit-suggestion')).toBe('Dinas Pekerjaan Umum');
    await act('accept');
    expect(await page.textContent('#status')).toBe('Diterima instansi');
    await act('dispose', { unit: 'Dinas Pekerjaan Umum' });
    expect(await page.textContent('#status')).toBe('Didisposisikan ke unit kerja');
    expect(await page.textContent('#unit')).toBe('Dinas Pekerjaan Umum');
    await page.screenshot({ path: join(tmpdir(), 'desk-console-detail.png'), fullPage: true });
    await page.click('nav button[type=submit]'); // Keluar
    await page.waitForURL(/\/desk\/masuk/);

    await logIn(officer.email, officer.password);
    await page.waitForURL(/\/desk\/laporan$/);
    await page.click(`a[href="/desk/laporan/${trackingId}"]`);
    await act('request-info', { question: 'Mohon sebutkan nomor rumah terdekat.' });
    expect(await page.textContent('#status')).toBe('Menunggu kelengkapan informasi dari pelapor');
    expect(await page.locator('form[data-action="respond"]').count()).toBe(0); // waiting for the reporter: nothing to respond to yet

    await desk.router.reporterAction(trackingId, { action: 'provide-info', text: 'Depan rumah nomor 12' });
    await desk.caughtUp(trackingId);
    await page.reload();
    expect(await page.textContent('#status')).toBe('Sedang ditindaklanjuti');
    await act('respond', { response: 'Lubang jalan sudah ditambal pada 3 Desember.' });
    expect(await page.textContent('#status')).toBe('Sudah ditanggapi');
    expect(await page.textContent('#timeline')).toContain('Lubang jalan sudah ditambal');
  });

  it("should let the national admin assign a triage complaint from routing's suggestions", async () => {
    const trackingId = await desk.seed({ body: 'triage' });
    const admin = await desk.official('national-admin');
    await logIn(admin.email, admin.password);
    await page.waitForURL(/\/desk\/laporan$/);
    await page.click('a[href="/desk/triase"]');
    const form = page.locator(`form[action="/desk/laporan/${trackingId}/tindakan"]`);
    expect((await form.locator('select[name=body] option').allTextContents()).join(' ')).toMatch(/Kota Bandung \(\d+%\)/);
    await form.locator('select[name=body]').selectOption('32.73');
    await Promise.all([page.waitForURL(/\?ok=1$/), form.locator('button[type=submit]').click()]);
    expect(await page.textContent('#status')).toBe('Diteruskan ke instansi');
    expect(await page.textContent('#body')).toBe('Kota Bandung');
  });

  it('should tie every control to a label, show focus, keep tap targets at least 44 px high and have no serious or critical axe-core violation, on every console page', async () => {
    const trackingId = await desk.seed();
    const admin = await desk.official('national-admin');
    const problems: Record<string, string[]> = {};
    const check = async (path: string) => {
      await page.evaluate("document.querySelectorAll('details').forEach((d) => (d.open = true))");
      const found = (await page.evaluate(ACCESSIBILITY_PROBLEMS)) as string[];
      found.push(...(await seriousAxeViolations(page)).map((v) => `axe ${v.impact} ${v.id} (${v.help}): ${v.targets.join(', ')}`));
      await page.keyboard.press('Tab');
      const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
      if (outline === 'none') found.push('focus not visible');
      if (found.length) problems[path] = found;
    };
    await page.goto(`${desk.url}/desk/masuk`);
    await check('/desk/masuk');
    await logIn(admin.email, admin.password);
    await page.waitForURL(/\/desk\/laporan$/);
    const pages = ['/desk/laporan', `/desk/laporan/${trackingId}`, '/desk/triase', '/desk/jalur-cepat', '/desk/petugas', '/desk/token', '/desk/webhook?body=32.73', '/desk/tenggat', '/desk/hari-kerja?body=32.73', '/desk/statistik', '/desk/kata-sandi'];
    for (const path of pages) {
      await page.goto(`${desk.url}${path}`);
      await check(path);
    }
    expect(problems).toEqual({});
  }, 300_000); // axe-core takes seconds a page on a loaded 2-core machine

  it("should let the national admin change a stage's deadline in the console (audited, a new version for stages that start afterwards), refusing a change without its basis", async () => {
    const admin = await desk.official('national-admin');
    const before = await desk.seed();
    const acceptanceOf = (id: string) =>
      waitFor(async () => ((await desk.db.query(`SELECT due_at, rule, policy_version FROM desk_deadlines WHERE tracking_id = $1 AND stage = 'acceptance'`, [id])) as { due_at: Date; rule: { workingDays: number }; policy_version: number }[])[0], { what: `the acceptance deadline of ${id}` });
    const running = await acceptanceOf(before);
    await logIn(admin.email, admin.password);
    await page.waitForURL(/\/desk\/laporan$/);
    await page.click('nav a[href="/desk/tenggat"]');
    const version = Number(/Versi (\d+)/.exec((await page.textContent('#policy-version')) ?? '')?.[1]);
    expect(await page.inputValue('#stage-acceptance')).toBe('3');

    await page.fill('#stage-acceptance', '2');
    await page.click('#policy-form button[type=submit]');
    expect(await page.textContent('#notice')).toContain('Isian belum lengkap');
    await page.fill('#stage-acceptance', '2');
    await page.fill('#policy-note', 'Surat Edaran uji: penerimaan dipercepat');
    await page.click('#policy-form button[type=submit]');
    expect(await page.textContent('#notice')).toContain(`Kebijakan tenggat versi ${version + 1} disimpan`);
    expect(await page.textContent('table')).toMatch(/penerimaan oleh instansi\s*2 hari kerja\s*Kebijakan lokal: Surat Edaran uji/);

    const [audit] = (await desk.db.query(`SELECT actor_label, detail FROM desk_audit_log WHERE action = 'deadline-policy.update' ORDER BY at DESC LIMIT 1`)) as { actor_label: string; detail: { from: number; to: number } }[];
    expect(audit).toMatchObject({ actor_label: admin.email, detail: { from: version, to: version + 1 } });
    expect(await acceptanceOf(before)).toEqual(running);
    expect(running.policy_version).toBe(version);
    expect(await acceptanceOf(await desk.seed())).toMatchObject({ policy_version: version + 1, rule: { workingDays: 2 } });
  }, 120_000);

  it("should let a body's liaison declare a six-day working week in the console (audited), counted by deadlines of stages that start afterwards", async () => {
    const liaison = await desk.official('liaison', '32.73');
    await logIn(liaison.email, liaison.password);
    await page.waitForURL(/\/desk\/laporan$/);
    await page.click('nav a[href="/desk/hari-kerja"]');
    expect(await page.textContent('#working-week')).toContain('lima hari kerja');
    await page.check('input[name=sixDayWeek][value="1"]');
    await page.click('form[action="/desk/hari-kerja"] button[type=submit]');
    expect(await page.textContent('#notice')).toContain('enam hari kerja');
    expect(await page.textContent('#working-week')).toContain('enam hari kerja (Senin–Sabtu)');
    const [audit] = (await desk.db.query(`SELECT actor_label, body_code, detail FROM desk_audit_log WHERE action = 'working-week.set' ORDER BY at DESC LIMIT 1`)) as { actor_label: string; body_code: string; detail: unknown }[];
    expect(audit).toEqual({ actor_label: liaison.email, body_code: '32.73', detail: { from: false, to: true } });
    const id = await desk.seed();
    const deadline = await waitFor(async () => ((await desk.db.query(`SELECT six_day_week FROM desk_deadlines WHERE tracking_id = $1 AND stage = 'acceptance'`, [id])) as { six_day_week: boolean }[])[0], { what: 'the deadline' });
    expect(deadline.six_day_week).toBe(true);
    // Another body's liaison does not find this body's setting.
    const other = await desk.login(bogor);
    await desk.http().get('/desk/hari-kerja?body=32.73').set('Cookie', other.cookie).expect(404);
    await desk.http().post('/desk/hari-kerja').set('Cookie', other.cookie).type('form').send({ _csrf: other.csrf, body: '32.73', sixDayWeek: '0' }).expect(404);
    // Back to five days for the other tests.
    await page.check('input[name=sixDayWeek][value="0"]');
    await page.click('form[action="/desk/hari-kerja"] button[type=submit]');
    expect(await page.textContent('#working-week')).toContain('lima hari kerja');
  }, 120_000);

  it("should answer another body's official with not found for the complaint page and its action form", async () => {
    const trackingId = await desk.seed();
    await logIn(bogor.email, bogor.password);
    await page.waitForURL(/\/desk\/laporan$/);
    expect(await page.locator(`a[href="/desk/laporan/${trackingId}"]`).count()).toBe(0);
    const response = await page.goto(`${desk.url}/desk/laporan/${trackingId}`);
    expect(response!.status()).toBe(404);
    expect(await page.textContent('[role=alert]')).toContain('Laporan tidak ditemukan');
  });
});
