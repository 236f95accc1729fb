import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Coverage, mergeBuckets, pickResolution, planSegments } from '../../src/store/resolution.ts';
import { DEFAULT_RETENTION, type Resolution } from '../../src/store/types.ts';

const H = 3_600_000;
const now = 1000 * H;

describe('pickResolution', () => {
  it('uses raw within raw retention for steps under 5 minutes', () => {
    assert.equal(pickResolution(now - 24 * H, 60_000, now, DEFAULT_RETENTION), 'raw');
    assert.equal(pickResolution(now - 48 * H, 299_999, now, DEFAULT_RETENTION), 'raw');
  });

  it('uses 5m for 5m..1h steps, or for older ranges within 5m retention', () => {
    assert.equal(pickResolution(now - 24 * H, 300_000, now, DEFAULT_RETENTION), '5m');
    assert.equal(pickResolution(now - 48 * H - 1, 60_000, now, DEFAULT_RETENTION), '5m');
    assert.equal(pickResolution(now - 24 * H, 3_599_999, now, DEFAULT_RETENTION), '5m');
  });

  it('uses 1h for steps of an hour or more, or beyond 5m retention', () => {
    assert.equal(pickResolution(now - 24 * H, 3_600_000, now, DEFAULT_RETENTION), '1h');
    assert.equal(pickResolution(now - 91 * 24 * H, 60_000, now, DEFAULT_RETENTION), '1h');
  });
});

describe('planSegments', () => {
  const cov = (c: Partial<Record<Resolution, Coverage>>) => (r: Resolution) => {
    const found = c[r];
    assert.ok(found, `coverage of ${r} should not be needed`);
    return found;
  };

  it('reads only the preferred table when it covers the range', () => {
    const asked: Resolution[] = [];
    const segs = planSegments('raw', 10, 20, (r) => {
      asked.push(r);
      return { lo: 0, hi: Number.POSITIVE_INFINITY };
    });
    assert.deepEqual(segs, [{ resolution: 'raw', from: 10, to: 20 }]);
    assert.deepEqual(asked, ['raw']);
  });

  it('falls back to coarser tables before the preferred one starts', () => {
    const segs = planSegments(
      'raw',
      0,
      100,
      cov({ raw: { lo: 60, hi: Infinity }, '5m': { lo: 30, hi: 90 }, '1h': { lo: -Infinity, hi: 80 } }),
    );
    assert.deepEqual(segs, [
      { resolution: '1h', from: 0, to: 30 },
      { resolution: '5m', from: 30, to: 60 },
      { resolution: 'raw', from: 60, to: 100 },
    ]);
  });

  it('falls forward to finer tables after the preferred one ends (not rolled up yet)', () => {
    const segs = planSegments(
      '1h',
      0,
      100,
      cov({ '1h': { lo: -Infinity, hi: 40 }, '5m': { lo: 0, hi: 70 }, raw: { lo: 50, hi: Infinity } }),
    );
    assert.deepEqual(segs, [
      { resolution: '1h', from: 0, to: 40 },
      { resolution: '5m', from: 40, to: 70 },
      { resolution: 'raw', from: 70, to: 100 },
    ]);
  });

  it('returns nothing for a series with no data anywhere', () => {
    const segs = planSegments(
      '5m',
      0,
      100,
      cov({
        '5m': { lo: -Infinity, hi: -Infinity },
        '1h': { lo: -Infinity, hi: -Infinity },
        raw: { lo: Infinity, hi: Infinity },
      }),
    );
    assert.deepEqual(segs, []);
  });
});

describe('mergeBuckets', () => {
  it('weights averages by count and merges a bucket split between segments', () => {
    const points = mergeBuckets([
      [0, 10, 2, 4, 6],
      [60, 30, 3, 5, 15],
      [60, 1, 1, 1, 1],
      [120, 7, 1, 7, 7],
    ]);
    assert.deepEqual(points, [
      { t: 0, avg: 5, min: 4, max: 6 },
      { t: 60, avg: 31 / 4, min: 1, max: 15 },
      { t: 120, avg: 7, min: 7, max: 7 },
    ]);
  });
});
