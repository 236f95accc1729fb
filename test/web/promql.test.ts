import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openSqliteStore, type Store } from '../../src/store/index.ts';
import { evaluate, parsePromQL } from '../../src/web/promql/index.ts';
import { tempDir } from '../helpers/steward-server.ts';

let dir: string;
let store: Store;
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

before(() => {
  dir = tempDir();
  store = openSqliteStore(dir, { now: () => T0 + 3_600_000 });
  const samples = [];
  for (let i = 0; i <= 60; i++) {
    const t = T0 + i * 60_000;
    // A counter growing 120/min (2/s) with a reset at minute 30, and a gauge per host.
    const counter = i < 30 ? i * 120 : (i - 30) * 120;
    samples.push({
      series: { name: 'requests_total', labels: { host: 'a', environment: 'prod' } },
      t,
      v: counter,
    });
    // A counter scraped every 2 s, 3 CPU-seconds per second (node_cpu_seconds_total summed).
    for (let k = 0; k < 30 && i < 60; k++) {
      const ts = t + k * 2000;
      samples.push({
        series: { name: 'cpu_seconds_total', labels: { host: 'a' } },
        t: ts,
        v: (ts - T0) * 0.003,
      });
    }
    samples.push({ series: { name: 'load', labels: { host: 'a', environment: 'prod' } }, t, v: 1 });
    samples.push({ series: { name: 'load', labels: { host: 'b', environment: 'prod' } }, t, v: 3 });
    samples.push({ series: { name: 'load', labels: { host: 'c', environment: 'dev' } }, t, v: 10 });
  }
  store.writeSamples(samples);
});

after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (q: string, t = T0 + 40 * 60_000) =>
  evaluate(store, parsePromQL(q), [t], 60_000).map((s) => [s.labels, s.values[0]] as const);

test('selectors with =, !=, =~ and !~ matchers', () => {
  assert.deepEqual(
    at('load{environment="prod"}').map(([l, v]) => [l.host, v]),
    [
      ['a', 1],
      ['b', 3],
    ],
  );
  assert.deepEqual(
    at('load{host!="a",environment=~"pr.*"}').map(([l]) => l.host),
    ['b'],
  );
  assert.deepEqual(
    at('{__name__="load",environment!~"prod"}').map(([l]) => l.host),
    ['c'],
  );
});

test('sum/avg/max/count by and without', () => {
  assert.deepEqual(
    at('sum by (environment) (load)')
      .map(([l, v]) => [l.environment, v])
      .sort(),
    [
      ['dev', 10],
      ['prod', 4],
    ],
  );
  assert.deepEqual(
    at('avg(load{environment="prod"})').map(([, v]) => v),
    [2],
  );
  assert.deepEqual(
    at('max without (host) (load)')
      .map(([l, v]) => [l.environment, v])
      .sort(),
    [
      ['dev', 10],
      ['prod', 3],
    ],
  );
  assert.deepEqual(
    at('count(load)').map(([, v]) => v),
    [3],
  );
});

test('rate() over a short window of frequent samples is exact, not biased by bucketing', () => {
  for (const range of ['15s', '1m', '5m']) {
    const [[, v]] = at(`rate(cpu_seconds_total[${range}])`) as [[Record<string, string>, number]];
    assert.ok(Math.abs(v - 3) < 0.06, `rate over ${range}: ${v}`);
  }
});

test('rate() is per second and survives a counter reset', () => {
  const [[labels, v]] = at('rate(requests_total[10m])') as [[Record<string, string>, number]];
  assert.equal(labels.__name__, undefined, 'functions drop the metric name');
  assert.ok(Math.abs(v - 2) < 0.01, `rate ${v}`);
  const [[, inc]] = at('increase(requests_total[10m])') as [[Record<string, string>, number]];
  assert.ok(Math.abs(inc - 1200) < 1, `increase ${inc}`);
});

test('unsupported syntax is a clear error naming what is supported', () => {
  assert.throws(
    () => parsePromQL('histogram_quantile(0.9, x)'),
    /unsupported function "histogram_quantile".*supported:/,
  );
  assert.throws(() => parsePromQL('rate(x)'), /range selector/);
  assert.throws(() => parsePromQL('x[5m]'), /needs a function/);
});
