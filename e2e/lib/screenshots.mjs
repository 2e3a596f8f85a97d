// Full-page screenshots for people to look at: $HUBNET_SCREENSHOTS, or target/screenshots.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './hubnet.mjs';

export const screenshotDir = path.resolve(repoRoot, process.env.HUBNET_SCREENSHOTS || 'target/screenshots');

/** Saves the whole page as <dir>/<name>.png and returns the file's path. */
export async function saveScreenshot(page, name) {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
