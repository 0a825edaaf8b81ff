import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from './dev-env.js';

/**
 * Chromium from the distribution's packages (`apt-get install chromium`), driven by
 * playwright-core: browser downloads are not possible here, so CHROMIUM_PATH or the usual
 * system paths decide which binary runs. Headless; no sandbox, since tests may run as root.
 */
export async function launchChromium(): Promise<Browser> {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => Boolean(p),
  );
  const executablePath = candidates.find((p) => existsSync(p));
  if (!executablePath) throw new Error(`no Chromium found (tried ${candidates.join(', ')}); apt-get install chromium`);
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Where screenshots go: SCREENSHOT_DIR, or .run/screenshots (git-ignored). */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.join(REPO_ROOT, '.run', 'screenshots');

/** Saves a full-page screenshot named after the test step, and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Signs in through the console's button, the gateway's cookie-mode login and the local OpenID
 * provider's form, as a person would; resolves once the console has loaded again at /admin.
 */
export async function signInInBrowser(page: Page, gatewayUrl: string, email: string, name: string): Promise<void> {
  await page.goto(`${gatewayUrl}/admin`);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${gatewayUrl}/admin`);
}
