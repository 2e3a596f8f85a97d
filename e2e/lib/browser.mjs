// Debian's chromium, driven by playwright-core. Playwright's own browser builds are never
// downloaded (`npx playwright install` is not used): scripts/e2e installs the Debian package.

import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** The browser under test: $HUBNET_CHROMIUM, or Debian's /usr/bin/chromium. */
export const chromiumPath = process.env.HUBNET_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no browser at ${chromiumPath}: run scripts/e2e, which installs Debian's chromium`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
