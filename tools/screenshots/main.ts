/**
 * Screenshots of the citizen's form, confirmation and status page at 360 px (a small phone)
 * and 1280 px (a laptop), for the README: docs/screenshots/<page>-<width>.png.
 *
 *   npm run screenshots
 *
 * Runs the embedded system (in-process bus, PGlite in a temporary folder) and the installed
 * Chromium (test/support/browser.ts), files a complaint on the form as a citizen does, lets the
 * body of Kota Bandung accept and answer it (the internal API the desk uses), and writes each
 * page as a full-page PNG reduced to a 64-colour palette with sharp (each file stays small).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Actor, ComplaintAction, ComplaintView, normalizeTrackingId } from '@lapor/contracts';
import { launchChromium } from '../../test/support/browser';
import { startEmbedded } from '../../test/support/system';
import { waitFor } from '../../test/support/wait-for';

const OUT = join(__dirname, '../../docs/screenshots');
const WIDTHS = [360, 1280];
const liaison: Actor = { kind: 'officer', officerId: 'lia-3273', role: 'liaison', bodyCode: '32.73', displayName: 'Pejabat Penghubung' };
const officer: Actor = { kind: 'officer', officerId: 'off-3273', role: 'officer', bodyCode: '32.73', unit: 'Dinas Sumber Daya Air dan Bina Marga', displayName: 'Petugas Dinas' };

async function main() {
  mkdirSync(OUT, { recursive: true });
  const system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-screenshots-')) });
  const browser = await launchChromium();
  const act = async (id: string, action: ComplaintAction, actor: Actor) => {
    const res = await fetch(`${system.baseUrl}/internal/v1/complaints/${id}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action, actor }) });
    if (res.status !== 200) throw new Error(`${action.action}: ${res.status} ${await res.text()}`);
  };
  const view = async (id: string) => (await (await fetch(`${system.baseUrl}/api/v1/complaints/${id}`)).json()) as ComplaintView;
  try {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'id-ID' });
    await page.goto(`${system.baseUrl}/lapor?provinsi=32&kabupaten=32.73`);
    await page.fill('#text', 'Jalan berlubang besar di depan pasar Kosambi, sudah dua bulan tidak diperbaiki. Motor sering jatuh saat hujan.');
    await page.selectOption('#place-kecamatan', '32.73.19');
    await page.fill('#lokasi', 'Jl. Ahmad Yani depan Pasar Kosambi');
    await page.fill('#email', 'warga@example.id');
    const formPage = `${system.baseUrl}/lapor?provinsi=32&kabupaten=32.73`;
    await page.click('#submit-report');
    await page.waitForSelector('#tracking-id');
    const id = normalizeTrackingId((await page.textContent('#tracking-id'))!);
    await waitFor(async () => (await fetch(`${system.baseUrl}/api/v1/complaints/${id}`)).status === 200 && (await view(id)).status === 'assigned', { what: 'the assignment', timeoutMs: 60_000 });
    const confirmation = page.url();
    await act(id, { action: 'accept' }, liaison);
    await act(id, { action: 'dispose', unit: 'Dinas Sumber Daya Air dan Bina Marga' }, liaison);
    await act(id, { action: 'respond', response: 'Lubang sudah ditambal pada 3 Desember oleh UPT Jalan wilayah timur. Terima kasih atas laporannya.' }, officer);
    const shots: [string, string][] = [['form', formPage], ['confirmation', confirmation], ['status', `${system.baseUrl}/lapor/cek?id=${id}`]];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 600 ? 740 : 800 });
      for (const [name, url] of shots) {
        await page.goto(url);
        const png = await page.screenshot({ fullPage: true });
        const small = await sharp(png).png({ palette: true, colours: 64, compressionLevel: 9, effort: 10 }).toBuffer();
        const file = join(OUT, `${name}-${width}.png`);
        writeFileSync(file, small);
        console.log(`${file}: ${Math.round(small.length / 1024)} KB`);
      }
    }
  } finally {
    await browser.close();
    await system.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
