/**
 * Lighthouse on the citizen's form page, as a phone sees it: the default (mobile) config of
 * Lighthouse 12.2.3 (pinned; the last line that runs on Node 20): a Moto G Power-sized screen,
 * simulated slow 4G and a 4× slower CPU. Prints the accessibility and performance scores
 * (targets: ≥ 95 and ≥ 90) and the page's weight of each run, then the median and the lowest;
 * exits 1 when the median misses a target. One unscored warm-up run goes first: a fresh
 * Chromium's first page load carries its own start-up work as long tasks (measured: a total
 * blocking time of 855 ms on the first run, 5–50 ms on the next ones, on the shared machine).
 *
 *   npm run bench:lighthouse [-- --path /lapor --runs 3 --lang id]
 *
 * Starts the embedded system (in-process bus, PGlite in a temporary folder) and the installed
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium) through chrome-launcher, both on loopback.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbedded } from '../test/support/system';

const TARGETS = { accessibility: 95, performance: 90 };

// Lighthouse and chrome-launcher are ES modules; this file runs as CommonJS (swc-node), whose
// compiled import() would become require(). A fresh function per run keeps V8 from reusing one.
const importEsm = new Function('specifier', `return import(specifier); // ${randomUUID()}`) as <T>(specifier: string) => Promise<T>;

interface LighthouseResult {
  lhr: {
    lighthouseVersion: string;
    categories: Record<string, { score: number | null }>;
    audits: Record<string, { score: number | null; title: string; numericValue?: number; displayValue?: string }>;
    configSettings: { formFactor: string; throttlingMethod: string };
  };
}
type Lighthouse = (url: string, flags: Record<string, unknown>) => Promise<LighthouseResult | undefined>;
type ChromeLauncher = { launch(options: { chromePath: string; chromeFlags: string[] }): Promise<{ port: number; kill(): Promise<void> }> };

async function main() {
  const { values } = parseArgs({ options: { path: { type: 'string', default: '/lapor' }, runs: { type: 'string', default: '3' }, lang: { type: 'string', default: 'id' } } });
  const runs = Math.max(1, Number(values.runs));
  const system = await startEmbedded({ DATA_DIR: mkdtempSync(join(tmpdir(), 'lapor-lighthouse-')) });
  const { default: lighthouse } = await importEsm<{ default: Lighthouse }>('lighthouse');
  const chromeLauncher = await importEsm<ChromeLauncher>('chrome-launcher');
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const url = `${system.baseUrl}${values.path}${values.path!.includes('?') ? '&' : '?'}lang=${values.lang}`;
  const scores: { accessibility: number; performance: number; fcp: number; lcp: number; tbt: number; cls: number; bytes: number }[] = [];
  try {
    await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
    for (let run = 1; run <= runs; run++) {
      const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility', 'performance'] });
      if (!result) throw new Error('Lighthouse returned no result');
      const { lhr } = result;
      const failing = Object.values(lhr.audits).filter((a) => a.score !== null && a.score < 1 && !('numericValue' in a)).map((a) => a.title);
      const s = {
        accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
        performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
        fcp: Math.round(lhr.audits['first-contentful-paint'].numericValue ?? NaN),
        lcp: Math.round(lhr.audits['largest-contentful-paint'].numericValue ?? NaN),
        tbt: Math.round(lhr.audits['total-blocking-time'].numericValue ?? NaN),
        cls: Number((lhr.audits['cumulative-layout-shift'].numericValue ?? NaN).toFixed(3)),
        bytes: Math.round(lhr.audits['total-byte-weight'].numericValue ?? NaN),
      };
      scores.push(s);
      console.log(`run ${run}/${runs} (Lighthouse ${lhr.lighthouseVersion}, ${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod} throttling): accessibility ${s.accessibility}, performance ${s.performance}; FCP ${s.fcp} ms, LCP ${s.lcp} ms, TBT ${s.tbt} ms, CLS ${s.cls}, ${s.bytes} bytes transferred`);
      if (failing.length) console.log(`  audits not passed: ${failing.join('; ')}`);
    }
  } finally {
    await chrome.kill();
    await system.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const of = (category: keyof typeof TARGETS) => ({ median: median(scores.map((s) => s[category])), lowest: Math.min(...scores.map((s) => s[category])) });
  const accessibility = of('accessibility');
  const performance = of('performance');
  console.log(
    `${url.replace(system.baseUrl, '')}, ${runs} runs: accessibility median ${accessibility.median}, lowest ${accessibility.lowest} (target ≥ ${TARGETS.accessibility}); ` +
      `performance median ${performance.median}, lowest ${performance.lowest} (target ≥ ${TARGETS.performance})`,
  );
  process.exitCode = accessibility.median >= TARGETS.accessibility && performance.median >= TARGETS.performance ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
