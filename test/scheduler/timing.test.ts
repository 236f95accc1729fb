import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashOffset, initialDue, nextDue, spreadOffset } from '../../src/scheduler/index.ts';

test('nextDue keeps the phase: one interval after the previous due time, not after completion', () => {
  assert.equal(nextDue(1_000, 60_000, 1_500), 61_000);
  assert.equal(nextDue(1_000, 60_000, 60_999), 61_000);
});

test('nextDue skips whole missed intervals instead of running them back to back', () => {
  assert.equal(nextDue(0, 1_000, 3_500), 4_000);
  assert.equal(nextDue(0, 1_000, 3_000), 4_000);
  assert.equal(nextDue(0, 1_000, 1_000), 2_000);
});

test('no drift over a day of 10 s checks that each take 300 ms', () => {
  let due = 0;
  for (let i = 0; i < 8_640; i++) due = nextDue(due, 10_000, due + 300);
  assert.equal(due, 86_400_000);
});

test('spreadOffset places checks evenly over the interval', () => {
  const offsets = Array.from({ length: 10 }, (_, i) => spreadOffset(i, 10, 60_000));
  assert.deepEqual(offsets, [0, 6000, 12000, 18000, 24000, 30000, 36000, 42000, 48000, 54000]);
  assert.equal(spreadOffset(0, 1, 60_000), 0);
  assert.equal(spreadOffset(5, 10, 60_000, 10_000), 5_000);
});

test('hashOffset is stable and within the interval', () => {
  const a = hashOffset('web-1/http', 30_000);
  assert.equal(a, hashOffset('web-1/http', 30_000));
  assert.ok(a >= 0 && a < 30_000);
  const spread = new Set(
    Array.from({ length: 1000 }, (_, i) => Math.floor(hashOffset(`h${i}/s`, 10_000) / 1000)),
  );
  assert.equal(spread.size, 10, 'a thousand ids land in every tenth of the interval');
});

test('initialDue keeps a persisted due time ahead of now, respreads an overdue one', () => {
  assert.equal(initialDue(5_000, 60_000, 1_000, 777), 5_000);
  assert.equal(initialDue(500, 60_000, 1_000, 777), 1_777, 'overdue after downtime: spread, no herd');
  assert.equal(initialDue(null, 60_000, 1_000, 777), 1_777);
  assert.equal(initialDue(1_000_000, 60_000, 1_000, 777), 1_777, 'too far ahead (interval shrank): spread');
});
