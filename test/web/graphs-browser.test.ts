import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { freePort, ROOT, StewardServer } from '../helpers/steward-server.ts';
import { COMMUNITY, type Snmpd, startSnmpd } from '../probes-snmp/snmpd-peer.ts';
import { launchChromium } from './helpers/browser.ts';
import { signInFirstTime } from './helpers/chromium-sign-in.ts';
import { addUser } from './helpers/dashboard.ts';

/**
 * A host fed by the real snmpd (CPU, load, memory, swap, disks, interfaces) and the real
 * prometheus-node-exporter (a counter): its graphs through the dashboard's API and in Chromium.
 * Screenshots in test-artifacts/graphs/.
 */
const SHOTS = join(ROOT, 'test-artifacts', 'graphs');
const PASSWORD = 'graphs at three in the morning';
const EXPORTER = '/usr/bin/prometheus-node-exporter';
let agent: Snmpd;
let exporter: ChildProcess;
let server: StewardServer;
let page: Page;
let closeBrowser: () => Promise<void>;
const pageErrors: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  agent = await startSnmpd();
  const exporterPort = await freePort();
  exporter = spawn(
    EXPORTER,
    [`--web.listen-address=127.0.0.1:${exporterPort}`, '--collector.disable-defaults', '--collector.netdev'],
    { stdio: 'ignore' },
  );
  server = new StewardServer('');
  server.writeSpec(`
deployment: graphs
operatorNetworks: [127.0.0.0/8]
defaults: { interval: 2s, maxAttempts: 1, timeout: 5s }
environments:
  - name: prod
    hosts:
      - name: snmp-1
        address: 127.0.0.1
        roles: [app]
        snmp: { version: "2c", community: "${COMMUNITY}", port: ${agent.port} }
        checks:
          - { name: cpu, snmp: { metric: cpu.usage } }
          - { name: disks, snmp: { metric: "disk.*.used_percent" } }
          - name: lo-traffic
            prometheus: { url: "http://127.0.0.1:${exporterPort}/metrics", metric: node_network_receive_bytes_total, aggregate: sum }
roles:
  app:
    checks:
      - { name: memory, snmp: { metric: memory.used_percent } }
`);
  await server.start();
  addUser(server, 'ops', PASSWORD, '*=admin');
  // Rates (interface traffic) need two polls, a counter's rate two graph buckets (6 s wide over
  // 1 h): wait until both series span 15 s (bounded).
  const deadline = Date.now() + 90_000;
  const spans = (series: { name: string; first: string | null; last: string | null }[], name: string) =>
    series
      .filter((s) => s.name === name && s.first && s.last)
      .some((s) => Date.parse(s.last!) - Date.parse(s.first!) >= 15_000);
  for (;;) {
    const series = (await server.get('/api/v1/metrics/series?host=snmp-1')).body.series ?? [];
    if (spans(series, 'snmp_if_in_bytes_per_second') && spans(series, 'node_network_receive_bytes_total'))
      break;
    if (Date.now() > deadline)
      throw new Error(
        `no 15 s of rates after 90 s: ${JSON.stringify(series).slice(0, 2000)}\n${server.logs.slice(-3000)}`,
      );
    await sleep(500);
  }
  const { context, close } = await launchChromium();
  closeBrowser = close;
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await closeBrowser?.();
  await server?.cleanup();
  exporter?.kill();
  await agent?.stop();
});

const url = (path: string) => `https://127.0.0.1:${server.port}${path}`;

test('sign in (password + TOTP enrolment)', async () => {
  await signInFirstTime(page, url(''), 'ops', PASSWORD);
});

test('API: the graph tree per environment and role, and the host default graphs with data points', async () => {
  const tree = await (await page.request.get(url('/ui/api/graph-tree'))).json();
  assert.deepEqual(tree, { environments: [{ name: 'prod', roles: [{ name: 'app', hosts: ['snmp-1'] }] }] });
  const d = await (await page.request.get(url('/ui/api/graphs?host=snmp-1'))).json();
  const ids = d.graphs.map((g: { id: string }) => g.id);
  for (const id of [
    'summary',
    'cpu',
    'load',
    'memory',
    'disk',
    'net:lo',
    'metric:node_network_receive_bytes_total',
  ])
    assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
  const graph = (id: string) => d.graphs.find((g: { id: string }) => g.id === id);
  const range = async (lines: { key: string; rate?: boolean }[]) => {
    const qs = lines.map((l) => `${l.rate ? 'rate' : 'key'}=${encodeURIComponent(l.key)}`).join('&');
    const r = await page.request.get(
      url(`/ui/api/range?${qs}&from=${Date.now() - 3_600_000}&to=${Date.now()}`),
    );
    assert.equal(r.status(), 200);
    return (await r.json()).series as {
      key: string;
      rate: boolean;
      resolution: string;
      points: number[][];
    }[];
  };
  for (const id of ['cpu', 'memory', 'disk', 'net:lo']) {
    const series = await range(graph(id).lines);
    assert.equal(series.length, graph(id).lines.length, id);
    assert.ok(
      series.every((s) => s.points.length > 0 && s.resolution === 'raw'),
      `${id}: ${JSON.stringify(series)}`,
    );
  }
  const cpu = (await range(graph('cpu').lines))[0]!;
  assert.ok(
    cpu.points.every((p) => p[1]! >= 0 && p[1]! <= 100),
    'CPU in %',
  );
  // The exporter's counter is drawn as a rate: bytes per second, never negative.
  const counter = graph('metric:node_network_receive_bytes_total');
  assert.equal(counter.unit, 'B/s');
  const rate = (await range(counter.lines))[0]!;
  assert.equal(rate.rate, true);
  assert.ok(rate.points.length > 0 && rate.points.every((p) => p[1]! >= 0), JSON.stringify(rate));
  // A host nobody declared (or one in an environment without a role) is a 404 with a way on.
  const missing = await page.request.get(url('/ui/api/graphs?host=nope'));
  assert.equal(missing.status(), 404);
  assert.match((await missing.json()).message, /graph tree/);
});

test('Chromium: from the host page to its graphs; CPU, memory and disk render with data points', async () => {
  await page.goto(url('/object?id=snmp-1'));
  await page.waitForSelector('main[data-ready="true"]');
  await page.click('#host-graphs');
  await page.waitForURL(/\/graphs\?host=snmp-1$/);
  for (const id of [
    'summary',
    'cpu',
    'memory',
    'disk',
    'net:lo',
    'metric:node_network_receive_bytes_total',
  ]) {
    await page.waitForSelector(`.graph[data-graph="${id}"][data-points] canvas`, { timeout: 15_000 });
    const points = Number(await page.getAttribute(`.graph[data-graph="${id}"]`, 'data-points'));
    assert.ok(points > 0, `${id}: ${points} points`);
  }
  const legend = (await page.locator('.graph[data-graph="summary"] .u-legend').textContent()) ?? '';
  assert.match(legend, /CPU/);
  assert.match(legend, /memory/);
  assert.match(legend, /disk \//);
  assert.match((await page.locator('.tree').textContent()) ?? '', /prod.*app.*snmp-1/s);
  await page.screenshot({ path: join(SHOTS, '01-host-graphs-1h.png') });
  await page.screenshot({ path: join(SHOTS, '01-host-graphs-1h-full.png'), fullPage: true });
  // Another range is served from the matching resolution and still draws.
  await page.click('button[data-range="7d"]');
  await page.waitForSelector('button[data-range="7d"][aria-pressed="true"]');
  await page.waitForSelector('.graph[data-graph="cpu"][data-resolution="5m"] canvas');
  // Recent points not rolled up yet come from raw samples, so the 7-day graph is not empty.
  assert.ok(Number(await page.getAttribute('.graph[data-graph="cpu"]', 'data-points')) > 0);
  await page.screenshot({ path: join(SHOTS, '02-host-graphs-7d.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 800 });
  await page.reload();
  await page.waitForSelector('.graph[data-graph="cpu"][data-points] canvas');
  await page.screenshot({ path: join(SHOTS, '03-host-graphs-phone-dark.png'), fullPage: true });
  assert.deepEqual(pageErrors, [], 'no script errors');
});

test("a role's branch: the same graph of each of its hosts (API and Chromium)", async () => {
  const r = await (
    await page.request.get(url('/ui/api/role-graphs?environment=prod&role=app&graph=cpu'))
  ).json();
  assert.deepEqual(
    r.graphs.map((g: { host: string; id: string }) => [g.host, g.id]),
    [['snmp-1', 'snmp-1:cpu']],
  );
  assert.deepEqual(r.without, []);
  const bad = await page.request.get(url('/ui/api/role-graphs?environment=prod&role=app&graph=nonsense'));
  assert.equal(bad.status(), 404);
  assert.match((await bad.json()).message, /summary, cpu/);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(url('/graphs'));
  await page.click('.tree a.role:text("app")');
  await page.waitForSelector('.graph[data-graph="snmp-1:summary"][data-points] canvas');
  await page.click('.graph-choice a:text("disk")');
  await page.waitForSelector('.graph[data-graph="snmp-1:disk"][data-points] canvas');
  assert.ok(Number(await page.getAttribute('.graph[data-graph="snmp-1:disk"]', 'data-points')) > 0);
  await page.screenshot({ path: join(SHOTS, '04-role-disk.png') });
  assert.deepEqual(pageErrors, [], 'no script errors');
});
