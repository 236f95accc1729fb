/**
 * Dashboard bench: a real `steward serve` with 10,000 services (5% in a problem state), driven by
 * Debian's Chromium: time to first render (first contentful paint) and to interactive (the page's
 * data rendered, data-ready) for the overview and the 10,000-row services list, how long a search
 * keystroke takes to filter the list, API latency p50/p99 under concurrent load, and server memory.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { base32Decode, totpCode } from '../src/auth/index.ts';

const STEWARD = join(import.meta.dirname, '../bin/steward.js');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface DashboardBenchResult {
  services: number;
  overview: { first_render_ms: number; interactive_ms: number };
  services_list: { first_render_ms: number; interactive_ms: number; search_ms: number; rows_json_kb: number };
  api: { concurrency: number; requests: number; per_s: number; p50_ms: number; p99_ms: number };
  server_rss_mb: { idle: number; after_load: number };
}

async function freePort(): Promise<number> {
  return await new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function benchDashboard(
  opts: { services?: number; seconds?: number; concurrency?: number } = {},
): Promise<DashboardBenchResult> {
  const total = opts.services ?? 10_000;
  const perHost = 50;
  const hosts = Math.ceil(total / perHost);
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-dashboard-'));
  const data = join(dir, 'data');
  const spec = join(dir, 'steward.yaml');
  const checks = Array.from(
    { length: perHost },
    (_, i) => `          - { name: svc-${i}, passive: {} }`,
  ).join('\n');
  const envHosts = (env: string, from: number, to: number) =>
    Array.from(
      { length: to - from },
      (_, i) =>
        `      - name: ${env}-host-${from + i}\n        address: 127.0.0.1\n        checks:\n${checks}`,
    ).join('\n');
  writeFileSync(
    spec,
    `deployment: bench\noperatorNetworks: [127.0.0.0/8]\nenvironments:\n  - name: prod\n    hosts:\n${envHosts('prod', 0, hosts / 2)}\n  - name: dev\n    hosts:\n${envHosts('dev', hosts / 2, hosts)}\n`,
  );
  const port = await freePort();
  let child: ChildProcess | null = spawn(
    process.execPath,
    [STEWARD, 'serve', '--spec', spec, '--data', data, '--listen', `127.0.0.1:${port}`],
    {
      stdio: 'ignore',
      env: { ...process.env, STEWARD_LOG_LEVEL: 'warn' },
    },
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let ca = '';
  const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }>(
      (done, fail) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            ca,
            agent,
            headers: { ...(body ? { 'content-length': Buffer.byteLength(body) } : {}), ...headers },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => (text += c));
            res.on('end', () => done({ status: res.statusCode ?? 0, text, headers: res.headers }));
          },
        );
        req.on('error', fail);
        if (body) req.write(body);
        req.end();
      },
    );
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'steward-bench-chromium-'));
  try {
    for (let i = 0; i < 600; i++) {
      try {
        ca = readFileSync(join(data, 'tls/cert.pem'), 'utf8');
        if ((await call('GET', '/healthz')).status === 200) break;
      } catch {
        await sleep(100);
      }
    }
    const cli = (args: string[], input?: string) =>
      spawnSync(process.execPath, [STEWARD, ...args, '--data', data], { input, encoding: 'utf8' });
    const token = cli(['token', 'create', '--name', 'bench']).stdout.trim();
    cli(['user', 'add', 'bench', '--role', '*=admin'], 'bench password 123\n');
    // Results for every service: 5% CRITICAL or WARNING, all with perfdata.
    const results = [];
    let n = 0;
    for (const env of ['prod', 'dev']) {
      const [a, b] = env === 'prod' ? [0, hosts / 2] : [hosts / 2, hosts];
      for (let h = a; h < b; h++) {
        for (let s = 0; s < perHost; s++, n++) {
          const bad = n % 20 === 0;
          results.push({
            host: `${env}-host-${h}`,
            service: `svc-${s}`,
            state: bad ? (n % 40 === 0 ? 'CRITICAL' : 'WARNING') : 'OK',
            output: bad ? 'problem' : 'fine',
            perfdata: `value=${n % 100}`,
          });
        }
      }
    }
    for (let i = 0; i < results.length; i += 5000) {
      const r = await call('POST', '/api/v1/results', JSON.stringify(results.slice(i, i + 5000)), {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      });
      if (r.status !== 202) throw new Error(`results: ${r.status} ${r.text.slice(0, 200)}`);
    }
    // Sign in (password, TOTP enrolment) to get a session cookie for the browser and the load.
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const login = await call('POST', '/login', 'user=bench&password=bench+password+123&code=', form);
    let cookie = String(login.headers['set-cookie']).split(';', 1)[0]!;
    if (login.status !== 303) throw new Error(`login: ${login.status} ${login.text.slice(0, 300)}`);
    const enrolPage = await call('GET', '/enrol', undefined, { cookie });
    const secret = /<code class="secret">([^<]+)<\/code>/.exec(enrolPage.text)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(enrolPage.text)![1]!;
    const enrolled = await call(
      'POST',
      '/enrol',
      `_csrf=${encodeURIComponent(csrf)}&code=${totpCode(base32Decode(secret), Date.now())}`,
      { ...form, cookie },
    );
    cookie = String(enrolled.headers['set-cookie']).split(';', 1)[0]!;
    const idle = rssMb(child.pid!);

    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 900 },
    });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([
      { name, value, url: `https://127.0.0.1:${port}/`, secure: true, httpOnly: true, sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    const measure = async (path: string) => {
      await page.goto(`https://127.0.0.1:${port}${path}`);
      await page.waitForSelector('main[data-ready="true"]', { timeout: 60_000 });
      return await page.evaluate(() => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
        return { first_render_ms: Math.round(fcp), interactive_ms: Math.round(performance.now()) };
      });
    };
    await measure('/'); // warm-up: caches, JIT
    const overview = await measure('/');
    const list = await measure('/services');
    // A string, evaluated in the page (the bench is typed for Node, not the DOM).
    const search = (await page.evaluate(`(async () => {
      const q = document.getElementById('q');
      const t0 = performance.now();
      q.value = 'prod-host-7';
      q.dispatchEvent(new Event('input'));
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return Math.round((performance.now() - t0) * 10) / 10;
    })()`)) as number;
    const rowsKb = Math.round(
      Buffer.byteLength((await call('GET', '/ui/api/objects?kind=service', undefined, { cookie })).text) /
        1024,
    );
    await context.close();

    // Concurrent load on the overview and the object JSON the pages read.
    const concurrency = opts.concurrency ?? 16;
    const until = Date.now() + (opts.seconds ?? 10) * 1000;
    const latencies: number[] = [];
    const paths = [
      '/ui/api/overview',
      `/ui/api/object?id=${encodeURIComponent('prod-host-1/svc-3')}`,
      '/api/v1/hosts/prod-host-2',
    ];
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        for (let i = w; Date.now() < until; i++) {
          const t0 = performance.now();
          const path = paths[i % paths.length]!;
          const r = await call(
            'GET',
            path,
            undefined,
            path.startsWith('/api') ? { authorization: `Bearer ${token}` } : { cookie },
          );
          if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const seconds = opts.seconds ?? 10;
    return {
      services: total,
      overview,
      services_list: { ...list, search_ms: search, rows_json_kb: rowsKb },
      api: {
        concurrency,
        requests: latencies.length,
        per_s: Math.round(latencies.length / seconds),
        p50_ms: Math.round(percentile(latencies, 50) * 10) / 10,
        p99_ms: Math.round(percentile(latencies, 99) * 10) / 10,
      },
      server_rss_mb: { idle, after_load: rssMb(child.pid!) },
    };
  } finally {
    agent.destroy();
    child?.kill('SIGKILL');
    child = null;
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await benchDashboard({ seconds: Number(process.argv[2] ?? 5) }), null, 2));
}
