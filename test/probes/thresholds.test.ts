import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateThresholds, parseThresholdRange, rangeAlerts } from '../../src/probes/index.ts';

const INF = Number.POSITIVE_INFINITY;

describe('parseThresholdRange', () => {
  const valid: Array<[string, number, number, boolean]> = [
    ['10', 0, 10, false],
    ['10:', 10, INF, false],
    ['~:10', -INF, 10, false],
    ['10:20', 10, 20, false],
    ['@10:20', 10, 20, true],
    ['0.5', 0, 0.5, false],
    ['-5:-1', -5, -1, false],
    ['-10:', -10, INF, false],
    ['@~:0', -INF, 0, true],
    [':10', 0, 10, false], // the plugins' parse_range_string reads an empty start as 0
    ['1e2', 0, 100, false],
    [' 5 ', 0, 5, false],
    ['10:10', 10, 10, false],
  ];
  for (const [text, start, end, inside] of valid) {
    it(`parses '${text}'`, () => {
      const parsed = parseThresholdRange(text);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      assert.equal(parsed.range.start, start);
      assert.equal(parsed.range.end, end);
      assert.equal(parsed.range.inside, inside);
    });
  }

  const invalid: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['abc', /end 'abc' is not a number/],
    ['10:5', /start 10 is greater than end 5/],
    ['x:10', /start 'x' is not a number or '~'/],
    ['1:2:3', /more than one colon/],
    ['@', /'@' must be followed by a range/],
    ['10:~', /only allowed as the start/],
    ['~', /only allowed as the start/],
    ['5%', /end '5%' is not a number/],
    ['@@1', /not a number/],
  ];
  for (const [text, why] of invalid) {
    it(`rejects '${text}' saying why and how to write it`, () => {
      const parsed = parseThresholdRange(text);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.match(parsed.error, why);
      assert.match(parsed.error, /Nagios range syntax/);
      assert.ok(parsed.error.includes(`'${text}'`), parsed.error);
    });
  }
});

describe('rangeAlerts', () => {
  const cases: Array<[string, number, boolean]> = [
    ['10', -1, true],
    ['10', 0, false],
    ['10', 10, false],
    ['10', 10.01, true],
    ['10:', 9.99, true],
    ['10:', 10, false],
    ['10:', 1e9, false],
    ['~:10', -1e9, false],
    ['~:10', 11, true],
    ['10:20', 9, true],
    ['10:20', 15, false],
    ['10:20', 21, true],
    ['@10:20', 10, true],
    ['@10:20', 20, true],
    ['@10:20', 15, true],
    ['@10:20', 9, false],
    ['@10:20', 21, false],
    ['-5:-1', -3, false],
    ['-5:-1', 0, true],
  ];
  for (const [text, value, alerts] of cases) {
    it(`'${text}' ${alerts ? 'alerts' : 'does not alert'} on ${value}`, () => {
      const parsed = parseThresholdRange(text);
      assert.ok(parsed.ok);
      assert.equal(rangeAlerts(parsed.range, value), alerts);
    });
  }
});

describe('evaluateThresholds', () => {
  it('is OK with no ranges', () => assert.equal(evaluateThresholds(1e9), 0));
  it('is WARNING outside the warning range only', () => assert.equal(evaluateThresholds(85, '80', '95'), 1));
  it('is CRITICAL outside the critical range (critical wins)', () =>
    assert.equal(evaluateThresholds(99, '80', '95'), 2));
  it('is OK inside both', () => assert.equal(evaluateThresholds(50, '80', '95'), 0));
  it('critical wins even when the warning range would not alert', () =>
    assert.equal(evaluateThresholds(5, '0:100', '10:'), 2));
  it('treats empty strings as absent', () => assert.equal(evaluateThresholds(1e9, '', ''), 0));
  it('is UNKNOWN for an invalid range', () => assert.equal(evaluateThresholds(1, 'nope'), 3));
  it('accepts parsed ranges', () => {
    const parsed = parseThresholdRange('@0:5');
    assert.ok(parsed.ok);
    assert.equal(evaluateThresholds(3, parsed.range), 1);
  });
});
