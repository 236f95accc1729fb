import type { Page } from 'playwright-core';
import { base32Decode, totpCode } from '../../../src/auth/index.ts';

/** A new user's first sign-in in the browser: password, TOTP enrolment from the page, the dashboard. */
export async function signInFirstTime(
  page: Page,
  origin: string,
  user: string,
  password: string,
): Promise<void> {
  await page.goto(`${origin}/`);
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/enrol$/);
  const secret = (await page.locator('code.secret').textContent()) ?? '';
  await page.fill('input[name=code]', totpCode(base32Decode(secret), Date.now()));
  await page.click('button[type=submit]');
  await page.click('text=Continue to the dashboard');
  await page.waitForSelector('main[data-ready="true"]');
}
