/**
 * Prometheus bench: the same scrape workload through `steward serve` and Prometheus 2 (Debian's
 * `prometheus`), one after the other on the same loopback targets (bench/prometheus-targets.ts):
 * TARGETS pages of ~1,000 series scraped every 5 s. For each: scrapes/s answered by the targets,
 * samples ingested/s (the system's own counter), CPU cores, peak RSS, bytes on disk after the run,
 * and the latency of two range queries over the last 10 minutes sent to each system's own
 * /api/v1/query_range with the same PromQL: one raw series, and a sum(rate(...)) over 200 series.
 *
 * Workload difference, by design of Steward's check kind: a `prometheus:` check stores the series
 * it selects (at most 200), so Steward stores a target's 1,000 series with five checks (one per
 * family) and therefore fetches each page five times per interval where Prometheus fetches once.
 * Both end up storing the same samples; the report gives fetches and samples separately.
 *
 *   node bench/prometheus.ts [--targets=20] [--measure=30]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, StewardServer, tempDir } from '../test/helpers/steward-server.ts';
import { duBytes, treeUsage } from './process-tree.ts';
import {
  FAMILIES,
  FAMILY_RATE_PER_S,
  type ScrapeTargets,
  SERIES_PER_TARGET,
  startScrapeTargets,
} from './prometheus-targets.ts';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
const INTERVAL_S = 5;
const SINGLE_QUERY = 'bench_f0_total{target="t0",device="d7"}';
const RATE_QUERY = 'sum(rate(bench_f0_total{target="t0"}[1m]))';

export interface SystemResult {
  system: string;
  version: string;
  scrapes_per_s: number;
  /** Pages fetched per target and interval (Steward: one per check). */
  fetches_per_target_interval: number;
  samples_per_s: number;
  cpu_cores: number;
  rss_mb: number;
  disk_mb: number;
  /** Series the system reports holding after the run (its own gauge). */
  stored_series: number;
  query_single_ms: { p50: number; p99: number; points: number };
  query_rate_ms: { p50: number; p99: number; value: number | null };
}

export interface PrometheusBenchResult {
  targets: number;
  series_per_target: number;
  interval_s: number;
  measure_s: number;
  /** What sum(rate(...)) should answer (the targets' counters grow at a known rate). */
  expected_rate: number;
  load_avg_1m_before: number;
  steward: SystemResult;
  prometheus?: SystemResult;
  ratios?: Record<string, number | null>;
  /** TARGETS × 1,000 series / 5 s: what keeping up means. */
  offered_samples_per_s: number;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
/** a / b, or null when b is 0 (too little CPU to measure in a short run). */
const ratio = (a: number, b: number) => (b === 0 || !Number.isFinite(a / b) ? null : round(a / b, 2));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** A counter's value from a Prometheus text page (summed over its series). */
function counterValue(page: string, name: string): number {
  let total = 0;
  for (const line of page.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.split(' ').pop());
  }
  return total;
}

interface Measured {
  scrapes_per_s: number;
  samples_per_s: number;
  cpu_cores: number;
  rss_mb: number;
}

/** Warm up, then count scrapes, samples (via `samplesNow`), CPU and peak RSS over `measureS`. */
async function measure(
  pid: number,
  targets: ScrapeTargets,
  samplesNow: () => Promise<number>,
  warmupS: number,
  measureS: number,
): Promise<Measured> {
  await sleep(warmupS * 1000);
  const samples0 = await samplesNow();
  const u0 = treeUsage(pid);
  targets.reset();
  const t0 = performance.now();
  let rssMax = u0.rssBytes;
  const until = Date.now() + measureS * 1000;
  while (Date.now() < until) {
    await sleep(Math.min(1000, Math.max(0, until - Date.now())));
    rssMax = Math.max(rssMax, treeUsage(pid).rssBytes);
  }
  const scrapes = targets.scrapes();
  const u1 = treeUsage(pid);
  const elapsed = (performance.now() - t0) / 1000;
  const samples1 = await samplesNow();
  return {
    scrapes_per_s: round(scrapes / elapsed),
    samples_per_s: Math.round((samples1 - samples0) / elapsed),
    cpu_cores: round((u1.ticks - u0.ticks) / 100 / elapsed, 2),
    rss_mb: round(rssMax / 1048576),
  };
}

/** Runs `query_range` `runs` times over the last 10 min with a 15 s step; latency and the answer. */
async function timeQueries(
  rangeQuery: (query: string, start: number, end: number, step: number) => Promise<any>,
  runs: number,
): Promise<Pick<SystemResult, 'query_single_ms' | 'query_rate_ms'>> {
  const one = async (query: string) => {
    const times: number[] = [];
    let last: any;
    for (let i = 0; i < runs; i++) {
      const end = Date.now() / 1000;
      const t0 = performance.now();
      last = await rangeQuery(query, end - 600, end, 15);
      times.push(performance.now() - t0);
      if (last.status !== 'success') throw new Error(`${query}: ${JSON.stringify(last).slice(0, 300)}`);
    }
    times.sort((a, b) => a - b);
    return { p50: round(percentile(times, 50), 2), p99: round(percentile(times, 99), 2), last };
  };
  const single = await one(SINGLE_QUERY);
  const rate = await one(RATE_QUERY);
  const rateValues = rate.last.data.result[0]?.values ?? [];
  const lastRate = rateValues.length > 0 ? Number(rateValues[rateValues.length - 1][1]) : null;
  return {
    query_single_ms: {
      p50: single.p50,
      p99: single.p99,
      points: single.last.data.result[0]?.values.length ?? 0,
    },
    query_rate_ms: { p50: rate.p50, p99: rate.p99, value: lastRate === null ? null : round(lastRate) },
  };
}

function stewardSpec(ports: number[]): string {
  const checks = Array.from(
    { length: FAMILIES },
    (_, f) =>
      `          - { name: f${f}, prometheus: { url: "http://127.0.0.1:{{port}}/metrics", metric: bench_f${f}_total, aggregate: sum } }`,
  );
  const hosts = ports.map((port, i) =>
    [
      `      - name: t${i}`,
      '        address: 127.0.0.1',
      '        checks:',
      ...checks.map((c) => c.replace('{{port}}', String(port))),
    ].join('\n'),
  );
  return [
    'deployment: bench',
    'operatorNetworks: [127.0.0.0/8]',
    `defaults: { interval: ${INTERVAL_S}s, retryInterval: ${INTERVAL_S}s, timeout: 4s }`,
    'environments:',
    '  - name: bench',
    '    hosts:',
    ...hosts,
    '',
  ].join('\n');
}

async function runSteward(
  targets: ScrapeTargets,
  warmupS: number,
  measureS: number,
  queryRuns: number,
): Promise<SystemResult> {
  const server = new StewardServer(stewardSpec(targets.ports), tempDir('steward-bench-prom-'));
  try {
    await server.start();
    const pid = server.child!.pid!;
    // steward_store_raw_samples is refreshed at most every 10 s; the checks counter is live.
    const checksNow = async () => counterValue((await server.get('/metrics')).body, 'steward_checks_total');
    const m = await measure(pid, targets, checksNow, warmupS, measureS);
    const result = await timeQueries(async (query, start, end, step) => {
      const qs = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) });
      return (await server.get(`/prometheus/api/v1/query_range?${qs}`)).body;
    }, queryRuns);
    const version = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')).version;
    const page: string = (await server.get('/metrics')).body;
    return {
      system: 'steward',
      version,
      ...m,
      // Every check stores the 200 series of its family.
      samples_per_s: Math.round(m.samples_per_s * (SERIES_PER_TARGET / FAMILIES)),
      fetches_per_target_interval: FAMILIES,
      disk_mb: round(duBytes(server.dataDir) / 1048576),
      stored_series: counterValue(page, 'steward_store_series'),
      ...result,
    };
  } finally {
    await server.cleanup();
  }
}

async function runPrometheus(
  targets: ScrapeTargets,
  warmupS: number,
  measureS: number,
  queryRuns: number,
): Promise<SystemResult> {
  const dir = tempDir('prometheus-bench-');
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${INTERVAL_S}s`,
      '  scrape_timeout: 4s',
      '  evaluation_interval: 1m',
      'scrape_configs:',
      '  - job_name: bench',
      '    static_configs:',
      `      - targets: [${targets.ports.map((p) => `"127.0.0.1:${p}"`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  let logs = '';
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1d',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`prometheus exited ${child.exitCode}:\n${logs.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`prometheus not ready after 60 s:\n${logs.slice(-2000)}`);
      try {
        if ((await fetch(`${base}/-/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    const samplesNow = async () =>
      counterValue(
        await (await fetch(`${base}/metrics`)).text(),
        'prometheus_tsdb_head_samples_appended_total',
      );
    const m = await measure(child.pid!, targets, samplesNow, warmupS, measureS);
    const result = await timeQueries(async (query, start, end, step) => {
      const qs = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) });
      return await (await fetch(`${base}/api/v1/query_range?${qs}`)).json();
    }, queryRuns);
    const build: any = await (await fetch(`${base}/api/v1/status/buildinfo`)).json();
    return {
      system: 'prometheus',
      version: build.data?.version ?? '?',
      ...m,
      fetches_per_target_interval: 1,
      disk_mb: round(duBytes(join(dir, 'data')) / 1048576),
      stored_series: counterValue(
        await (await fetch(`${base}/metrics`)).text(),
        'prometheus_tsdb_head_series',
      ),
      ...result,
    };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPrometheus(
  opts: {
    targets?: number;
    warmupS?: number;
    measureS?: number;
    queryRuns?: number;
    log?: (m: string) => void;
  } = {},
): Promise<PrometheusBenchResult> {
  const count = opts.targets ?? 20;
  const warmupS = opts.warmupS ?? 2 * INTERVAL_S;
  const measureS = opts.measureS ?? 60;
  const queryRuns = opts.queryRuns ?? 20;
  const log = opts.log ?? (() => {});
  const targets = await startScrapeTargets(count);
  const load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  try {
    log(
      `prometheus bench: steward serve, ${count} targets × ${SERIES_PER_TARGET} series every ${INTERVAL_S}s`,
    );
    const steward = await runSteward(targets, warmupS, measureS, queryRuns);
    log(JSON.stringify(steward));
    const result: PrometheusBenchResult = {
      targets: count,
      series_per_target: SERIES_PER_TARGET,
      interval_s: INTERVAL_S,
      measure_s: measureS,
      expected_rate: FAMILY_RATE_PER_S,
      offered_samples_per_s: (count * SERIES_PER_TARGET) / INTERVAL_S,
      load_avg_1m_before: load,
      steward,
    };
    if (!existsSync(PROMETHEUS_BIN)) {
      log('prometheus not installed (apt-get install prometheus): no Prometheus ratio this run');
      return result;
    }
    log(`prometheus bench: Prometheus, same targets`);
    const prometheus = await runPrometheus(targets, warmupS, measureS, queryRuns);
    log(JSON.stringify(prometheus));
    result.prometheus = prometheus;
    result.ratios = {
      samples_per_s: ratio(steward.samples_per_s, prometheus.samples_per_s),
      cpu_per_sample: ratio(
        steward.cpu_cores / steward.samples_per_s,
        prometheus.cpu_cores / prometheus.samples_per_s,
      ),
      rss: ratio(steward.rss_mb, prometheus.rss_mb),
      disk: ratio(steward.disk_mb, prometheus.disk_mb),
      query_single_p50: ratio(steward.query_single_ms.p50, prometheus.query_single_ms.p50),
      query_rate_p50: ratio(steward.query_rate_ms.p50, prometheus.query_rate_ms.p50),
    };
    return result;
  } finally {
    await targets.close();
  }
}

if (import.meta.main) {
  const arg = (name: string): number | undefined => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.slice(name.length + 3)) : undefined;
  };
  const result = await benchPrometheus({
    targets: arg('targets'),
    measureS: arg('measure'),
    log: (m) => process.stderr.write(`[bench] ${m}\n`),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
