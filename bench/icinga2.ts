/**
 * Icinga 2 baseline for the plugin workload: SERVICES services running `check_dummy 0 ok` every
 * INTERVAL seconds, run by Debian's icinga2 daemon from a throw-away config under /tmp (checker
 * only: notifications, event handlers, API, IDO off). Check results are counted through Icinga's
 * own GraphiteWriter with metadata on, sent to a loopback listener here: one `metadata.state` line
 * per service check result, and `metadata.latency` is Icinga's own check latency. CPU includes the
 * plugins it forked (reaped children), as the Nagios baseline counts them.
 *
 *   node bench/icinga2.ts [--services=1000] [--interval=5] [--measure=30]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../test/helpers/steward-server.ts';
import { treeUsage } from './process-tree.ts';

export const ICINGA2_BIN = '/usr/sbin/icinga2';
const CHECK_DUMMY = '/usr/lib/nagios/plugins/check_dummy';

export interface Icinga2Result {
  system: 'icinga2';
  version: string;
  services: number;
  interval_s: number;
  measure_s: number;
  offered_checks_per_s: number;
  checks_per_s: number;
  latency_ms: { p50: number; p99: number; max: number };
  cpu_cores: number;
  rss_mb: number;
}

function config(services: number, intervalS: number): string {
  const timing = `check_interval = ${intervalS}s; retry_interval = ${intervalS}s; max_check_attempts = 3`;
  return `include <itl>
object IcingaApplication "app" { enable_notifications = false; enable_event_handlers = false; enable_perfdata = true; enable_flapping = true }
object CheckerComponent "checker" { }
object GraphiteWriter "graphite" { host = "127.0.0.1"; port = GraphitePort; enable_send_metadata = true }
object CheckCommand "bench-dummy" { command = [ "${CHECK_DUMMY}", "0", "ok" ] }
object Host "h0" { check_command = "bench-dummy"; ${timing} }
for (i in range(${services})) {
  object Service "s" + i use (i) { host_name = "h0"; check_command = "bench-dummy"; ${timing} }
}
`;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function benchIcinga2(
  opts: { services?: number; intervalS?: number; measureS?: number; log?: (m: string) => void } = {},
): Promise<Icinga2Result> {
  const services = opts.services ?? 1000;
  const intervalS = opts.intervalS ?? 5;
  const measureS = opts.measureS ?? 30;
  const dir = tempDir('icinga2-bench-');
  for (const sub of ['lib', 'log', 'cache', 'spool', 'run']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'icinga2.conf'), config(services, intervalS));

  // The Graphite listener: counts service check results and collects their latency while `counting`.
  let counting = false;
  let results = 0;
  const latencies: number[] = [];
  const graphite = createServer((socket) => {
    let rest = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      if (!counting) return;
      for (const line of lines) {
        if (!line.includes('.services.')) continue;
        if (line.includes('.metadata.state ')) results++;
        else if (line.includes('.metadata.latency ')) latencies.push(Number(line.split(' ')[1]) * 1000);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => graphite.listen(0, '127.0.0.1', r));
  const graphitePort = (graphite.address() as { port: number }).port;

  let logs = '';
  const defines = {
    GraphitePort: String(graphitePort),
    RunAsUser: process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root'),
    RunAsGroup: process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root'),
    DataDir: join(dir, 'lib'),
    LogDir: join(dir, 'log'),
    CacheDir: join(dir, 'cache'),
    SpoolDir: join(dir, 'spool'),
    InitRunDir: join(dir, 'run'),
  };
  const child: ChildProcess = spawn(
    ICINGA2_BIN,
    [
      'daemon',
      '-c',
      join(dir, 'icinga2.conf'),
      '-x',
      'warning',
      ...Object.entries(defines).flatMap(([k, v]) => ['-D', `${k}=${v}`]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  try {
    // Warm up two intervals (at least 10 s) so every service has been scheduled and run once.
    const warmUntil = Date.now() + Math.max(10, 2 * intervalS) * 1000;
    while (Date.now() < warmUntil) {
      if (child.exitCode !== null) throw new Error(`icinga2 exited ${child.exitCode}:\n${logs.slice(-2000)}`);
      await sleep(500);
    }
    counting = true;
    const u0 = treeUsage(child.pid!);
    const t0 = performance.now();
    let rssMax = u0.rssBytes;
    const until = Date.now() + measureS * 1000;
    while (Date.now() < until) {
      await sleep(Math.min(1000, Math.max(0, until - Date.now())));
      rssMax = Math.max(rssMax, treeUsage(child.pid!).rssBytes);
    }
    const u1 = treeUsage(child.pid!);
    const elapsed = (performance.now() - t0) / 1000;
    counting = false;
    if (results === 0) throw new Error(`icinga2 reported no check results:\n${logs.slice(-2000)}`);
    latencies.sort((a, b) => a - b);
    const versionOut = await new Promise<string>((resolve) => {
      const v = spawn(ICINGA2_BIN, ['--version']);
      let out = '';
      v.stdout.on('data', (d) => (out += d));
      v.on('close', () => resolve(out));
    });
    return {
      system: 'icinga2',
      version: /version: r?([\w.-]+)/.exec(versionOut)?.[1] ?? '?',
      services,
      interval_s: intervalS,
      measure_s: measureS,
      offered_checks_per_s: services / intervalS,
      checks_per_s: Math.round((results / elapsed) * 10) / 10,
      latency_ms: {
        p50: Math.round(percentile(latencies, 50) * 10) / 10,
        p99: Math.round(percentile(latencies, 99) * 10) / 10,
        max: Math.round((latencies[latencies.length - 1] ?? 0) * 10) / 10,
      },
      cpu_cores: Math.round(((u1.ticks - u0.ticks) / 100 / elapsed) * 100) / 100,
      rss_mb: Math.round((rssMax / 1048576) * 10) / 10,
    };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    graphite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const haveIcinga2 = (): boolean => existsSync(ICINGA2_BIN) && existsSync(CHECK_DUMMY);

if (import.meta.main) {
  const arg = (name: string): number | undefined => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.slice(name.length + 3)) : undefined;
  };
  const result = await benchIcinga2({
    services: arg('services'),
    intervalS: arg('interval'),
    measureS: arg('measure'),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
