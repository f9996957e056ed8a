import type { Browser, Page } from 'playwright-core';
import { STATS_SHARE_LABELS, StatsReport, StatsShare } from '@lapor/contracts';
import { launchChromium } from '../support/browser';
import { DeskHarness } from '../support/desk';
import { publishCase, statsCases } from '../support/stats-seed';

/** Runs in the page (plain JavaScript: no DOM types here): every chart element's size and title. */
const CHARTS = `(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { width: r.width, height: r.height }; };
  const title = (el) => (el.querySelector(':scope > title') || {}).textContent || '';
  const svg = (id) => { const s = document.getElementById(id); return s ? { ...box(s), title: title(s) } : null; };
  return {
    scrollWidth: document.documentElement.scrollWidth,
    shares: svg('grafik-porsi'),
    weekly: svg('grafik-mingguan'),
    channel: svg('grafik-kanal'),
    shareRects: [...document.querySelectorAll('#grafik-porsi rect.share')].map((r) => ({ share: r.getAttribute('data-share'), ...box(r), title: title(r) })),
    weeks: [...document.querySelectorAll('#grafik-mingguan g.week')].map((g) => ({ week: g.getAttribute('data-week'), title: title(g), ...box(g) })),
    channels: [...document.querySelectorAll('#grafik-kanal g.bar')].map((g) => ({ key: g.getAttribute('data-key'), title: title(g.querySelector('rect')), ...box(g.querySelector('rect')) })),
    total: (document.getElementById('total') || {}).textContent,
  };
})()`;

interface Charts {
  scrollWidth: number;
  shares: { width: number; height: number; title: string } | null;
  weekly: { width: number; height: number; title: string } | null;
  channel: { width: number; height: number; title: string } | null;
  shareRects: { share: StatsShare; width: number; height: number; title: string }[];
  weeks: { week: string; title: string; width: number; height: number }[];
  channels: { key: string; title: string; width: number; height: number }[];
  total: string;
}

const num = (n: number) => n.toLocaleString('id-ID');

/**
 * The public dashboard and the console's statistics in headless Chromium on a 360-px phone:
 * the charts render (SVG with a size), carry the API's values in their titles, and nothing
 * scrolls sideways.
 */
describe('statistics dashboard in headless Chromium', () => {
  const desk = new DeskHarness();
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await desk.start({}, { fakeRouter: true });
    for (const [i, c] of statsCases(18).entries()) await publishCase(desk, c, i);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await desk.stop();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true });
  });

  afterEach(async () => {
    await page?.close();
  });

  async function expectCharts(report: StatsReport): Promise<void> {
    const c = (await page.evaluate(CHARTS)) as Charts;
    expect(c.scrollWidth).toBeLessThanOrEqual(360);
    expect(c.total).toBe(num(report.summary.complaints));
    for (const svg of [c.shares, c.weekly, c.channel]) {
      expect(svg).not.toBeNull();
      expect(svg!.width).toBeGreaterThan(200);
      expect(svg!.height).toBeGreaterThan(10);
    }
    // Shares: one segment each, as wide as its count, titled with the API's count.
    expect(c.shareRects.map((r) => r.share).sort()).toEqual(['belum_ditindaklanjuti', 'belum_terverifikasi', 'dalam_proses', 'selesai']);
    for (const r of c.shareRects) {
      const f = report.summary.shares[r.share];
      expect(r.title).toContain(`${STATS_SHARE_LABELS[r.share]}: ${num(f.count)} laporan`);
      if (f.count > 0) expect(r.width).toBeGreaterThan(0);
      else expect(r.width).toBe(0);
    }
    const widest = [...c.shareRects].sort((a, b) => b.width - a.width)[0];
    expect(report.summary.shares[widest.share].count).toBe(Math.max(...Object.values(report.summary.shares).map((s) => s.count)));
    // Weekly: one column per week with the API's count.
    expect(c.weeks.map((w) => [w.week, w.title])).toEqual(report.weekly.map((w) => [w.key, `Minggu ${w.key}: ${num(w.complaints)} laporan`]));
    for (const w of c.weeks) expect(w.height).toBeGreaterThan(0);
    // Channels: one bar per channel, the API's count in its title.
    expect(c.channels.map((b) => [b.key, b.title])).toEqual(report.byChannel.map((g) => [g.key, `${g.label}: ${num(g.complaints)} laporan`]));
    for (const b of c.channels) expect(b.width).toBeGreaterThan(0);
  }

  it.each([
    ['national', ''],
    ['one province', '?scope=province&code=32'],
    ['one body', '?scope=body&code=32.73'],
  ])('should draw the %s dashboard with the API figures, readable on a phone', async (_name, query) => {
    const report = (await desk.http().get(`/api/v1/stats${query}`)).body as StatsReport;
    expect(report.summary.complaints).toBeGreaterThan(0);
    const res = await page.goto(`${desk.url}/statistik${query}`);
    expect(res?.status()).toBe(200);
    await expectCharts(report);
  });

  it('should filter through the form without any script', async () => {
    await page.goto(`${desk.url}/statistik`);
    await page.selectOption('#f-channel', 'sms');
    await Promise.all([page.waitForURL(/channel=sms/), page.click('form.filters button[type=submit]')]);
    const report = (await desk.http().get('/api/v1/stats?channel=sms')).body as StatsReport;
    await expectCharts(report);
  });

  it("should show a liaison the own body's statistics in the console", async () => {
    const liaison = await desk.official('liaison', '32.73');
    await page.goto(`${desk.url}/desk/statistik`);
    await page.fill('#email', liaison.email);
    await page.fill('#password', liaison.password);
    await Promise.all([page.waitForURL(/\/desk\/statistik/), page.click('button[type=submit]')]);
    const report = (await desk.http().get('/api/v1/stats?scope=body&code=32.73')).body as StatsReport;
    expect(await page.textContent('h1')).toContain('Kota Bandung');
    await expectCharts(report);
  });
});
