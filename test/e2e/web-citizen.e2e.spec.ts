/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Actor, ComplaintAction, ComplaintView, normalizeTrackingId } from '@lapor/contracts';
import { loadDeadlinePolicy } from '@lapor/deadlines';
import { summarize } from '../../apps/web-intake/src/services/deadline-summary';
import { launchChromium } from '../support/browser';
import { RunningSystem, startEmbedded } from '../support/system';
import { waitFor } from '../support/wait-for';

const liaison: Actor = { kind: 'officer', officerId: 'lia-7371', role: 'liaison', bodyCode: '73.71', displayName: 'Andi Penghubung' };
const officer: Actor = { kind: 'officer', officerId: 'off-7371', role: 'officer', bodyCode: '73.71', unit: 'Dinas Pekerjaan Umum', displayName: 'Nur Petugas' };
const REPORTER = { name: 'Daeng Matutu', email: 'daeng.matutu@example.id', phone: '081355500123' };
/** The budget the issue sets for the form page: HTML with its inline CSS, no other asset. */
const FORM_BUDGET_BYTES = 50 * 1024;

/**
 * The citizen's pages in headless Chromium on the embedded system: both languages, the place
 * picker with and without JavaScript, the confirmation's "what happens next", the status
 * timeline in the handling body's zone, and axe-core (no serious or critical violation), tap
 * targets, focus, labels and weight on every page.
 */
describe('citizen pages in headless Chromium', () => {
  let system: RunningSystem;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-citizen-')) });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  afterEach(async () => {
    await context?.close();
  });

  /** A small phone in Indonesia (Accept-Language id-ID), or one whose browser is in English. */
  async function phone(options: { locale?: string; javaScriptEnabled?: boolean; geolocation?: { latitude: number; longitude: number } } = {}): Promise<Page> {
    context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: options.locale ?? 'id-ID',
      javaScriptEnabled: options.javaScriptEnabled ?? true,
      ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
    });
    page = await context.newPage();
    return page;
  }

  const api = async (id: string) => (await (await fetch(`${system.baseUrl}/api/v1/complaints/${id}`)).json()) as ComplaintView;
  const act = async (id: string, action: ComplaintAction, actor: Actor) => {
    const res = await fetch(`${system.baseUrl}/internal/v1/complaints/${id}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action, actor }) });
    if (res.status !== 200) throw new Error(`${action.action}: ${res.status} ${await res.text()}`);
  };
  const assignedTo = (id: string, code: string) =>
    waitFor(async () => (await fetch(`${system.baseUrl}/api/v1/complaints/${id}`)).status === 200 && (await api(id)).assignment?.code === code, { what: `assignment to ${code}` });

  /** axe-core on what the page shows now: nothing serious or critical (WCAG 2.x A/AA and best practices). */
  async function expectAccessible(what: string) {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect({ page: what, violations: bad }).toEqual({ page: what, violations: [] });
  }

  /** Everything a finger taps is at least 44×44 CSS px (WCAG 2.5.5); links inside sentences are exempt. */
  async function expectTapTargets(what: string) {
    const small = await page.$$eval('input:not([type=hidden]), select, textarea, button, a.lang, a.button-link, a.brand, footer a', (elements) =>
      elements
        .filter((e) => (e as HTMLElement).offsetParent !== null)
        .map((e) => ({ e, box: e.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 44 || box.height < 44)
        .map(({ e, box }) => `${e.tagName.toLowerCase()}#${e.id || e.getAttribute('name') || e.textContent?.trim()} ${Math.round(box.width)}×${Math.round(box.height)}`),
    );
    expect({ page: what, small }).toEqual({ page: what, small: [] });
  }

  /** Every field has a label tied to it, and the textarea is not monospace. */
  async function expectLabelledFields() {
    const unlabelled = await page.$$eval('input:not([type=hidden]):not([type=submit]), select, textarea', (fields) => fields.filter((f) => !(f as HTMLInputElement).labels?.length).map((f) => f.id || f.getAttribute('name')));
    expect(unlabelled).toEqual([]);
    const fonts = await page.$$eval('textarea', (areas) => areas.map((a) => getComputedStyle(a).fontFamily));
    for (const font of fonts) expect(font).not.toMatch(/monospace/i);
  }

  /** Tabbing through the page, each focused control shows a focus ring of at least 2 px. */
  async function expectVisibleFocus() {
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const e = document.activeElement as HTMLElement | null;
        if (!e || e === document.body) return null;
        const style = getComputedStyle(e);
        return { name: e.outerHTML.slice(0, 90), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      if (!focused || seen.includes(focused.name)) break;
      seen.push(focused.name);
      expect({ element: focused.name, ring: focused.outline !== 'none' && focused.width >= 2 }).toEqual({ element: focused.name, ring: true });
    }
    expect(seen.length).toBeGreaterThan(5);
  }

  it('should work without JavaScript: the place picker in server-side steps, down to the desa, into regionCode', async () => {
    await phone({ javaScriptEnabled: false });
    await page.goto(`${system.baseUrl}/lapor`);
    expect(await page.isHidden('#use-location')).toBe(true); // nothing that needs JavaScript is offered
    await page.fill('#text', 'Lampu penerangan jalan mati sudah dua minggu, gelap dan rawan');
    await page.selectOption('#place-provinsi', '73');
    await page.click('#place-next');
    await page.selectOption('#place-kabupaten', '73.71');
    await page.click('#place-next');
    await page.selectOption('#place-kecamatan', '73.71.01');
    await page.click('#place-next');
    expect(await page.inputValue('#text')).toBe('Lampu penerangan jalan mati sudah dua minggu, gelap dan rawan'); // each step keeps what was typed
    const villages = await page.$$eval('#place-desa option', (options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(villages.every((code) => code.startsWith('73.71.01.'))).toBe(true);
    await page.selectOption('#place-desa', villages[0]);
    await page.click('#place-next');
    expect(await page.textContent('#place-chosen')).toMatch(/Wilayah terpilih: .+, Mariso, Kota Makassar, Sulawesi Selatan/);
    await page.click('#submit-report');
    await page.waitForSelector('#tracking-id');
    const id = normalizeTrackingId((await page.textContent('#tracking-id'))!);
    await assignedTo(id, '73.71'); // the text names no place: the picker's code routed it
  });

  it('should fill the next select without leaving the page, and put the phone\'s position into the report, where JavaScript runs', async () => {
    await phone({ geolocation: { latitude: -5.1477, longitude: 119.4327 } });
    await page.goto(`${system.baseUrl}/lapor`);
    expect(await page.$('#place-next')).toBeNull(); // replaced by the enhancement
    await page.fill('#text', 'Saluran air tersumbat dan meluap ke jalan setiap hujan turun');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await page.selectOption('#place-provinsi', '73');
    await page.waitForSelector('#place-kabupaten option[value="73.71"]', { state: 'attached' });
    await page.selectOption('#place-kabupaten', '73.71');
    await page.waitForSelector('#place-kecamatan option[value="73.71.02"]', { state: 'attached' });
    await page.selectOption('#place-provinsi', '32'); // changing the province drops the choices below it
    await page.waitForSelector('#place-kabupaten option[value="32.73"]', { state: 'attached' });
    expect(await page.$('#place-kecamatan')).toBeNull();
    await page.selectOption('#place-provinsi', '');
    expect(await page.$('#place-kabupaten')).toBeNull();
    expect(navigations).toEqual([]);
    await page.click('#use-location');
    await waitFor(async () => (await page.inputValue('#lat')) !== '', { what: 'the position in the form' });
    expect([await page.inputValue('#lat'), await page.inputValue('#lon')]).toEqual(['-5.147700', '119.432700']);
    expect(await page.textContent('#location-status')).toBe('Lokasi terpasang: -5.147700, 119.432700');
    await expectAccessible('form with JavaScript, after the picker');
    await page.click('#submit-report');
    await page.waitForSelector('#tracking-id');
    await assignedTo(normalizeTrackingId((await page.textContent('#tracking-id'))!), '73.71'); // the position routed it
  });

  it('should say what happens next: who handles it, the deadlines of the policy, how to check by web, SMS and chat, and what Anonim and Rahasia mean', async () => {
    await phone();
    await page.goto(`${system.baseUrl}/lapor?provinsi=32&kabupaten=32.73`);
    const explained = await page.textContent('#anonymous-explain');
    expect(explained).toContain('tidak melihat nama dan kontak Anda');
    expect(await page.textContent('#confidential-explain')).toContain('tidak ditampilkan kepada publik');
    await page.fill('#text', 'Trotoar rusak di depan sekolah dasar membahayakan anak-anak');
    await page.check('#anonymous');
    await page.click('#submit-report');
    await page.waitForSelector('#tracking-id');
    const id = normalizeTrackingId((await page.textContent('#tracking-id'))!);
    await assignedTo(id, '32.73');
    await page.reload();
    expect(await page.textContent('#handler-line')).toBe('Laporan Anda diteruskan ke Kota Bandung.');
    const days = summarize(loadDeadlinePolicy());
    const deadlines = (await page.textContent('#deadlines'))!;
    for (const stage of [days.acceptance, days.firstResponse, days.firstResponseInformationRequest, days.followUp]) expect(deadlines).toContain(`${'workingDays' in stage ? stage.workingDays : NaN} hari kerja`);
    const check = (await page.textContent('#check-status'))!;
    expect(check).toContain(`kirim CEK ${id} ke 1708`);
    expect(check).toContain(`kirim CEK ${id} ke LAPOR! di WhatsApp atau Telegram`);
    expect(await page.getAttribute('#check-status a', 'href')).toBe(`/lapor/cek?id=${id}`);
    expect(await page.textContent('#choices')).toBe('Pilihan Anda: Anonim.');
    expect(await page.textContent('#what-next dl')).toContain(explained!);
    await expectAccessible('confirmation (id)');
    await expectTapTargets('confirmation (id)');
    await page.screenshot({ path: join(tmpdir(), 'lapor-citizen-confirmation.png'), fullPage: true });
  });

  it('should say "sedang ditentukan" and link to the status page when routing has not happened yet', async () => {
    await phone();
    const { trackingIdFor } = await import('@lapor/contracts');
    const notYet = trackingIdFor('web', 'idem:never-sent');
    await page.goto(`${system.baseUrl}/lapor/diterima/${notYet}`);
    expect(await page.textContent('#handler-line')).toContain('sedang ditentukan');
    expect(await page.getAttribute('#handler-line a', 'href')).toBe(`/lapor/cek?id=${notYet}`);
    expect(await page.textContent('#deadlines')).toContain('tim verifikasi nasional menentukannya');
  });

  it('should show a Makassar complaint\'s timeline in WITA with the body\'s public response and nothing that identifies the reporter', async () => {
    const post = await fetch(`${system.baseUrl}/api/v1/complaints`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'Jalan berlubang di depan pasar, sudah sebulan tidak diperbaiki', regionCode: '73.71.02', reporter: REPORTER }) });
    expect(post.status).toBe(202);
    const { trackingId: id } = (await post.json()) as { trackingId: string };
    await assignedTo(id, '73.71');
    await act(id, { action: 'accept' }, liaison);
    await act(id, { action: 'dispose', unit: 'Dinas Pekerjaan Umum' }, liaison);
    await act(id, { action: 'respond', response: 'Lubang sudah ditambal oleh UPT Jalan pada hari Selasa.' }, officer);
    await phone();
    await page.goto(`${system.baseUrl}/lapor/cek?id=${id}`);
    expect(await page.textContent('#timeline thead')).toContain('Waktu (WITA)');
    const times = await page.$$eval('#timeline tbody td:first-child', (cells) => cells.map((c) => c.textContent));
    expect(times.length).toBe((await api(id)).history.length);
    for (const time of times) expect(time).toMatch(/ WITA$/);
    // The first step's local time is the UTC time + 8 h.
    const first = new Date((await api(id)).history[0].at);
    const hhmm = new Date(first.getTime() + 8 * 3_600_000).toISOString().slice(11, 16).replace(':', '.');
    expect(times[0]).toContain(hhmm);
    expect(await page.textContent('#response')).toBe('Lubang sudah ditambal oleh UPT Jalan pada hari Selasa.');
    expect(await page.textContent('#assignment')).toBe('Kota Makassar');
    const html = await page.content();
    for (const identifying of [REPORTER.name, REPORTER.email, REPORTER.phone, 'Daeng', liaison.displayName!, officer.displayName!]) expect(html).not.toContain(identifying);
    await expectAccessible('status page (id)');
    await expectTapTargets('status page (id)');
    await expectLabelledFields();

    await page.click('#switch-language');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#status')).toBe('Answered');
    expect(await page.textContent('#timeline thead')).toContain('Time (WITA)');
    await expectAccessible('status page (en)');
  });

  it('should speak English when the browser asks, and switch back to Bahasa Indonesia with the link on the page', async () => {
    await phone({ locale: 'en-US' });
    await page.goto(`${system.baseUrl}/lapor`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Tell us what went wrong');
    await page.$eval('form#report', (f) => f.setAttribute('novalidate', ''));
    await page.fill('#text', 'short');
    await page.click('#submit-report');
    await page.waitForSelector('[id="text-error"]');
    expect(await page.textContent('[id="text-error"]')).toBe('at least 10 characters');
    await page.click('#switch-language');
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    expect(await page.textContent('h1')).toBe('Sampaikan laporan Anda');
    await page.goto(`${system.baseUrl}/lapor/cek`); // the choice sticks (cookie), though the browser asks for English
    expect(await page.getAttribute('html', 'lang')).toBe('id');
  });

  it.each([['id-ID'], ['en-US']])('should have no serious accessibility problem, 44-px targets, focus rings and labels on every citizen page (%s)', async (locale) => {
    await phone({ locale });
    const pages: [string, string][] = [
      ['form', '/lapor'],
      ['picker: kabupaten/kota', '/lapor?provinsi=32'],
      ['picker: kecamatan', '/lapor?provinsi=32&kabupaten=32.73'],
      ['picker: desa/kelurahan', '/lapor?provinsi=32&kabupaten=32.73&kecamatan=32.73.01'],
      ['status lookup', '/lapor/cek'],
      ['status lookup, mistyped', '/lapor/cek?id=AOKXYKU4RXD'],
      ['confirmation before routing', '/lapor/diterima/HBWWY4RQS3N'],
      ['page not found', '/tidak-ada'],
    ];
    for (const [what, path] of pages) {
      const res = await page.goto(`${system.baseUrl}${path}`);
      expect(res!.status()).toBe(what === 'page not found' || what === 'status lookup, mistyped' ? 404 : 200);
      await expectAccessible(`${what} (${locale})`);
      await expectTapTargets(`${what} (${locale})`);
      await expectLabelledFields();
    }
    await page.goto(`${system.baseUrl}/lapor`);
    await expectVisibleFocus();
  }, 240_000);

  it('should keep the form page under 50 KB of HTML and CSS, with no other request than the favicon', async () => {
    await phone();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    for (const path of ['/lapor', '/lapor?provinsi=32&kabupaten=32.73&kecamatan=32.73.01']) {
      requests.length = 0;
      const res = await page.goto(`${system.baseUrl}${path}`);
      const bytes = (await res!.body()).length;
      expect({ path, bytes, under: bytes < FORM_BUDGET_BYTES }).toEqual({ path, bytes, under: true });
      expect(requests.filter((p) => p !== '/lapor' && p !== '/favicon.svg')).toEqual([]);
    }
  });
});
