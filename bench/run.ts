// npm run bench [-- --quick] [-- --only=tcp,plugin,store,nagios,icinga2,gateway,backup,nrpe,snmp,alerting,dashboard,prometheus] [-- --backup-1gib]
// Runs the same workloads through Steward and, where installed, Nagios 4, Icinga 2 and Prometheus; prints ratios and writes
// JSON to bench/results/.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const only = new Set(
  (onlyArg ?? 'tcp,plugin,store,nagios,icinga2,gateway,backup,nrpe,snmp,alerting,dashboard,prometheus').split(
    ',',
  ),
);
const warmupMs = quick ? 5_000 : 10_000;
const measureMs = quick ? 10_000 : 30_000;
const NAGIOS_RUN = join(import.meta.dirname, '../../shared/baselines/nagios4/run.sh');

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function worker(args: Record<string, unknown>): Promise<Record<string, any>> {
  const { stdout } = await run(
    process.execPath,
    [join(import.meta.dirname, 'engine-worker.ts'), JSON.stringify(args)],
    {
      maxBuffer: 1 << 20,
      timeout: 600_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const results: Record<string, any> = {
  date: new Date().toISOString(),
  cores: (await import('node:os')).cpus().length,
  node: process.version,
  quick,
  steward: {},
  nagios: {},
  ratios: {},
};

// A local listener for the native TCP checks: accepts and closes, like an sshd banner-less port.
const listener = createServer((s) => s.destroy());
await new Promise<void>((r) => listener.listen(0, '127.0.0.1', 1024, r));
const port = (listener.address() as { port: number }).port;

if (only.has('tcp')) {
  for (const [services, intervalMs] of [
    [1_000, 1_000],
    [10_000, 5_000],
  ] as const) {
    log(`steward tcp: ${services} services every ${intervalMs / 1000}s`);
    const r = await worker({ kind: 'tcp', services, intervalMs, warmupMs, measureMs, port });
    results.steward[`tcp_${services}`] = r;
    log(JSON.stringify(r));
  }
}
listener.close();

const pluginWorkloads = [
  [1_000, 5_000],
  [5_000, 5_000],
] as const;
if (only.has('plugin')) {
  for (const [services, intervalMs] of pluginWorkloads) {
    log(`steward plugin (check_dummy): ${services} services every ${intervalMs / 1000}s`);
    const r = await worker({ kind: 'plugin', services, intervalMs, warmupMs, measureMs });
    results.steward[`plugin_${services}`] = r;
    log(JSON.stringify(r));
  }
}

const haveNagios = existsSync('/usr/sbin/nagios4') || existsSync('/usr/bin/nagios4');
if (only.has('nagios') && haveNagios && existsSync(NAGIOS_RUN)) {
  for (const [services, intervalMs] of pluginWorkloads) {
    log(`nagios4 plugin (check_dummy): ${services} services every ${intervalMs / 1000}s (takes ≥ 80 s)`);
    try {
      const { stdout } = await run('bash', [NAGIOS_RUN, String(services), String(intervalMs / 1000), '60'], {
        timeout: 900_000,
        maxBuffer: 1 << 20,
      });
      const r = JSON.parse(stdout.trim().split('\n').pop()!);
      results.nagios[`plugin_${services}`] = r;
      log(JSON.stringify(r));
      const s = results.steward[`plugin_${services}`];
      if (s) {
        results.ratios[`plugin_${services}`] = {
          throughput: +(s.checks_per_s / r.checks_per_s_1m).toFixed(2),
          cpu_per_check: +(s.cpu_cores / s.checks_per_s / (r.cpu_cores / r.checks_per_s_1m)).toFixed(2),
          rss: +(s.rss_mb / r.rss_mb).toFixed(2),
          latency_avg_ms: { steward: s.lateness_ms.p50, nagios: r.latency_ms.avg },
        };
      }
    } catch (err) {
      log(`nagios4 run failed: ${err instanceof Error ? err.message : err}`);
    }
  }
} else if (only.has('nagios')) {
  log('nagios4 not installed (apt-get install nagios4-core): no Nagios ratio this run');
}

if (only.has('icinga2')) {
  const { benchIcinga2, haveIcinga2 } = await import('./icinga2.ts');
  if (!haveIcinga2()) {
    log(
      'icinga2 not installed (apt-get install icinga2-bin monitoring-plugins-basic): no Icinga 2 ratio this run',
    );
  } else {
    results.icinga2 = {};
    for (const [services, intervalMs] of pluginWorkloads) {
      log(`icinga2 plugin (check_dummy): ${services} services every ${intervalMs / 1000}s`);
      try {
        const r = await benchIcinga2({ services, intervalS: intervalMs / 1000, measureS: quick ? 30 : 60 });
        results.icinga2[`plugin_${services}`] = r;
        log(JSON.stringify(r));
        const s = results.steward[`plugin_${services}`];
        if (s) {
          results.ratios[`plugin_${services}_vs_icinga2`] = {
            throughput: +(s.checks_per_s / r.checks_per_s).toFixed(2),
            cpu_per_check: +(s.cpu_cores / s.checks_per_s / (r.cpu_cores / r.checks_per_s)).toFixed(2),
            rss: +(s.rss_mb / r.rss_mb).toFixed(2),
            latency_p99_ms: { steward: s.lateness_ms.p99, icinga2: r.latency_ms.p99 },
          };
        }
      } catch (err) {
        log(`icinga2 run failed: ${err instanceof Error ? err.message : err}`);
      }
    }
  }
}

if (only.has('store')) {
  const { benchStore } = await import('./store.ts');
  const dir = mkdtempSync(join(tmpdir(), 'steward-store-bench-'));
  try {
    log('store: metrics ingest and 24 h range query with 10,000 series');
    results.steward.store = await benchStore({ series: 10_000, pointsPerSeries: quick ? 144 : 1_440, dir });
    log(JSON.stringify(results.steward.store));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (only.has('gateway')) {
  const { benchGateway } = await import('./gateway.ts');
  log(
    'gateway: 1 GiB scp/sftp through steward gateway vs OpenSSH as the jump host, setup time, 500 held sessions',
  );
  results.steward.gateway = await benchGateway({
    sizeMiB: quick ? 128 : 1024,
    setupRuns: quick ? 5 : 10,
    sessions: 500,
    log,
  });
  log(`gateway / OpenSSH jump: ${JSON.stringify(results.steward.gateway.ratios)}`);
}

if (only.has('backup')) {
  const { benchBackup } = await import('./backup.ts');
  const sizeMiB = process.argv.includes('--backup-1gib') ? 1024 : 256;
  log(
    `backup: ${sizeMiB} MiB backed up and restored through steward and plain restic (--backup-1gib for 1 GiB)`,
  );
  results.steward.backup = await benchBackup({ sizeMiB, log });
  log(`backup: ${JSON.stringify(results.steward.backup)}`);
}

// --- Host probes (issue 4): NRPE checks/s vs check_nrpe forked per check; SNMP hosts polled/s ---
if (only.has('nrpe')) {
  const { benchNrpe } = await import('./nrpe.ts');
  log('nrpe: checks/s against the real nrpe, Steward in-process vs check_nrpe forked per check');
  results.steward.nrpe = await benchNrpe({ seconds: quick ? 3 : 10 });
  for (const r of results.steward.nrpe.rows) {
    log(
      `nrpe ${r.tls ? 'TLS' : 'plain'} ${r.command}: steward ${r.stewardChecksPerSecond}/s, check_nrpe ${r.checkNrpeChecksPerSecond}/s`,
    );
    results.ratios[`nrpe_${r.tls ? 'tls' : 'plain'}_${r.command}_vs_check_nrpe`] = r.ratio;
  }
}
if (only.has('snmp')) {
  const { benchSnmp } = await import('./snmp.ts');
  log('snmp: hosts polled/s against the real snmpd, one bulk walk vs a process per request');
  results.steward.snmp = await benchSnmp({ seconds: quick ? 3 : 10 });
  log(JSON.stringify(results.steward.snmp));
  results.ratios.snmp_hosts_per_s_vs_forked = results.steward.snmp.ratio;
}
// --- end host probes ---

if (only.has('alerting')) {
  const { benchAlerting } = await import('./alerting.ts');
  log('alerting: HARD change → delivery at a local webhook (groupWait 0), and a burst of alerts');
  results.steward.alerting = await benchAlerting({
    latencySamples: quick ? 50 : 200,
    burst: quick ? 500 : 2000,
  });
  log(JSON.stringify(results.steward.alerting));
}

if (only.has('dashboard')) {
  const { benchDashboard } = await import('./dashboard.ts');
  log(
    'dashboard: 10,000 services in Chromium (first render, interactive, search), API p50/p99 under load, RSS',
  );
  results.steward.dashboard = await benchDashboard({ seconds: quick ? 5 : 15 });
  log(JSON.stringify(results.steward.dashboard));
}

if (only.has('prometheus')) {
  // Without Prometheus installed, benchPrometheus runs the Steward side and says so.
  const { benchPrometheus } = await import('./prometheus.ts');
  const targets = quick ? 20 : 100;
  log(
    `prometheus: ${targets} targets × 1,000 series every 5 s, steward serve vs Prometheus, then range queries`,
  );
  const r = await benchPrometheus({ targets, measureS: quick ? 60 : 180, log });
  results.steward.prometheus_scrape = r.steward;
  if (r.prometheus) results.prometheus = { scrape: r.prometheus };
  if (r.ratios) results.ratios.prometheus_scrape = r.ratios;
  results.prometheus_workload = {
    targets: r.targets,
    series_per_target: r.series_per_target,
    interval_s: r.interval_s,
    measure_s: r.measure_s,
    offered_samples_per_s: r.offered_samples_per_s,
    expected_rate: r.expected_rate,
    load_avg_1m_before: r.load_avg_1m_before,
  };
}

mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
const file = join(import.meta.dirname, 'results', `bench-${results.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(import.meta.dirname, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);

const rows: string[][] = [['workload', 'offered/s', 'ran/s', 'lateness p50/p99 ms', 'CPU cores', 'RSS MB']];
for (const [k, r] of Object.entries(results.steward as Record<string, any>)) {
  if (!r.checks_per_s) continue;
  rows.push([
    `steward ${k}`,
    String(r.offered_checks_per_s),
    String(r.checks_per_s),
    `${r.lateness_ms.p50} / ${r.lateness_ms.p99}`,
    String(r.cpu_cores),
    String(r.rss_mb),
  ]);
}
for (const [k, r] of Object.entries(results.nagios as Record<string, any>)) {
  rows.push([
    `nagios4 ${k}`,
    String(r.offered_checks_per_s),
    String(r.checks_per_s_1m),
    `avg ${r.latency_ms.avg} / max ${r.latency_ms.max}`,
    String(r.cpu_cores),
    String(r.rss_mb),
  ]);
}
for (const [k, r] of Object.entries((results.icinga2 ?? {}) as Record<string, any>)) {
  rows.push([
    `icinga2 ${k}`,
    String(r.offered_checks_per_s),
    String(r.checks_per_s),
    `${r.latency_ms.p50} / ${r.latency_ms.p99}`,
    String(r.cpu_cores),
    String(r.rss_mb),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n'));
if (Object.keys(results.ratios).length > 0)
  console.log('\nSteward / incumbent:', JSON.stringify(results.ratios, null, 2));
if (results.steward.store) console.log('\nstore:', JSON.stringify(results.steward.store));
if (results.steward.prometheus_scrape) {
  console.log('\nscrape, steward:', JSON.stringify(results.steward.prometheus_scrape));
  if (results.prometheus) console.log('scrape, prometheus:', JSON.stringify(results.prometheus.scrape));
}
console.log(`\nwrote ${file}`);
