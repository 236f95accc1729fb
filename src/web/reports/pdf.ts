import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's Chromium, headless, reaching nothing on the network by itself. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Prints an HTML document to a PDF file with Chromium (playwright-core drives it; a fresh profile
 * directory each time). playwright-core is loaded only here, so the server never needs it.
 */
export async function printPdf(html: string, file: string): Promise<void> {
  const { chromium } = await import('playwright-core').catch(() => {
    throw new Error(
      'PDF reports need playwright-core (npm install) and Chromium at /usr/bin/chromium (apt-get install chromium)',
    );
  });
  const profile = mkdtempSync(join(tmpdir(), 'steward-pdf-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: ARGS,
  });
  try {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({ path: file, format: 'A4', landscape: true, printBackground: true });
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
