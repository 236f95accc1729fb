import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sample, Store } from '../../src/store/index.ts';
import { HOUR, MINUTE, sql, T0, tempStore } from './helpers.ts';

const A = { name: 'load', labels: { host: 'a' } };
const B = { name: 'load', labels: { host: 'b' } };
const NOW = T0 + 130 * MINUTE;

/** A: one sample a minute, v = minute index, for 2 h 10 min. B: a few samples around the 5m boundary. */
function writeKnownData(store: Store): void {
  const samples: Sample[] = [];
  for (let k = 0; k < 130; k++) samples.push({ series: A, t: T0 + k * MINUTE, v: k });
  samples.push(
    { series: B, t: T0 + 5 * MINUTE - 1, v: 10 },
    { series: B, t: T0 + 5 * MINUTE, v: 20 },
    { series: B, t: T0 + 5 * MINUTE + 1, v: -5 },
    { series: B, t: T0 + 10 * MINUTE - 1000, v: 1 },
  );
  store.writeSamples(samples);
}

type Row = { series_id: number; t: number; min: number; max: number; sum: number; count: number };
const rollups = (dir: string, table: 'rollup_5m' | 'rollup_1h') =>
  sql<Row>(dir, `SELECT series_id, t, min, max, sum, count FROM ${table} ORDER BY series_id, t`);
const idOf = (store: Store, host: string) => store.listSeries({ labels: { host } })[0]!.id;

describe('rollups', () => {
  it('computes 5m and 1h min/max/sum/count exactly, from closed buckets only', () => {
    using h = tempStore({ now: () => NOW, rollupLagMs: 0 });
    writeKnownData(h.store);
    const report = h.store.runMaintenance(NOW);
    assert.equal(report.done, true);
    const a = idOf(h.store, 'a');
    const b = idOf(h.store, 'b');

    const five = rollups(h.dir, 'rollup_5m');
    const fiveA = five.filter((r) => r.series_id === a);
    // Buckets up to 02:10 are closed (02:10-02:15 is not: nothing of it exists yet anyway).
    assert.equal(fiveA.length, 26);
    fiveA.forEach((r, i) => {
      assert.deepEqual(r, {
        series_id: a,
        t: T0 + i * 5 * MINUTE,
        min: 5 * i,
        max: 5 * i + 4,
        sum: 25 * i + 10,
        count: 5,
      });
    });
    assert.deepEqual(
      five.filter((r) => r.series_id === b),
      [
        { series_id: b, t: T0, min: 10, max: 10, sum: 10, count: 1 },
        { series_id: b, t: T0 + 5 * MINUTE, min: -5, max: 20, sum: 16, count: 3 },
      ],
    );

    // Hours 00 and 01 are complete; 02 is not, so it is not rolled.
    assert.deepEqual(
      rollups(h.dir, 'rollup_1h').filter((r) => r.series_id === a),
      [
        { series_id: a, t: T0, min: 0, max: 59, sum: 1770, count: 60 },
        { series_id: a, t: T0 + HOUR, min: 60, max: 119, sum: 5370, count: 60 },
      ],
    );
    assert.equal(report.rolled5m, 28);
    assert.equal(report.rolled1h, 3);
  });

  it('serves 5m and 1h queries from the rollups with count-weighted averages', () => {
    using h = tempStore({ now: () => NOW, rollupLagMs: 0 });
    writeKnownData(h.store);
    h.store.runMaintenance(NOW);

    const five = h.store.queryRange({ series: A, from: T0, to: T0 + 119 * MINUTE, stepMs: 5 * MINUTE })!;
    assert.equal(five.resolution, '5m');
    assert.equal(five.points.length, 24);
    assert.deepEqual(five.points[3], { t: T0 + 15 * MINUTE, avg: 17, min: 15, max: 19 });

    const ten = h.store.queryRange({ series: A, from: T0, to: T0 + 119 * MINUTE, stepMs: 10 * MINUTE })!;
    assert.equal(ten.resolution, '5m');
    assert.deepEqual(ten.points[0], { t: T0, avg: 4.5, min: 0, max: 9 });

    const hourly = h.store.queryRange({ series: A, from: T0, to: T0 + 119 * MINUTE, stepMs: HOUR })!;
    assert.equal(hourly.resolution, '1h');
    assert.deepEqual(hourly.points, [
      { t: T0, avg: 29.5, min: 0, max: 59 },
      { t: T0 + HOUR, avg: 89.5, min: 60, max: 119 },
    ]);

    const b = h.store.queryRange({ series: B, from: T0, to: T0 + 10 * MINUTE, stepMs: 10 * MINUTE })!;
    assert.deepEqual(b.points, [{ t: T0, avg: 26 / 4, min: -5, max: 20 }]);
  });

  it('is idempotent: running again changes nothing and counts nothing twice', () => {
    using h = tempStore({ now: () => NOW, rollupLagMs: 0 });
    writeKnownData(h.store);
    h.store.runMaintenance(NOW);
    const five = rollups(h.dir, 'rollup_5m');
    const hourly = rollups(h.dir, 'rollup_1h');
    const again = h.store.runMaintenance(NOW);
    const later = h.store.runMaintenance(NOW + 4 * MINUTE);
    for (const r of [again, later]) {
      assert.equal(r.rolled5m, 0);
      assert.equal(r.rolled1h, 0);
    }
    assert.deepEqual(rollups(h.dir, 'rollup_5m'), five);
    assert.deepEqual(rollups(h.dir, 'rollup_1h'), hourly);
  });

  it('resumes after a stop at any step (one step per call, reopened in between) with the same result', () => {
    using reference = tempStore({ now: () => NOW, rollupLagMs: 0 });
    writeKnownData(reference.store);
    reference.store.runMaintenance(NOW);

    // Budget 0: every call does one bounded step and stops, as if the process died right after it.
    const opts = { now: () => NOW, rollupLagMs: 0, maintenanceBudgetMs: 0 };
    using h = tempStore(opts);
    writeKnownData(h.store);
    let calls = 0;
    for (;;) {
      calls++;
      const done = h.store.runMaintenance(NOW).done;
      h.reopen(opts);
      if (done) break;
      assert.ok(calls < 50, 'maintenance makes progress');
    }
    assert.ok(calls > 2, `expected several steps, got ${calls}`);
    assert.deepEqual(rollups(h.dir, 'rollup_5m'), rollups(reference.dir, 'rollup_5m'));
    assert.deepEqual(rollups(h.dir, 'rollup_1h'), rollups(reference.dir, 'rollup_1h'));
  });

  it('waits rollupLagMs after a bucket closes before rolling it', () => {
    using h = tempStore({ now: () => NOW, rollupLagMs: 60_000 });
    writeKnownData(h.store);
    h.store.runMaintenance(T0 + 10 * MINUTE + 59_999);
    // 00:05-00:10 closed at 00:10 but is rolled only from 00:11.
    assert.deepEqual(
      rollups(h.dir, 'rollup_5m').map((r) => r.t - T0),
      [0, 0],
    );
    h.store.runMaintenance(T0 + 11 * MINUTE);
    assert.deepEqual(
      rollups(h.dir, 'rollup_5m').map((r) => r.t - T0),
      [0, 5 * MINUTE, 0, 5 * MINUTE],
    );
  });

  it('re-rolls buckets that get samples after they were rolled up (last write wins)', () => {
    using h = tempStore({ now: () => NOW, rollupLagMs: 0 });
    writeKnownData(h.store);
    h.store.runMaintenance(NOW);
    h.store.writeSamples([{ series: A, t: T0 + 2 * MINUTE, v: 1000 }]);
    h.store.runMaintenance(NOW);
    const a = idOf(h.store, 'a');
    const five = rollups(h.dir, 'rollup_5m').find((r) => r.series_id === a && r.t === T0)!;
    assert.deepEqual(five, { series_id: a, t: T0, min: 0, max: 1000, sum: 1008, count: 5 });
    const hour = rollups(h.dir, 'rollup_1h').find((r) => r.series_id === a && r.t === T0)!;
    assert.deepEqual(hour, { series_id: a, t: T0, min: 0, max: 1000, sum: 2768, count: 60 });
  });
});
