import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { base32Decode, totpCode } from '../../src/auth/index.ts';
import { ROOT, StewardServer, setPluginState, steward, TEST_PLUGINS } from '../helpers/steward-server.ts';
import { launchChromium } from './helpers/browser.ts';
import { addUser } from './helpers/dashboard.ts';

/** The dashboard in real Chromium against a real `steward serve`; screenshots in test-artifacts/. */
const SHOTS = join(ROOT, 'test-artifacts', 'dashboard');
const PASSWORD = 'night shift at 3 am';
let server: StewardServer;
let closeBrowser: () => Promise<void>;
let page: Page;
const pageErrors: string[] = [];
const state = () => join(server.dir, 'disk');

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = new StewardServer('');
  setPluginState(state(), 0, 'DISK OK - 42% used|used=42%;80;90;0;100 free=58%;;;0;100');
  server.writeSpec(`
deployment: browser
operatorNetworks: [127.0.0.0/8]
pluginDirs: [${TEST_PLUGINS}]
defaults: { interval: 1h, maxAttempts: 1 }
environments:
  - name: prod
    hosts:
      - name: app-1
        address: 127.0.0.1
        checks:
          - { name: disk, plugin: { command: check_from_file, args: ["${state()}"] } }
  - name: dev
    hosts:
      - name: dev-1
        address: 127.0.0.1
        checks:
          - { name: disk, plugin: { command: check_from_file, args: ["${state()}"] } }
`);
  await server.start();
  addUser(server, 'ops', PASSWORD, '*=admin');
  await server.post('/api/v1/recheck', { host: 'app-1', service: 'disk' });
  await server.waitForService('app-1', 'disk', (s) => s.checked);
  const { context, close } = await launchChromium();
  closeBrowser = close;
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await closeBrowser?.();
  await server.cleanup();
});

const url = (path: string) => `https://127.0.0.1:${server.port}${path}`;

test('sign in: password, then TOTP enrolment from the QR page, recovery codes, the overview', async () => {
  await page.goto(url('/'));
  assert.match(page.url(), /\/login$/);
  await page.screenshot({ path: join(SHOTS, '01-login.png') });
  await page.fill('input[name=user]', 'ops');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/enrol$/);
  assert.equal(await page.locator('svg.qr').count(), 1);
  await page.screenshot({ path: join(SHOTS, '02-enrol.png') });
  const secret = (await page.locator('code.secret').textContent()) ?? '';
  await page.fill('input[name=code]', totpCode(base32Decode(secret), Date.now()));
  await page.click('button[type=submit]');
  await page.waitForSelector('#recovery-codes li');
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await page.click('text=Continue to the dashboard');
  await page.waitForSelector('main[data-ready="true"]');
  assert.match((await page.locator('#problems').textContent()) ?? '', /No unhandled problems/);
  await page.screenshot({ path: join(SHOTS, '03-overview-ok.png'), fullPage: true });
});

test('a problem appears live (server-sent events) when the plugin turns CRITICAL, without a reload', async () => {
  await page.waitForSelector('#live.on');
  await page.evaluate(() => {
    (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  setPluginState(state(), 2, 'DISK CRITICAL - 97% used|used=97%;80;90;0;100 free=3%;;;0;100');
  const r = await server.post('/api/v1/recheck', { host: 'app-1', service: 'disk' });
  assert.equal(r.status, 202);
  await page.waitForSelector('#problems a:text("disk")', { timeout: 10_000 });
  assert.equal(
    await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    true,
  );
  assert.match((await page.locator('#problems').textContent()) ?? '', /CRITICAL.*app-1|app-1.*CRITICAL/s);
  await page.screenshot({ path: join(SHOTS, '04-overview-problem.png'), fullPage: true });
});

test('acknowledge it and schedule a downtime from the service page', async () => {
  await page.click('#problems a:text("disk")');
  await page.waitForSelector('main[data-ready="true"]');
  await page.fill('form[data-action=ack] input[name=comment]', 'on it, cleaning /var/log');
  await page.click('form[data-action=ack] button');
  await page.waitForSelector('text=acknowledged');
  await page.fill('form[data-action=downtime] input[name=duration]', '1h');
  await page.fill('form[data-action=downtime] input[name=comment]', 'disk resize');
  await page.click('form[data-action=downtime] button');
  await page.waitForSelector('text=(in effect)');
  const svc = await server.service('app-1', 'disk');
  assert.equal(svc.acknowledged, true);
  assert.equal(svc.inDowntime, true);
  await page.screenshot({ path: join(SHOTS, '05-service.png'), fullPage: true });
  const audit = await server.get('/api/v1/audit?outcome=ok');
  const actions = audit.body.entries
    .filter((e: { actor: string }) => e.actor === 'ops')
    .map((e: { action: string }) => e.action);
  assert.ok(actions.includes('ack') && actions.includes('downtime'), actions.join());
});

test('a graph with several series (uPlot), and the range buttons', async () => {
  await page.waitForSelector('#graphs .uplot canvas', { timeout: 10_000 });
  const legend = (await page.locator('#graphs .u-legend').first().textContent()) ?? '';
  assert.match(legend, /used/);
  assert.match(legend, /free/);
  await page.click('#graphs button[data-range="24h"]');
  await page.waitForSelector('#graphs button[data-range="24h"][aria-pressed="true"]');
  await page.waitForSelector('#graphs .uplot canvas');
  await page.screenshot({ path: join(SHOTS, '06-graph.png'), fullPage: true });
  await page.goto(url('/graphs'));
  await page.click('.tree a:text("app-1")');
  await page.waitForURL(/\/graphs\?host=app-1$/);
  await page.waitForSelector('#g .graph[data-graph="check:disk:%"] canvas');
  await page.goto(url('/services'));
  await page.waitForSelector('main[data-ready="true"]');
  await page.fill('#q', 'dev-1');
  assert.equal(await page.locator('.vrow').count(), 1);
  await page.screenshot({ path: join(SHOTS, '07-services.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(url('/'));
  await page.waitForSelector('main[data-ready="true"]');
  await page.screenshot({ path: join(SHOTS, '08-phone-dark.png'), fullPage: true });
  assert.deepEqual(pageErrors, [], 'no script errors on any page');
});

test('availability report: the dashboard page, CSV, and a PDF printed by Chromium (steward report)', async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url('/reports?environment=prod'));
  await page.waitForSelector('table.availability');
  const text = (await page.locator('table.availability').textContent()) ?? '';
  assert.match(text, /disk/);
  await page.screenshot({ path: join(SHOTS, '09-report.png'), fullPage: true });
  const pdf = join(server.dir, 'report.pdf');
  const csv = join(server.dir, 'report.csv');
  const r = steward([
    'report',
    '--environment',
    'prod',
    '--from=-1d',
    '--spec',
    server.specFile,
    '--data',
    server.dataDir,
    '--pdf',
    pdf,
    '--csv',
    csv,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  const line = readFileSync(csv, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('prod,app-1,disk,'));
  assert.ok(line, readFileSync(csv, 'utf8'));
  // One outage (CRITICAL since the recheck), in downtime since the downtime was scheduled.
  assert.equal(line.split(',')[8], '1');
});
