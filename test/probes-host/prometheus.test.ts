/** The scrape probe against the real prometheus-node-exporter, and the exposition parser. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { PrometheusProbe } from '../../src/core/index.ts';
import { parseExposition, runPrometheus, selectSamples } from '../../src/probes/prometheus/index.ts';
import { freePort } from '../helpers/steward-server.ts';

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
