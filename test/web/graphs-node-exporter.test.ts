import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { freePort, ROOT, StewardServer } from '../helpers/steward-server.ts';
import { launchChromium } from './helpers/browser.ts';
import { signInFirstTime } from './helpers/chromium-sign-in.ts';
import { addUser } from './helpers/dashboard.ts';

/**
 * A host watched only by the real prometheus-node-exporter (a `prometheus` check with
 * `hostMetrics: true`) through a real `steward serve`: it gets the same standard graphs as an SNMP
 * host, with values that match this machine's /proc and df. Screenshot in test-artifacts/graphs/.
 */
const SHOTS = join(ROOT, 'test-artifacts', 'graphs');
const PASSWORD = 'node exporter graphs at 3 a.m.';
const EXPORTER = '/usr/bin/prometheus-node-exporter';
let exporter: ChildProcess;
let server: StewardServer;
let page: Page;
let closeBrowser: () => Promise<void>;
const pageErrors: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Jiffies in each /proc/stat cpu mode, summed over CPUs. */
function procStat(): { busy: number; total: number; at: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values.slice(0, 8).map(Number) as number[];
  const total = user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!;
  return { busy: total - idle! - iowait!, total, at: Date.now() };
}

function meminfo(field: string): number {
  const line = readFileSync('/proc/meminfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1]) * 1024;
}

let statBefore: ReturnType<typeof procStat>;
let statAfter: ReturnType<typeof procStat>;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  exporter = spawn(EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  server = new StewardServer('');
  server.writeSpec(`
deployment: node-graphs
operatorNetworks: [127.0.0.0/8]
defaults: { interval: 2s, maxAttempts: 1, timeout: 5s }
environments:
  - name: prod
    hosts:
      - name: node-1
        address: 127.0.0.1
        roles: [web]
roles:
  web:
    checks:
      - name: node-exporter
        prometheus: { url: "http://{{address}}:${port}/metrics", hostMetrics: true }
`);
  statBefore = procStat();
  await server.start();
  addUser(server, 'ops', PASSWORD, '*=admin');
  // CPU % and traffic are rates: wait until the counters span 15 s (bounded).
  const deadline = Date.now() + 90_000;
  for (;;) {
    const series: { name: string; first: string | null; last: string | null }[] =
      (await server.get('/api/v1/metrics/series?host=node-1')).body.series ?? [];
    const cpu = series.find((s) => s.name === 'node_cpu_seconds_total' && s.first && s.last);
    if (cpu && Date.parse(cpu.last!) - Date.parse(cpu.first!) >= 15_000) break;
    if (Date.now() > deadline)
      throw new Error(
        `no 15 s of node exporter series after 90 s: ${JSON.stringify(series).slice(0, 2000)}\n${server.logs.slice(-3000)}`,
      );
    await sleep(500);
  }
  statAfter = procStat();
  const { context, close } = await launchChromium();
  closeBrowser = close;
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await signInFirstTime(page, `https://127.0.0.1:${server.port}`, 'ops', PASSWORD);
});

after(async () => {
  await closeBrowser?.();
  await server?.cleanup();
  exporter?.kill();
});

const url = (path: string) => `https://127.0.0.1:${server.port}${path}`;

interface Line {
  key: string;
  label: string;
  rate?: boolean;
  of?: {
    used?: { total: string; free: string; avail?: string };
    share?: { part: string[]; whole: string[] };
  };
}
interface Graph {
  id: string;
  title: string;
  unit: string;
  lines: Line[];
}
interface Served {
  key: string;
  rate: boolean;
  resolution: string;
  points: [number, number, number, number][];
}

/** The graph's data as the dashboard asks for it (formula lines whole, as app.js sends them). */
async function range(lines: Line[]): Promise<Served[]> {
  const qs = lines
    .map((l) =>
      l.of
        ? `line=${encodeURIComponent(JSON.stringify({ key: l.key, of: l.of }))}`
        : `${l.rate ? 'rate' : 'key'}=${encodeURIComponent(l.key)}`,
    )
    .join('&');
  const r = await page.request.get(
    url(`/ui/api/range?${qs}&from=${Date.now() - 3_600_000}&to=${Date.now()}`),
  );
  assert.equal(r.status(), 200, await r.text());
  const served: Served[] = (await r.json()).series;
  // In the order asked (the answer lists plain series before formula lines).
  return lines.flatMap((l) => served.filter((s) => s.key === l.key));
}

const last = (s: Served) => s.points.at(-1)![1];

test('API: a node-exporter host gets the standard graphs, each line with data points', async () => {
  const d = await (await page.request.get(url('/ui/api/graphs?host=node-1'))).json();
  const graphs: Graph[] = d.graphs;
  const ids = graphs.map((g) => g.id);
  const nets = ids.filter((id) => id.startsWith('net:'));
  assert.deepEqual(ids, ['summary', 'cpu', 'load', 'memory', 'disk', ...nets], 'no raw leftovers');
  assert.ok(nets.length > 0 && !nets.includes('net:lo'), ids.join(' '));
  for (const g of graphs) {
    const served = await range(g.lines);
    assert.deepEqual(
      served.map((s) => s.key),
      g.lines.map((l) => l.key),
      `${g.id}: every line served`,
    );
    for (const s of served) {
      assert.ok(s.points.length > 0 && s.resolution === 'raw', `${g.id} ${s.key}: ${JSON.stringify(s)}`);
      assert.ok(
        s.points.every((p) => Number.isFinite(p[1]) && p[1] >= 0),
        `${g.id} ${s.key}: ${JSON.stringify(s.points)}`,
      );
      if (g.unit === '%')
        assert.ok(
          s.points.every((p) => p[1] <= 100),
          `${g.id} ${s.key} in %`,
        );
    }
  }
  const graph = (id: string) => graphs.find((g) => g.id === id)!;
  assert.deepEqual(
    graph('summary').lines.map((l) => l.label),
    ['CPU', 'memory', ...graph('disk').lines.map((l) => `disk ${l.label}`)],
  );
  assert.deepEqual(
    graph('cpu').lines.map((l) => l.label),
    ['busy', 'user', 'system', 'iowait', 'steal'],
  );
  assert.equal(graph(nets[0]!).unit, 'B/s');
});

test('values match this machine: CPU busy over the window, memory, df of /, MemTotal, traffic', async () => {
  const graphs: Graph[] = (await (await page.request.get(url('/ui/api/graphs?host=node-1'))).json()).graphs;
  const graph = (id: string) => graphs.find((g) => g.id === id)!;

  // CPU: the modes' counters, summed over CPUs and turned into rates, add up to one second of CPU
  // time per second per CPU, as /proc/stat's jiffies do. (Busy % itself swings with the other tests'
  // load faster than two windows can be aligned, so it is checked for range above, not for value.)
  const q = encodeURIComponent('sum(rate(node_cpu_seconds_total{host="node-1"}[15s]))');
  const cores = await server.get(`/prometheus/api/v1/query?query=${q}`);
  assert.equal(cores.status, 200, JSON.stringify(cores.body));
  const cpuSecondsPerSecond = Number(cores.body.data.result[0]?.value[1]);
  const procCores = (statAfter.total - statBefore.total) / ((statAfter.at - statBefore.at) / 1000) / 100;
  assert.ok(
    Math.abs(cpuSecondsPerSecond - procCores) / procCores < 0.15,
    `CPU seconds per second ${cpuSecondsPerSecond} vs /proc/stat ${procCores.toFixed(2)}`,
  );
  const [busy] = await range([graph('cpu').lines[0]!]);
  assert.ok(busy!.points.every((p) => p[1] >= 0 && p[1] <= 100));

  // Memory used % and the total it is computed from.
  const memoryLine = graph('memory').lines.find((l) => l.label === 'memory')!;
  const [memory, total] = await range([memoryLine, { key: memoryLine.of!.used!.total, label: 'total' }]);
  assert.equal(last(total!), meminfo('MemTotal'), 'MemTotal as /proc/meminfo says, to the byte');
  const procMemory = 100 * (1 - meminfo('MemAvailable') / meminfo('MemTotal'));
  assert.ok(Math.abs(last(memory!) - procMemory) < 5, `memory ${last(memory!)}% vs ${procMemory}%`);

  // Disk used % of / as df counts it: used / (used + available to users).
  const rootLine = graph('disk').lines.find((l) => l.label === '/')!;
  const [root] = await range([rootLine]);
  const fs = statfsSync('/');
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  const df = (100 * used) / (used + fs.bavail * fs.bsize);
  assert.ok(Math.abs(last(root!) - df) < 1, `/ ${last(root!)}% vs df ${df}%`);

  // Traffic: a rate of the device's counter, which never exceeds what the kernel counted.
  const net = graphs.find((g) => g.id.startsWith('net:'))!;
  const device = net.id.slice('net:'.length);
  const [received] = await range([{ key: net.lines[0]!.key, label: 'counter' }]);
  const kernel = readFileSync('/proc/net/dev', 'utf8')
    .split('\n')
    .find((l) => l.trim().startsWith(`${device}:`))!;
  const kernelBytes = Number(kernel.split(':')[1]!.trim().split(/\s+/)[0]);
  assert.ok(last(received!) > 0 && last(received!) <= kernelBytes, `${last(received!)} vs ${kernelBytes}`);
});

test('a bad formula line is a 400 saying what is expected', async () => {
  const r = await page.request.get(url(`/ui/api/range?line=${encodeURIComponent('{"key":"x","of":{}}')}`));
  assert.equal(r.status(), 400);
  assert.match((await r.json()).message, /neither used nor share/);
});

test('Chromium: the host page draws CPU, memory, disk and network from the node exporter', async () => {
  await page.goto(url('/graphs?host=node-1'));
  const graphs: Graph[] = (await (await page.request.get(url('/ui/api/graphs?host=node-1'))).json()).graphs;
  const net = graphs.find((g) => g.id.startsWith('net:'))!.id;
  for (const id of ['summary', 'cpu', 'load', 'memory', 'disk', net]) {
    await page.waitForSelector(`.graph[data-graph="${id}"][data-points] canvas`, { timeout: 15_000 });
    const points = Number(await page.getAttribute(`.graph[data-graph="${id}"]`, 'data-points'));
    assert.ok(points > 0, `${id}: ${points} points`);
  }
  const legend = (await page.locator('.graph[data-graph="summary"] .u-legend').textContent()) ?? '';
  assert.match(legend, /CPU.*memory.*disk \//s);
  await page.screenshot({ path: join(SHOTS, '05-node-exporter-host.png'), fullPage: true });
  // The role's branch shows the host's CPU like any SNMP host's.
  const role = await (
    await page.request.get(url('/ui/api/role-graphs?environment=prod&role=web&graph=cpu'))
  ).json();
  assert.deepEqual(role.without, []);
  assert.equal(role.graphs[0].host, 'node-1');
  assert.deepEqual(pageErrors, [], 'no script errors');
});
