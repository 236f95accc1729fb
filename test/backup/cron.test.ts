import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cronProblem, longestGap, nextRun, parseCron } from '../../src/backup/cron.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

test('next runs in UTC: steps, ranges, lists, names', () => {
  const from = Date.parse('2026-11-25T10:07:00Z'); // a Wednesday
  assert.equal(iso(nextRun(parseCron('*/15 * * * *'), from)), '2026-11-25T10:15:00.000Z');
  assert.equal(iso(nextRun(parseCron('0 2 * * mon-fri'), from)), '2026-11-26T02:00:00.000Z');
  assert.equal(iso(nextRun(parseCron('0 2 * * sat,sun'), from)), '2026-11-28T02:00:00.000Z');
  assert.equal(iso(nextRun(parseCron('30 4 1 jan *'), from)), '2027-01-01T04:30:00.000Z');
  assert.equal(iso(nextRun(parseCron('@hourly'), from)), '2026-11-25T11:00:00.000Z');
  // Both day fields restricted: either matches (Vixie cron).
  assert.equal(iso(nextRun(parseCron('0 0 1 * 5'), from)), '2026-11-27T00:00:00.000Z');
  // Strictly after: a run exactly at `from` is not next.
  assert.equal(iso(nextRun(parseCron('7 10 * * *'), from)), '2026-11-26T10:07:00.000Z');
});

test('time zones and daylight saving', () => {
  const s = parseCron('30 2 * * *', 'Europe/Amsterdam');
  // Winter: CET = UTC+1.
  assert.equal(iso(nextRun(s, Date.parse('2026-11-25T12:00:00Z'))), '2026-11-26T01:30:00.000Z');
  // Summer: CEST = UTC+2.
  assert.equal(iso(nextRun(s, Date.parse('2026-07-01T12:00:00Z'))), '2026-07-02T00:30:00.000Z');
  // 29 March 2026: 02:30 does not exist; the run happens once, at 03:30 CEST.
  assert.equal(iso(nextRun(s, Date.parse('2026-03-28T12:00:00Z'))), '2026-03-29T01:30:00.000Z');
  // 25 October 2026: 02:30 happens twice; the run happens once, the first time.
  const fall = nextRun(s, Date.parse('2026-10-24T12:00:00Z'))!;
  assert.equal(iso(fall), '2026-10-25T00:30:00.000Z');
  assert.equal(iso(nextRun(s, fall)), '2026-10-26T01:30:00.000Z');
});

test('longest gap between runs', () => {
  const from = Date.parse('2026-11-25T00:00:00Z');
  assert.equal(longestGap(parseCron('0 2 * * 1-5'), from), 72 * 3_600_000);
  assert.equal(longestGap(parseCron('*/10 * * * *'), from), 600_000);
  assert.equal(longestGap(parseCron('0 0 1 * *'), from), 31 * 86_400_000);
});

test('errors say which field is wrong', () => {
  assert.match(cronProblem('61 * * * *')!, /minute 61 is out of range 0-59/);
  assert.match(cronProblem('0 2 * *')!, /has 4 field\(s\); a cron schedule has 5/);
  assert.match(cronProblem('0 2 * * funday')!, /day-of-week "funday" is not a number/);
  assert.match(cronProblem('0 5-2 * * *')!, /range "5-2" runs backwards/);
  assert.match(cronProblem('0 2 * * *', 'Nowhere/City')!, /unknown time zone/);
  assert.equal(cronProblem('0 2 * * 7'), null);
});
