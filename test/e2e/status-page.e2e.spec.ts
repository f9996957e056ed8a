import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Actor, ComplaintAction, ComplaintView, normalizeTrackingId } from '@lapor/contracts';
import { launchChromium } from '../support/browser';
import { RunningSystem, startEmbedded } from '../support/system';
import { waitFor } from '../support/wait-for';

const liaison: Actor = { kind: 'officer', officerId: 'lia-3273', role: 'liaison', bodyCode: '32.73', displayName: 'Budi Penghubung' };
const officer: Actor = { kind: 'officer', officerId: 'off-3273', role: 'officer', bodyCode: '32.73', unit: 'Dinas Sumber Daya Air dan Bina Marga', displayName: 'Rina Petugas' };

/**
 * The citizen's status page in headless Chromium on the embedded system: the whole
 * timeline with the body's messages, and the reporter's forms (answer the question,
 * object, confirm). Officials' actions go through the router's internal API, as the desk sends them.
 */
describe('status page in headless Chromium', () => {
  let system: RunningSystem;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-status-')) });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'id-ID' });
  });

  afterEach(async () => {
    await page?.close();
  });

  const act = async (id: string, action: ComplaintAction, actor: Actor) => {
    const res = await fetch(`${system.baseUrl}/internal/v1/complaints/${id}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action, actor }) });
    if (res.status !== 200) throw new Error(`${action.action}: ${res.status} ${await res.text()}`);
  };
  const api = async (id: string) => (await (await fetch(`${system.baseUrl}/api/v1/complaints/${id}`)).json()) as ComplaintView;
  const statusOf = async (id: string) => (await api(id)).status;

  /** A complaint filed on the form, as a citizen does; the tracking id from the page. */
  async function fileComplaint(text: string): Promise<string> {
    await page.goto(system.baseUrl);
    await page.fill('#text', text);
    await page.fill('#lokasi', 'Kelurahan Braga, Kecamatan Sumur Bandung, Kota Bandung');
    await page.fill('#name', 'Dewi Kartikasari');
    await page.fill('#email', 'dewi@example.com');
    await page.click('button[type=submit]');
    await page.waitForSelector('#tracking-id');
    const id = normalizeTrackingId((await page.textContent('#tracking-id'))!.trim());
    await waitFor(async () => (await fetch(`${system.baseUrl}/api/v1/complaints/${id}`)).status === 200 && (await statusOf(id)) === 'assigned', { what: 'assignment' });
    return id;
  }

  it('should let the reporter answer the officer\'s question, then object to the response, and show every step with the body\'s words', async () => {
    const id = await fileComplaint('Jalan berlubang besar di depan pasar Kosambi, sudah dua bulan tidak diperbaiki');
    await act(id, { action: 'accept' }, liaison);
    await act(id, { action: 'dispose', unit: 'Dinas Sumber Daya Air dan Bina Marga' }, liaison);
    await act(id, { action: 'request-info', question: 'Di sisi jalan mana lubangnya, dekat toko apa?' }, officer);

    await page.goto(`${system.baseUrl}/lapor/cek?id=${id}`);
    expect(await page.textContent('#status')).toBe('Menunggu kelengkapan informasi dari pelapor');
    expect(await page.textContent('#timeline')).toContain('Di sisi jalan mana lubangnya, dekat toko apa?');
    expect(await page.textContent('#timeline thead')).toContain('Waktu (WIB)');
    await page.fill('#info-text', 'Sisi utara, depan toko kain Sinar Jaya');
    await page.click('#send-info');
    await page.waitForSelector('#notice');
    expect(page.url()).toContain(`/lapor/cek?id=${id}&terkirim=informasi`);
    await waitFor(async () => (await statusOf(id)) === 'in_progress', { what: 'the answer back with the officer' });

    await act(id, { action: 'respond', response: 'Lubang sudah ditambal pada 3 Maret oleh UPT Jalan wilayah timur.' }, officer);
    await page.goto(`${system.baseUrl}/lapor/cek?id=${id}`);
    expect(await page.textContent('#status')).toBe('Sudah ditanggapi');
    expect(await page.textContent('#timeline')).toContain('Lubang sudah ditambal pada 3 Maret');
    await page.fill('#objection', 'Tambalannya sudah lepas lagi');
    await page.click('#object');
    await page.waitForSelector('#notice');
    expect(await page.textContent('#status')).toBe('Dibuka kembali (pelapor tidak puas)');
    await page.screenshot({ path: join(tmpdir(), 'lapor-status-reopened.png'), fullPage: true });

    const view = await api(id);
    expect(view.history.map((h) => h.status)).toEqual(['received', 'assigned', 'accepted', 'disposed', 'waiting_info', 'in_progress', 'responded', 'reopened']);
    expect(view.history.find((h) => h.status === 'responded')!.message).toBe('Lubang sudah ditambal pada 3 Maret oleh UPT Jalan wilayah timur.');
    const page_ = await page.content();
    for (const official of ['Budi Penghubung', 'Rina Petugas', 'lia-3273', 'Tambalannya sudah lepas lagi']) expect(page_).not.toContain(official); // officials' names and notes stay with officials
  });

  it('should let the reporter confirm and close, once even when the button is pressed twice', async () => {
    const id = await fileComplaint('Lampu penerangan jalan mati di Jalan Braga Kota Bandung sudah seminggu');
    for (const [action, actor] of [[{ action: 'accept' }, liaison], [{ action: 'dispose', unit: 'Dinas Perhubungan' }, liaison], [{ action: 'respond', response: 'Lampu sudah diganti.' }, officer]] as [ComplaintAction, Actor][]) {
      await act(id, action, actor);
    }
    await page.goto(`${system.baseUrl}/lapor/cek?id=${id}`);
    await page.click('#confirm');
    await page.waitForSelector('#notice');
    expect(await page.textContent('#status')).toBe('Selesai');
    expect(await page.textContent('#timeline')).toContain('atas konfirmasi pelapor');
    await page.goBack(); // the same form, the same key: a second press changes nothing
    await page.click('#confirm');
    await page.waitForSelector('#notice');
    expect((await api(id)).history.filter((h) => h.status === 'closed')).toHaveLength(1);
  });

  it('should refuse the forms for a complaint that is not waiting for the reporter, saying why', async () => {
    const id = await fileComplaint('Trotoar rusak di depan sekolah dasar di Kota Bandung, membahayakan anak-anak');
    const res = await fetch(`${system.baseUrl}/lapor/cek/${id}/informasi`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'text=halo&key=k1' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('sedang tidak menunggu informasi');
    const objection = await fetch(`${system.baseUrl}/lapor/cek/${id}/keberatan`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'alasan=x&key=k2' });
    expect(objection.status).toBe(409);
    expect(await objection.text()).toContain('Diteruskan ke instansi');
    expect(await statusOf(id)).toBe('assigned');
  });
});
