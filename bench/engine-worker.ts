// One engine workload in its own process, so its CPU and memory are its own. Prints one JSON line.
//   node bench/engine-worker.ts '{"kind":"tcp","services":10000,"intervalMs":5000,"warmupMs":10000,"measureMs":20000,"port":1234}'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tuneHeapForLongRunningServer } from '../src/cli/heap-tuning.ts';
import type { Deployment, HostModel, ServiceModel } from '../src/core/index.ts';
import { Engine } from '../src/engine/index.ts';
import { silentLogger } from '../src/log/index.ts';
import { defaultPluginSpawners, PluginSpawnerPool, usePluginSpawnerPool } from '../src/probes/index.ts';
import { openSqliteStore } from '../src/store/index.ts';

tuneHeapForLongRunningServer(); // as steward serve does

interface WorkerArgs {
  kind: 'tcp' | 'plugin';
  services: number;
  intervalMs: number;
  warmupMs: number;
  measureMs: number;
  port?: number;
  concurrency?: number;
  /** Plugin spawner processes; default as `steward serve` (2 per CPU, at most 4); 0 forks in-process. */
  spawners?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const timing = {
  intervalMs: args.intervalMs,
  retryIntervalMs: args.intervalMs,
  maxAttempts: 3,
  timeoutMs: 10_000,
};
const flap = { enabled: true, lowThreshold: 20, highThreshold: 30 };
const hostsCount = Math.max(1, Math.ceil(args.services / 100));
const hosts: HostModel[] = Array.from({ length: hostsCount }, (_, i) => ({
  kind: 'host',
  id: `h${i}`,
  name: `h${i}`,
  environment: 'bench',
  address: '127.0.0.1',
  roles: [],
  parents: [],
  labels: {},
  probe: null,
  timing,
  timeoutState: 2,
  flap,
}));
const services: ServiceModel[] = Array.from({ length: args.services }, (_, i) => {
  const host = `h${i % hostsCount}`;
  return {
    kind: 'service',
    id: `${host}/s${i}`,
    host,
    name: `s${i}`,
    environment: 'bench',
    labels: {},
    probe:
      args.kind === 'tcp'
        ? { kind: 'tcp', host: '127.0.0.1', port: args.port! }
        : { kind: 'plugin', command: 'check_dummy', args: ['0', 'ok'] },
    timing,
    timeoutState: 2,
    flap,
  };
});
const deployment: Deployment = {
  name: 'bench',
  operatorNetworks: [],
  environments: [{ name: 'bench' }],
  hosts,
  services,
  pluginDirs: ['/usr/lib/nagios/plugins'],
  files: [],
};

const spawnerCount = args.spawners ?? defaultPluginSpawners();
const pool = spawnerCount > 0 ? new PluginSpawnerPool(spawnerCount) : undefined;
usePluginSpawnerPool(pool);

/**
 * CPU ticks and proportional memory (PSS: the node binary's pages are shared with the server, so
 * RSS would count them twice) of this process's spawner children: their cost counts as Steward's.
 */
function spawnerUsage(): { ticks: number; pssBytes: number } {
  // With a pool, the server's only child processes are its spawners (plugins are theirs).
  if (pool === undefined) return { ticks: 0, pssBytes: 0 };
  let ticks = 0;
  let pssBytes = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'));
      pssBytes += Number(pss?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return { ticks, pssBytes };
}

const dir = mkdtempSync(join(tmpdir(), 'steward-bench-'));
const store = openSqliteStore(dir);
const engine = new Engine({
  deployment,
  store,
  logger: silentLogger(),
  concurrency: args.concurrency ?? 512,
});
engine.start();
await sleep(args.warmupMs);
const c0 = engine.scheduler.stats.completed;
const cpu0 = process.cpuUsage();
const spawners0 = spawnerUsage();
const t0 = Date.now();
engine.telemetry.recentLatenessMs.reset();
let rssMax = 0;
let spawnerPssMax = 0;
const rssTimer = setInterval(() => {
  rssMax = Math.max(rssMax, process.memoryUsage().rss);
  spawnerPssMax = Math.max(spawnerPssMax, spawnerUsage().pssBytes);
}, 500);
await sleep(args.measureMs);
clearInterval(rssTimer);
const elapsed = (Date.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
// Linux reports process CPU in clock ticks of 1/100 s.
const spawnerCpuSeconds = (spawnerUsage().ticks - spawners0.ticks) / 100;
const done = engine.scheduler.stats.completed - c0;
const lat = engine.telemetry.recentLatenessMs;
const result = {
  system: 'steward',
  kind: args.kind,
  services: args.services,
  interval_s: args.intervalMs / 1000,
  offered_checks_per_s: args.services / (args.intervalMs / 1000),
  checks_per_s: Math.round((done / elapsed) * 10) / 10,
  lateness_ms: { p50: lat.percentile(50), p99: lat.percentile(99), max: lat.percentile(100) },
  cpu_cores: Math.round((((cpu.user + cpu.system) / 1e6 + spawnerCpuSeconds) / elapsed) * 100) / 100,
  rss_mb: Math.round((Math.max(rssMax, process.memoryUsage().rss) / 1048576) * 10) / 10,
  plugin_spawners: pool ? spawnerCount : 0,
  spawners_pss_mb: Math.round((spawnerPssMax / 1048576) * 10) / 10,
  store_bytes: store.stats().bytes,
  heap_used_mb: Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10,
  external_mb: Math.round((process.memoryUsage().external / 1048576) * 10) / 10,
};
await engine.stop();
await pool?.stop();
store.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
