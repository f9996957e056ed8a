import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { checkTrackingId, newTrackingId, normalizeTrackingId } from '@lapor/contracts';
import { launchChromium } from '../support/browser';
import { RunningSystem, startEmbedded } from '../support/system';

/** The citizen's web form in a real (headless) browser, on the embedded system. */
describe('web form in headless Chromium', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-form-')) });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'id-ID' }); // a small phone in Indonesia
  });

  afterEach(async () => {
    await page?.close();
  });

  it('should file a complaint from the form and show its status with the responsible body', async () => {
    await page.goto(system.baseUrl);
    await page.fill('#text', 'Jalan berlubang besar di depan pasar, sudah dua bulan tidak diperbaiki 🙏');
    await page.fill('#lokasi', 'Kelurahan Braga, Kecamatan Sumur Bandung, Kota Bandung');
    await page.fill('#email', 'warga@example.com');
    await page.click('button[type=submit]');
    await page.waitForSelector('#tracking-id');
    const shown = (await page.textContent('#tracking-id'))!.trim();
    const trackingId = normalizeTrackingId(shown);
    expect(checkTrackingId(trackingId).ok).toBe(true);
    expect(page.url()).toContain(`/lapor/diterima/${trackingId}`);
    await page.screenshot({ path: join(tmpdir(), 'lapor-form-accepted.png') });

    await page.click('a[href^="/lapor/cek"]');
    await expect(waitForText(page, '#status', 'Diteruskan ke instansi')).resolves.toBe(true);
    expect(await page.textContent('#assignment')).toBe('Kota Bandung');
  });

  it('should register one complaint when the same form is submitted twice', async () => {
    await page.goto(system.baseUrl);
    await page.fill('#text', 'Lampu jalan mati di Kota Bandung dekat alun-alun, gelap sekali');
    await page.click('button[type=submit]');
    await page.waitForSelector('#tracking-id');
    const first = await page.textContent('#tracking-id');
    await page.goBack(); // the browser shows the same form (same idempotency key) again
    await page.click('button[type=submit]');
    await page.waitForSelector('#tracking-id');
    expect(await page.textContent('#tracking-id')).toBe(first);
  });

  it('should show a reason per field and keep what was typed when the input is invalid', async () => {
    await page.goto(system.baseUrl);
    await page.$eval('form', (f) => f.setAttribute('novalidate', '')); // what a browser without HTML5 validation sends
    await page.fill('#text', 'pendek');
    await page.fill('#email', 'bukan-email');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/lapor')), page.click('button[type=submit]')]);
    expect(response.status()).toBe(400);
    expect(await page.textContent('[id="text-error"]')).toContain('minimal 10 karakter');
    expect(await page.textContent('[id="reporter.email-error"]')).toContain('e-mail tidak valid');
    expect(await page.inputValue('#email')).toBe('bukan-email');
  });

  it('should say a mistyped tracking id is mistyped', async () => {
    await page.goto(`${system.baseUrl}/lapor/cek`);
    const id = newTrackingId();
    const typo = id.slice(0, 4) + (id[4] === 'A' ? 'B' : 'A') + id.slice(5); // one wrong character: the check character catches it
    await page.fill('#id', typo);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/lapor/cek?')), page.click('button[type=submit]')]);
    expect(response.status()).toBe(404);
    expect(await page.textContent('[role=alert]')).toContain('salah ketik');
  });
});

/** Reloads until the element shows the text (the router assigns within moments). */
async function waitForText(page: Page, selector: string, text: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if ((await page.textContent(selector).catch(() => null))?.includes(text)) return true;
    await page.waitForTimeout(100);
    await page.reload();
  }
  return false;
}
