import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample } from '../../src/store/index.ts';
import { DAY, event, HOUR, MINUTE, sql, T0, tempStore } from './helpers.ts';

const cpu = (host: string, extra: Record<string, string> = {}) => ({
  name: 'cpu_usage',
  labels: { environment: 'prod', host, ...extra },
  unit: '%',
});

function perMinute(
  series: ReturnType<typeof cpu>,
  from: number,
  n: number,
  v: (k: number) => number,
): Sample[] {
  return Array.from({ length: n }, (_, k) => ({ series, t: from + k * MINUTE, v: v(k) }));
}

describe('writeSamples and queryRange (raw)', () => {
  it('returns raw points bucketed to the step, sorted by time', () => {
    using h = tempStore({ now: () => T0 + HOUR });
    // Written out of order, two per minute.
    const samples = perMinute(cpu('a'), T0, 10, (k) => k).concat(
      perMinute(cpu('a'), T0 + 30_000, 10, (k) => k + 0.5),
    );
    h.store.writeSamples(samples.reverse());
    const r = h.store.queryRange({ series: cpu('a'), from: T0, to: T0 + 10 * MINUTE, stepMs: MINUTE })!;
    assert.equal(r.resolution, 'raw');
    assert.equal(r.stepMs, MINUTE);
    assert.equal(r.key, 'cpu_usage{environment="prod",host="a"}');
    assert.equal(r.points.length, 10);
    assert.deepEqual(r.points[3], { t: T0 + 3 * MINUTE, avg: 3.25, min: 3, max: 3.5 });
    assert.ok(r.points.every((p, i) => i === 0 || p.t > r.points[i - 1]!.t));
    // Only samples inside [from, to] count.
    const part = h.store.queryRange({
      series: cpu('a'),
      from: T0 + 30_000,
      to: T0 + MINUTE,
      stepMs: 2 * MINUTE,
    })!;
    assert.deepEqual(part.points, [{ t: T0, avg: (0.5 + 1) / 2, min: 0.5, max: 1 }]);
  });

  it('finds a series by ref, by canonical key and by key with labels in another order', () => {
    using h = tempStore({ now: () => T0 + HOUR });
    h.store.writeSamples([{ series: cpu('a'), t: T0, v: 1 }]);
    for (const series of [
      cpu('a'),
      'cpu_usage{environment="prod",host="a"}',
      'cpu_usage{host="a", environment="prod"}',
    ]) {
      assert.equal(
        h.store.queryRange({ series, from: T0, to: T0, stepMs: MINUTE })?.points.length,
        1,
        String(series),
      );
    }
    assert.equal(h.store.queryRange({ series: cpu('zzz'), from: T0, to: T0, stepMs: MINUTE }), null);
    assert.equal(h.store.queryRange({ series: 'nope{', from: T0, to: T0, stepMs: MINUTE }), null);
  });

  it('keeps the last write for a duplicate time, in the buffer and once moved to the samples table', () => {
    using h = tempStore({ now: () => T0 + HOUR });
    h.store.writeSamples([
      { series: cpu('a'), t: T0, v: 1 },
      { series: cpu('a'), t: T0, v: 2 },
    ]);
    const avg = () =>
      h.store.queryRange({ series: cpu('a'), from: T0, to: T0, stepMs: MINUTE })!.points[0]!.avg;
    assert.equal(avg(), 2);
    // Maintenance leaves samples buffered until a rollup needs them...
    h.store.runMaintenance(T0 + MINUTE);
    assert.deepEqual(sql(h.dir, 'SELECT v FROM samples'), []);
    assert.equal(avg(), 2);
    // ...then moves them into samples.
    h.store.runMaintenance(T0 + HOUR);
    assert.deepEqual(sql(h.dir, 'SELECT v FROM samples'), [{ v: 2 }]);
    h.store.writeSamples([{ series: cpu('a'), t: T0, v: 3 }]); // buffered, newer than samples
    assert.equal(avg(), 3);
    h.store.runMaintenance(T0 + HOUR);
    assert.deepEqual(sql(h.dir, 'SELECT v FROM samples'), [{ v: 3 }]);
    assert.equal(avg(), 3);
  });

  it('skips NaN and infinite values', () => {
    using h = tempStore({ now: () => T0 + HOUR });
    h.store.writeSamples([
      { series: cpu('a'), t: T0, v: Number.NaN },
      { series: cpu('a'), t: T0 + 1, v: Number.POSITIVE_INFINITY },
      { series: cpu('a'), t: Number.NaN, v: 1 },
      { series: cpu('a'), t: T0 + 2, v: 7 },
    ]);
    assert.deepEqual(
      h.store.queryRange({ series: cpu('a'), from: T0, to: T0 + MINUTE, stepMs: MINUTE })!.points,
      [{ t: T0, avg: 7, min: 7, max: 7 }],
    );
    assert.equal(h.store.stats().rawSamples, 1);
  });

  it('rejects bad ranges and steps, and more points than a graph can use', () => {
    using h = tempStore({ now: () => T0 + HOUR });
    h.store.writeSamples([{ series: cpu('a'), t: T0, v: 1 }]);
    assert.throws(
      () => h.store.queryRange({ series: cpu('a'), from: T0, to: T0 - 1, stepMs: MINUTE }),
      /from <= to/,
    );
    assert.throws(() => h.store.queryRange({ series: cpu('a'), from: T0, to: T0, stepMs: 0 }), /stepMs/);
    assert.throws(
      () => h.store.queryRange({ series: cpu('a'), from: T0 - DAY, to: T0, stepMs: 1000 }),
      /larger step/,
    );
  });

  it('stays consistent while the write buffer moves into samples slice by slice, and across reopen', () => {
    const opts = { now: () => T0 + DAY, bufferFlushThreshold: 40, bufferSliceSamples: 15 };
    using h = tempStore(opts);
    const hosts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const expected = new Map<string, number>();
    for (let minute = 0; minute < 60; minute++) {
      // Time-major batches, as the engine writes; every 7th minute rewrites an older sample.
      const batch: Sample[] = hosts.map((host, i) => ({
        series: cpu(host),
        t: T0 + minute * MINUTE,
        v: minute * 10 + i,
      }));
      if (minute % 7 === 6) batch.push({ series: cpu('c'), t: T0 + (minute - 5) * MINUTE, v: -minute });
      h.store.writeSamples(batch);
      for (const s of batch) expected.set(`${s.series.labels.host}@${s.t}`, s.v);
      if (minute === 30) h.reopen(opts);
    }
    const moved = sql<{ n: number }>(h.dir, 'SELECT count(*) AS n FROM samples')[0]!.n;
    assert.ok(moved > 0, 'some samples moved out of the buffer');
    for (const host of hosts) {
      const r = h.store.queryRange({ series: cpu(host), from: T0, to: T0 + HOUR, stepMs: MINUTE })!;
      assert.equal(r.points.length, 60);
      for (const p of r.points) assert.equal(p.avg, expected.get(`${host}@${p.t}`), `${host} at ${p.t - T0}`);
    }
    assert.equal(h.store.stats().rawSamples <= 8 * 60 + 8, true);
    h.store.runMaintenance(T0 + DAY);
    assert.deepEqual(sql(h.dir, 'SELECT count(*) AS n FROM samples_recent'), [{ n: 0 }]);
    assert.deepEqual(sql(h.dir, 'SELECT count(*) AS n FROM samples'), [{ n: 8 * 60 }]);
  });
});

describe('listSeries', () => {
  it('filters by name and labels and reports first/last sample times and unit', () => {
    using h = tempStore({ now: () => T0 + DAY, rollupLagMs: 0 });
    h.store.writeSamples([
      { series: cpu('a'), t: T0 + MINUTE, v: 1 },
      { series: cpu('a'), t: T0 + 3 * MINUTE, v: 1 },
      { series: cpu('b', { core: '0' }), t: T0, v: 1 },
      { series: { name: 'mem', labels: { host: 'a' } }, t: T0, v: 1 },
    ]);
    const all = h.store.listSeries();
    assert.deepEqual(
      all.map((s) => s.key),
      [
        'cpu_usage{core="0",environment="prod",host="b"}',
        'cpu_usage{environment="prod",host="a"}',
        'mem{host="a"}',
      ],
    );
    const a = all[1]!;
    assert.deepEqual(a, {
      id: a.id,
      key: 'cpu_usage{environment="prod",host="a"}',
      name: 'cpu_usage',
      labels: { environment: 'prod', host: 'a' },
      unit: '%',
      firstT: T0 + MINUTE,
      lastT: T0 + 3 * MINUTE,
    });
    assert.equal('unit' in all[2]!, false);
    assert.deepEqual(
      h.store.listSeries({ name: 'cpu_usage' }).map((s) => s.labels.host),
      ['b', 'a'],
    );
    assert.deepEqual(
      h.store.listSeries({ labels: { host: 'a' } }).map((s) => s.name),
      ['cpu_usage', 'mem'],
    );
    assert.deepEqual(
      h.store.listSeries({ name: 'cpu_usage', labels: { core: '' } }).map((s) => s.labels.host),
      ['a'],
      'an empty value matches series without the label',
    );
    assert.deepEqual(h.store.listSeries({ labels: { 'bad-label': 'x' } }), []);
    // After maintenance, times still come out right (from samples and rollups).
    h.store.runMaintenance(T0 + DAY);
    assert.deepEqual(
      h.store.listSeries({ labels: { host: 'a' }, name: 'cpu_usage' }).map((s) => [s.firstT, s.lastT]),
      [[T0 + MINUTE, T0 + 3 * MINUTE]],
    );
  });
});

describe('listSeries by host', () => {
  it('comes from an index: one host among 2,000 (30,000 series) in milliseconds, also after a reopen', () => {
    using h = tempStore({ now: () => T0 + HOUR });
    const samples: Sample[] = [];
    for (let i = 0; i < 2000; i++) {
      for (let k = 0; k < 15; k++) {
        // Host names that are prefixes of each other, and one with a quote and a backslash.
        const host = i === 7 ? 'odd "h\\7"' : `h-${i}`;
        samples.push({
          series: { name: `m_${k}`, labels: { environment: 'prod', host, exported_host: 'h-1' } },
          t: T0,
          v: k,
        });
      }
    }
    h.store.writeSamples(samples);
    const check = () => {
      const started = performance.now();
      const one = h.store.listSeries({ labels: { host: 'h-1' } });
      const ms = performance.now() - started;
      assert.equal(one.length, 15);
      assert.ok(one.every((s) => s.labels.host === 'h-1'));
      assert.equal(h.store.listSeries({ labels: { host: 'odd "h\\7"', environment: 'prod' } }).length, 15);
      assert.equal(h.store.listSeries({ labels: { host: 'h-1', environment: 'dev' } }).length, 0);
      assert.equal(h.store.listSeries({ labels: { host: 'nobody' } }).length, 0);
      return ms;
    };
    const first = check();
    h.reopen();
    const reopened = check();
    assert.ok(
      Math.max(first, reopened) < 50,
      `${first.toFixed(1)} ms, ${reopened.toFixed(1)} ms after reopen`,
    );
  });
});

describe('retention', () => {
  it('deletes exactly what is past retention (raw and 5m in whole coarser buckets), and nothing newer', () => {
    const retention = { rawMs: HOUR, fiveMinuteMs: 6 * HOUR, hourlyMs: DAY, eventsMs: 12 * HOUR };
    const now = T0 + 30 * HOUR + 7 * MINUTE + 30_000;
    using h = tempStore({ now: () => now, retention, rollupLagMs: 0 });
    h.store.writeSamples(perMinute(cpu('a'), T0, 30 * 60, (k) => k));
    h.store.appendEvents(Array.from({ length: 31 }, (_, i) => event({ time: T0 + i * HOUR })));

    const report = h.store.runMaintenance(now);
    assert.equal(report.done, true);
    // raw: older than now - 1 h = 29:07:30, rounded down to the 5m bucket: 29:05.
    const raw = sql<{ t: number }>(h.dir, 'SELECT t FROM samples ORDER BY t');
    assert.equal(raw[0]!.t, T0 + 29 * HOUR + 5 * MINUTE);
    assert.equal(raw.length, 55);
    // 5m: older than now - 6 h = 24:07:30, rounded down to the hour: 24:00.
    const five = sql<{ t: number }>(h.dir, 'SELECT t FROM rollup_5m ORDER BY t');
    assert.equal(five[0]!.t, T0 + 24 * HOUR);
    assert.equal(five.length, 72);
    // 1h: buckets starting before now - 24 h = 06:07:30.
    const hourly = sql<{ t: number }>(h.dir, 'SELECT t FROM rollup_1h ORDER BY t');
    assert.equal(hourly[0]!.t, T0 + 7 * HOUR);
    assert.equal(hourly.length, 23);
    // events: older than now - 12 h = 18:07:30.
    const events = h.store.queryEvents({ limit: 100 }).map((e) => (e.time - T0) / HOUR);
    assert.deepEqual(events.reverse(), [19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    assert.deepEqual(report.deleted, {
      raw: 30 * 60 - 55,
      fiveMinute: 360 - 72,
      hourly: 30 - 23,
      events: 19,
    });
    assert.equal(h.store.stats().rawSamples, 55);
    // Nothing more to delete on the next run.
    assert.deepEqual(h.store.runMaintenance(now).deleted, { raw: 0, fiveMinute: 0, hourly: 0, events: 0 });
    // Samples older than raw retention are not taken any more (they would only be deleted again).
    h.store.writeSamples([{ series: cpu('a'), t: T0 + 29 * HOUR, v: 1 }]);
    assert.equal(h.store.stats().rawSamples, 55);
  });

  it('never deletes raw samples that are not rolled up yet', () => {
    const retention = { rawMs: HOUR };
    using h = tempStore({ now: () => T0, retention, rollupLagMs: 2 * HOUR });
    h.store.writeSamples(perMinute(cpu('a'), T0, 120, (k) => k));
    h.store.runMaintenance(T0 + 3 * HOUR);
    // Rolled only up to 01:00 (lag 2 h); raw retention alone would allow deleting up to 02:00.
    assert.equal(sql<{ t: number }>(h.dir, 'SELECT min(t) AS t FROM samples')[0]!.t, T0 + HOUR);
  });

  it('works through a large backlog in bounded steps when the budget is small', () => {
    const retention = { rawMs: HOUR };
    const opts = { now: () => T0, retention, rollupLagMs: 0, maintenanceBudgetMs: 0 };
    using h = tempStore(opts);
    const hosts = Array.from({ length: 1200 }, (_, i) => cpu(`h${i}`));
    h.store.writeSamples(hosts.flatMap((s) => perMinute(s, T0, 10, (k) => k)));
    const reports = [];
    for (let i = 0; i < 100; i++) {
      const r = h.store.runMaintenance(T0 + 3 * HOUR);
      reports.push(r);
      if (r.done) break;
    }
    assert.ok(reports.length > 2 && reports.at(-1)!.done);
    assert.equal(
      reports.reduce((n, r) => n + r.deleted.raw, 0),
      12_000,
    );
    assert.deepEqual(sql(h.dir, 'SELECT count(*) AS n FROM samples'), [{ n: 0 }]);
  });
});

describe('queryRange resolution', () => {
  const now = T0 + 3 * DAY;
  const series = cpu('a');
  /** 3 days of one sample a minute, v = minute of the hour. Maintenance ran, so raw older than 48 h is gone. */
  function threeDays(opts: Parameters<typeof tempStore>[0] = {}) {
    const h = tempStore({ now: () => now, rollupLagMs: 0, ...opts });
    h.store.writeSamples(perMinute(series, T0, 3 * 24 * 60, (k) => k % 60));
    h.store.runMaintenance(now);
    return h;
  }

  it('picks raw, 5m or 1h from the range and the step', () => {
    using h = threeDays();
    const q = (fromAgo: number, stepMs: number) => {
      const r = h.store.queryRange({ series, from: now - fromAgo, to: now - 1, stepMs })!;
      return [r.resolution, r.stepMs, r.points.length, r.points[1]!.t - r.points[0]!.t];
    };
    assert.deepEqual(q(DAY, MINUTE), ['raw', MINUTE, 1440, MINUTE]);
    assert.deepEqual(q(DAY, 5 * MINUTE), ['5m', 5 * MINUTE, 288, 5 * MINUTE]);
    assert.deepEqual(q(DAY, 15 * MINUTE), ['5m', 15 * MINUTE, 96, 15 * MINUTE]);
    assert.deepEqual(q(DAY, HOUR), ['1h', HOUR, 24, HOUR]);
    // Beyond raw retention a 1 min step is served at 5 min.
    assert.deepEqual(q(3 * DAY, MINUTE), ['5m', 5 * MINUTE, 864, 5 * MINUTE]);
    const old = h.store.queryRange({ series, from: now - 100 * DAY, to: now - 1, stepMs: HOUR })!;
    assert.equal(old.resolution, '1h');
    assert.equal(old.points.length, 72);
    assert.deepEqual(old.points[0], { t: T0, avg: 29.5, min: 0, max: 59 });
  });

  it('falls back to 5m for the part of a raw range whose raw samples are gone', () => {
    using h = threeDays();
    // A longer raw retention now (say, changed in the spec): the range counts as raw, but the first
    // day only exists in the rollups.
    const s = h.reopen({ now: () => now, rollupLagMs: 0, retention: { rawMs: 4 * DAY } });
    const r = s.queryRange({ series, from: T0, to: now - 1, stepMs: MINUTE })!;
    assert.equal(r.resolution, 'raw');
    assert.equal(r.points.length, 288 + 2 * 1440);
    const firstDay = r.points.filter((p) => p.t < T0 + DAY);
    assert.equal(firstDay.length, 288);
    assert.deepEqual(firstDay[1], { t: T0 + 5 * MINUTE, avg: 7, min: 5, max: 9 });
    const rest = r.points.filter((p) => p.t >= T0 + DAY);
    assert.equal(rest.length, 2 * 1440);
    assert.deepEqual(rest[0], { t: T0 + DAY, avg: 0, min: 0, max: 0 });
  });

  it('reads raw for the recent part a 5m or 1h range has not rolled up yet', () => {
    using h = threeDays();
    h.store.writeSamples(perMinute(series, now, 30, (k) => 100 + k));
    const r = h.store.queryRange({ series, from: now - HOUR, to: now + 29 * MINUTE, stepMs: 5 * MINUTE })!;
    assert.equal(r.resolution, '5m');
    assert.equal(r.points.length, 18);
    assert.deepEqual(r.points.at(-1), { t: now + 25 * MINUTE, avg: 127, min: 125, max: 129 });
    const hourly = h.store.queryRange({ series, from: now - 2 * HOUR, to: now + 29 * MINUTE, stepMs: HOUR })!;
    assert.equal(hourly.resolution, '1h');
    assert.deepEqual(hourly.points.at(-1), { t: now, avg: 114.5, min: 100, max: 129 });
  });
});
