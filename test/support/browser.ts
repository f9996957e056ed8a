import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

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
