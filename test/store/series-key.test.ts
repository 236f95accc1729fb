import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSeriesKey, seriesKey } from '../../src/store/index.ts';

describe('seriesKey', () => {
  it('sorts labels by name and prints them as Prometheus does', () => {
    assert.equal(
      seriesKey({ name: 'perfdata', labels: { service: 'http', host: 'web1', label: 'time' } }),
      'perfdata{host="web1",label="time",service="http"}',
    );
  });

  it('escapes backslash, double quote and newline in values', () => {
    assert.equal(
      seriesKey({ name: 'm', labels: { a: 'C:\\dir "x"\nnext' } }),
      'm{a="C:\\\\dir \\"x\\"\\nnext"}',
    );
  });

  it('leaves out empty labels, and braces when no label is left', () => {
    assert.equal(seriesKey({ name: 'up', labels: {} }), 'up');
    assert.equal(seriesKey({ name: 'up', labels: { job: '' } }), 'up');
    assert.equal(seriesKey({ name: 'up', labels: { job: '', host: 'a' } }), 'up{host="a"}');
  });

  it('does not depend on the order labels were given in', () => {
    assert.equal(
      seriesKey({ name: 'm', labels: { b: '2', a: '1' } }),
      seriesKey({ name: 'm', labels: { a: '1', b: '2' } }),
    );
  });
});

describe('parseSeriesKey', () => {
  it('round-trips canonical keys, escapes included', () => {
    const ref = { name: 'perf_data:x', labels: { a: 'q"uo\\te\nd', b: 'plain' } };
    assert.deepEqual(parseSeriesKey(seriesKey(ref)), ref);
  });

  it('accepts labels in any order and spaces after commas', () => {
    assert.deepEqual(parseSeriesKey('m{b="2", a="1"}'), { name: 'm', labels: { b: '2', a: '1' } });
    assert.deepEqual(parseSeriesKey('m'), { name: 'm', labels: {} });
  });

  it('rejects what is not a series', () => {
    for (const bad of ['', '1m', 'm{', 'm{a=1}', 'm{a="1"', 'm{a="1"}x', 'm{-a="1"}']) {
      assert.equal(parseSeriesKey(bad), null, bad);
    }
  });
});
