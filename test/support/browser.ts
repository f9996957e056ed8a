import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { Browser, chromium, Page } from 'playwright-core';

/**
 * Headless Chromium from the OS (Debian package `chromium`; CHROMIUM_PATH to override),
 * driven by playwright-core. The flags keep it from calling out to Google's services,
 * which this network refuses.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** One axe-core finding, as the test reports it. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (https://github.com/dequelabs/axe-core, through @axe-core/playwright, which
 * works on playwright-core's pages) on the page as it is now; returns the violations of impact
 * `serious` or `critical` (WCAG 2.x A/AA rules and axe's best practices).
 */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}
