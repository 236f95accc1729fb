import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availability, type ReportObject } from '../../src/web/reports/index.ts';

const svc: ReportObject = {
  id: 'db-1/disk',
  kind: 'service',
  host: 'db-1',
  name: 'disk',
  environment: 'prod',
};
const H = 3_600_000;

test('time in each state, outages with durations, SLA over a day', () => {
  // OK, CRITICAL from 02:00 to 03:00, WARNING 05:00-06:00 (not an outage), UNKNOWN 10:00-10:30.
  const a = availability(
    svc,
    0,
    24 * H,
    0,
    [
      { time: 2 * H, state: 2 },
      { time: 3 * H, state: 0 },
      { time: 5 * H, state: 1 },
      { time: 6 * H, state: 0 },
      { time: 10 * H, state: 3 },
      { time: 10.5 * H, state: 0 },
    ],
    [],
  );
  assert.equal(a.timeInState[2], H);
  assert.equal(a.timeInState[1], H);
  assert.equal(a.timeInState[3], 0.5 * H);
  assert.equal(a.timeInState[0], 21.5 * H);
  assert.deepEqual(
    a.outages.map((o) => [o.start / H, o.durationMs / H, o.state]),
    [
      [2, 1, 2],
      [10, 0.5, 3],
    ],
  );
  assert.equal(a.unplannedOutageMs, 1.5 * H);
  assert.equal(a.slaPercent, 93.75);
});

test('scheduled downtime does not count against the SLA; a period that starts inside an outage', () => {
  const a = availability(svc, 0, 10 * H, 2, [{ time: 4 * H, state: 0 }], [[0, 3 * H]]);
  assert.deepEqual(
    a.outages.map((o) => [o.start, o.durationMs / H, o.inDowntimeMs / H]),
    [[0, 4, 3]],
  );
  assert.equal(a.unplannedOutageMs, H);
  assert.equal(a.downtimeMs, 3 * H);
  assert.equal(a.slaPercent, 90);
});

test('hosts are out when DOWN or UNREACHABLE; an outage still open at the end runs to the end', () => {
  const host: ReportObject = { id: 'db-1', kind: 'host', host: 'db-1', name: 'db-1', environment: 'prod' };
  const a = availability(
    host,
    0,
    10 * H,
    0,
    [
      { time: 8 * H, state: 1 },
      { time: 9 * H, state: 2 },
    ],
    [],
  );
  assert.deepEqual(
    a.outages.map((o) => [o.start / H, o.end / H]),
    [[8, 10]],
  );
  assert.equal(a.slaPercent, 80);
});

test('time before the first check is not monitored: neither up nor down, not in the SLA', () => {
  // Monitored from 12:00; CRITICAL 18:00-21:00: 3 h out of 12 monitored hours, not of 24.
  const a = availability(
    svc,
    0,
    24 * H,
    0,
    [
      { time: 18 * H, state: 2 },
      { time: 21 * H, state: 0 },
    ],
    [],
    12 * H,
  );
  assert.equal(a.undeterminedMs, 12 * H);
  assert.equal(a.timeInState[0], 9 * H);
  assert.equal(a.timeInState[2], 3 * H);
  assert.equal(a.slaPercent, 75);
  // Monitoring that began before the period changes nothing; one that begins after it leaves all undetermined.
  assert.equal(availability(svc, 0, 24 * H, 0, [], [], -5 * H).undeterminedMs, 0);
  const later = availability(svc, 0, 24 * H, 0, [], [], 30 * H);
  assert.equal(later.undeterminedMs, 24 * H);
  assert.deepEqual(later.timeInState, {});
});
