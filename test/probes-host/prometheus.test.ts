/** The scrape probe against the real prometheus-node-exporter, and the exposition parser. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { after, before, test } from 'node:test';
import type { PrometheusProbe } from '../../src/core/index.ts';
import {
  MAX_HOST_FILESYSTEMS,
  MAX_HOST_NETWORK_DEVICES,
  nodeHostMetrics,
  parseExposition,
  runPrometheus,
  selectSamples,
} from '../../src/probes/prometheus/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { freePort } from '../helpers/steward-server.ts';
import { writeFixture } from '../spec/fixture.ts';

const EXPORTER = '/usr/bin/prometheus-node-exporter';
let exporter: ChildProcess;
let url = '';

before(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}/metrics`;
  exporter = spawn(EXPORTER, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${EXPORTER} did not answer on ${url}`);
});
after(() => {
  exporter?.kill('SIGKILL');
});

const opts = { timeoutMs: 5000, timeoutState: 2 as const, labels: { environment: 'lab', host: 'box' } };
const probe = (p: Partial<PrometheusProbe>): PrometheusProbe => ({
  kind: 'prometheus',
  url,
  metric: 'node_load1',
  match: {},
  insecure: false,
  ...p,
});

test('node_load1 from the exporter matches /proc/loadavg and is thresholded', async () => {
  const result = await runPrometheus(probe({}), { ...opts, warning: '1000' });
  assert.equal(result.state, 0, result.output);
  const value = result.perfdata[0]!.value;
  const proc = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  assert.ok(Math.abs(value - proc) < 1, `${value} vs ${proc}`);
  const critical = await runPrometheus(probe({}), { ...opts, critical: '@0:100000' });
  assert.equal(critical.state, 2);
  assert.match(critical.output, /^PROMETHEUS CRITICAL - node_load1 = /);
  assert.deepEqual(result.samples, [{ name: 'node_load1', labels: opts.labels, value }]);
});

test('label match selects one series; several without aggregate are UNKNOWN; aggregate counts', async () => {
  const root = await runPrometheus(
    probe({ metric: 'node_filesystem_avail_bytes', match: { mountpoint: '/' } }),
    opts,
  );
  assert.equal(root.state, 0, root.output);
  assert.ok(root.perfdata[0]!.value > 0);
  assert.equal(root.samples?.[0]?.labels.mountpoint, '/');
  assert.equal(root.samples?.[0]?.labels.host, 'box');

  const many = await runPrometheus(probe({ metric: 'node_cpu_seconds_total' }), opts);
  assert.equal(many.state, 3);
  assert.match(many.output, /series match node_cpu_seconds_total .*set aggregate/);
  const idle = await runPrometheus(
    probe({ metric: 'node_cpu_seconds_total', match: { mode: 'idle' }, aggregate: 'count' }),
    opts,
  );
  assert.equal(idle.state, 0, idle.output);
  assert.equal(idle.perfdata[0]!.value, (await import('node:os')).cpus().length);
});

test('missing series and unreachable endpoints say what and where', async () => {
  const missing = await runPrometheus(probe({ metric: 'node_no_such_metric' }), opts);
  assert.equal(missing.state, 3);
  assert.match(missing.output, /exposes no node_no_such_metric/);
  const wrongLabel = await runPrometheus(
    probe({ metric: 'node_filesystem_avail_bytes', match: { mountpoint: '/nowhere' } }),
    opts,
  );
  assert.match(wrongLabel.output, /series of node_filesystem_avail_bytes exist, e\.g\. .*adjust match/);
  const down = await runPrometheus(probe({ url: 'http://127.0.0.1:9/metrics' }), opts);
  assert.equal(down.state, 2);
  assert.match(down.output, /127\.0\.0\.1:9/);
});

test('parser: labels with escapes, special values, timestamps, comments, name prefixes', () => {
  const page = [
    '# HELP x_total Something.',
    '# TYPE x_total counter',
    'x_total{path="/a\\"b\\\\c",code="200"} 3 1700000000000',
    'x_total{path="/n",code="500"} +Inf',
    'x_total_created 1.7e9',
    'x 7',
    'x{le="NaN"} NaN',
    'y -Inf',
    '',
  ].join('\n');
  const all = parseExposition(page);
  assert.equal(all.length, 6);
  assert.deepEqual(all[0], { name: 'x_total', labels: { path: '/a"b\\c', code: '200' }, value: 3 });
  assert.equal(all[1]!.value, Number.POSITIVE_INFINITY);
  assert.equal(all[5]!.value, Number.NEGATIVE_INFINITY);
  assert.deepEqual(
    selectSamples(page, 'x_total', { code: '200' }).map((s) => s.value),
    [3],
  );
  // "x" does not select x_total or x_total_created.
  assert.deepEqual(
    selectSamples(page, 'x').map((s) => s.value),
    [7, Number.NaN],
  );
});

/** MemTotal etc. from /proc/meminfo, in bytes. */
function meminfo(field: string): number {
  const line = readFileSync('/proc/meminfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1]) * 1024;
}

test('hostMetrics alone: the host graph series, bounded, with CPU time summed per mode', async () => {
  const result = await runPrometheus(probe({ metric: undefined, hostMetrics: true }), opts);
  assert.equal(result.state, 0, result.output);
  assert.match(
    result.output,
    new RegExp(`^PROMETHEUS OK - host metrics: ${cpus().length} CPUs?, \\d+ filesystems? \\(/[ )]`),
  );
  assert.deepEqual(result.perfdata, []);
  const samples = result.samples ?? [];
  const named = (name: string) => samples.filter((s) => s.name === name);
  // 8 modes however many CPUs, no cpu label: a counter per mode.
  const cpu = named('node_cpu_seconds_total');
  assert.deepEqual(
    cpu.map((s) => s.labels),
    ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'].map((mode) => ({
      mode,
      ...opts.labels,
    })),
  );
  const perCpu = selectSamples(await (await fetch(url)).text(), 'node_cpu_seconds_total', { mode: 'user' });
  const userNow = perCpu.reduce((a, s) => a + s.value, 0);
  assert.ok(Math.abs(cpu.find((s) => s.labels.mode === 'user')!.value - userNow) < 5, 'the sum over CPUs');
  assert.equal(named('node_memory_MemTotal_bytes')[0]!.value, meminfo('MemTotal'));
  assert.deepEqual(
    named('node_load1').map((s) => s.labels),
    [opts.labels],
  );
  // This machine has no swap: no swap series (a 0/0 line would say nothing).
  if (meminfo('SwapTotal') === 0) assert.deepEqual(named('node_memory_SwapTotal_bytes'), []);
  const mounts = named('node_filesystem_size_bytes').map((s) => s.labels.mountpoint!);
  assert.ok(mounts.includes('/'), mounts.join(' '));
  for (const what of ['free', 'avail'])
    assert.deepEqual(
      named(`node_filesystem_${what}_bytes`).map((s) => s.labels.mountpoint),
      mounts,
      what,
    );
  assert.ok(
    named('node_filesystem_size_bytes').every(
      (s) => !['tmpfs', 'devtmpfs', 'cgroup2'].includes(s.labels.fstype!),
    ),
    'only real disks (no tmpfs, /dev, /sys/fs/cgroup)',
  );
  const devices = named('node_network_receive_bytes_total').map((s) => s.labels.device);
  const kernel = readFileSync('/proc/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0]!.trim())
    .filter(Boolean);
  assert.ok(devices.length > 0 && devices.every((d) => kernel.includes(d!)), `${devices} of ${kernel}`);
  assert.ok(!devices.includes('lo'), 'not the loopback');
  assert.ok(samples.length < 40, `${samples.length} series, not the exporter's whole page`);
});

test('hostMetrics alone with thresholds is UNKNOWN (nothing to threshold), the series still stored', async () => {
  const result = await runPrometheus(probe({ metric: undefined, hostMetrics: true }), {
    ...opts,
    critical: '90',
  });
  assert.equal(result.state, 3);
  assert.match(result.output, /no metric to threshold: add e\.g\. metric: node_load5/);
  assert.ok(result.samples!.some((s) => s.name === 'node_cpu_seconds_total'));
});

test('hostMetrics beside a thresholded metric: both stored, the shared series once', async () => {
  const result = await runPrometheus(probe({ hostMetrics: true }), { ...opts, warning: '1000' });
  assert.equal(result.state, 0, result.output);
  assert.match(result.output, /^PROMETHEUS OK - node_load1 = /);
  assert.match(result.longOutput, /host metrics: .*series stored/);
  assert.equal(result.samples!.filter((s) => s.name === 'node_load1').length, 1);
  assert.ok(result.samples!.some((s) => s.name === 'node_cpu_seconds_total'));
});

test('hostMetrics on a page that is not a node exporter is UNKNOWN, saying what it looked for', async () => {
  const server = createServer((_req, res) =>
    res.end('# TYPE app_requests_total counter\napp_requests_total 7\n'),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const only = await runPrometheus(
      probe({ url: `http://127.0.0.1:${port}/metrics`, metric: undefined, hostMetrics: true }),
      opts,
    );
    assert.equal(only.state, 3);
    assert.match(
      only.output,
      /no node exporter host metrics at .*node_cpu_seconds_total.*is it a node exporter\?/,
    );
    const beside = await runPrometheus(
      probe({ url: `http://127.0.0.1:${port}/metrics`, metric: 'app_requests_total', hostMetrics: true }),
      opts,
    );
    assert.equal(beside.state, 0, beside.output);
    assert.match(
      beside.longOutput,
      /nothing for cpu, load, memory, filesystem, network: .*cpu, loadavg, meminfo, filesystem, netdev collector off/,
    );
  } finally {
    server.close();
  }
});

test('host metrics selection: real disks once each, busiest devices, caps, no swap line without swap', () => {
  const page = [
    'node_cpu_seconds_total{cpu="0",mode="user"} 10.1',
    'node_cpu_seconds_total{cpu="1",mode="user"} 20.2',
    'node_cpu_seconds_total{cpu="0",mode="idle"} 1',
    'node_cpu_guest_seconds_total{cpu="0",mode="user"} 99',
    'node_memory_SwapTotal_bytes 0',
    'node_memory_SwapFree_bytes 0',
    'node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/srv/data"} 10',
    'node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/srv"} 10',
    'node_filesystem_size_bytes{device="overlay",fstype="overlay",mountpoint="/"} 10',
    'node_filesystem_size_bytes{device="shm",fstype="tmpfs",mountpoint="/dev/shm"} 10',
    'node_filesystem_size_bytes{device="srv:/export",fstype="nfs4",mountpoint="/mnt/nfs"} 10',
    'node_filesystem_size_bytes{device="/dev/sdz",fstype="ext4",mountpoint="/empty"} 0',
    'node_filesystem_free_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/srv"} 4',
    'node_filesystem_free_bytes{device="other",fstype="ext4",mountpoint="/srv"} 9',
    ...Array.from({ length: MAX_HOST_NETWORK_DEVICES + 3 }, (_, i) =>
      [
        `node_network_receive_bytes_total{device="tap${i}"} ${i}`,
        `node_network_transmit_bytes_total{device="tap${i}"} ${i}`,
      ].join('\n'),
    ),
    'node_network_receive_bytes_total{device="cali0ab"} 1e12',
    '',
  ].join('\n');
  const host = nodeHostMetrics(page);
  assert.equal(host.cpus, 2);
  assert.deepEqual(
    host.samples.filter((s) => s.name === 'node_cpu_seconds_total'),
    [
      { name: 'node_cpu_seconds_total', labels: { mode: 'idle' }, value: 1 },
      { name: 'node_cpu_seconds_total', labels: { mode: 'user' }, value: 30.3 },
    ],
  );
  assert.ok(!host.samples.some((s) => s.name.startsWith('node_memory_Swap')), 'no swap configured');
  assert.deepEqual(
    host.filesystems,
    ['/', '/mnt/nfs', '/srv'],
    'container root, NFS, a bind-mounted disk once',
  );
  assert.deepEqual(
    host.samples.filter((s) => s.name === 'node_filesystem_free_bytes').map((s) => s.labels.device),
    ['/dev/sda1'],
    'free of the same device as the size',
  );
  assert.equal(host.devices.length, MAX_HOST_NETWORK_DEVICES);
  assert.ok(
    !host.devices.includes('tap0') && host.devices.includes(`tap${MAX_HOST_NETWORK_DEVICES + 2}`),
    'the busiest kept',
  );
  assert.ok(!host.devices.includes('cali0ab'), "per-pod interfaces are not the host's");
  assert.equal(host.leftOut, 3);
  assert.deepEqual(host.missing, ['load', 'memory']);
  assert.ok(MAX_HOST_FILESYSTEMS >= 16);
});

test('spec: hostMetrics may stand without a metric; without either, or match without metric, a located error', () => {
  const yaml = (check: string) => `
deployment: d
operatorNetworks: [10.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: a
        address: 10.0.0.1
        checks:
          - ${check}
`;
  const ok = loadSpec(
    writeFixture({
      'steward.yaml': yaml(
        '{ name: node, prometheus: { url: "http://{{address}}:9100/metrics", hostMetrics: true } }',
      ),
    }).main,
  );
  assert.ok(ok.ok, JSON.stringify(!ok.ok && ok.errors));
  assert.deepEqual(ok.deployment.services.find((s) => s.id === 'a/node')!.probe, {
    kind: 'prometheus',
    url: 'http://10.0.0.1:9100/metrics',
    match: {},
    insecure: false,
    hostMetrics: true,
  });
  const none = loadSpec(
    writeFixture({
      'steward.yaml': yaml('{ name: node, prometheus: { url: "http://{{address}}:9100/metrics" } }'),
    }).main,
  );
  assert.ok(!none.ok);
  assert.match(
    none.errors.map((e) => `${e.line}: ${e.message} / ${e.hint}`).join('\n'),
    /10: .*needs a metric to threshold \/ .*hostMetrics: true/,
  );
  const loose = loadSpec(
    writeFixture({
      'steward.yaml': yaml(
        '{ name: node, prometheus: { url: "http://{{address}}:9100/metrics", hostMetrics: true, match: { mountpoint: / } } }',
      ),
    }).main,
  );
  assert.ok(!loose.ok);
  assert.match(
    loose.errors.map((e) => e.message).join('\n'),
    /match selects the metric, but there is no metric/,
  );
});
