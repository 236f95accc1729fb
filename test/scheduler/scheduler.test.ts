import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Scheduler } from '../../src/scheduler/index.ts';

test('runs every scheduled check once when due, in due order', async () => {
  const ran: string[] = [];
  const s = new Scheduler({ concurrency: 10, run: async (id) => void ran.push(id) });
  const now = Date.now();
  s.schedule('c', now + 60);
  s.schedule('a', now + 20);
  s.schedule('b', now + 40);
  s.start();
  await sleep(150);
  await s.stop();
  assert.deepEqual(ran, ['a', 'b', 'c']);
});

test('never has more checks in flight than the concurrency limit', async () => {
  let inflight = 0;
  let peak = 0;
  let done = 0;
  const s = new Scheduler({
    concurrency: 4,
    run: async () => {
      inflight++;
      peak = Math.max(peak, inflight);
      await sleep(10);
      inflight--;
      done++;
    },
  });
  const now = Date.now();
  for (let i = 0; i < 40; i++) s.schedule(`c${i}`, now);
  s.start();
  for (let i = 0; i < 100 && done < 40; i++) await sleep(10);
  await s.stop();
  assert.equal(done, 40);
  assert.equal(peak, 4);
});

test('rescheduling replaces the previous due time; unscheduling cancels', async () => {
  const ran: string[] = [];
  const s = new Scheduler({ concurrency: 10, run: async (id) => void ran.push(id) });
  const now = Date.now();
  s.schedule('moved', now + 10);
  s.schedule('moved', now + 80);
  s.schedule('gone', now + 10);
  s.unschedule('gone');
  s.start();
  await sleep(40);
  assert.deepEqual(ran, []);
  await sleep(80);
  await s.stop();
  assert.deepEqual(ran, ['moved']);
});

test('a failing check does not stop the scheduler', async () => {
  const ran: string[] = [];
  const s = new Scheduler({
    concurrency: 1,
    run: async (id) => {
      ran.push(id);
      if (id === 'bad') throw new Error('boom');
    },
  });
  const now = Date.now();
  s.schedule('bad', now);
  s.schedule('good', now + 5);
  s.start();
  await sleep(50);
  await s.stop();
  assert.deepEqual(ran, ['bad', 'good']);
  assert.equal(s.stats.completed, 2);
});

test('lateness is reported for each dispatched check and stays small when idle', async () => {
  const lateness: number[] = [];
  const s = new Scheduler({ concurrency: 100, run: async () => {} });
  s.onLateness((ms) => lateness.push(ms));
  const now = Date.now();
  for (let i = 0; i < 50; i++) s.schedule(`c${i}`, now + 5 + i);
  s.start();
  await sleep(120);
  await s.stop();
  assert.equal(lateness.length, 50);
  assert.ok(Math.max(...lateness) < 250, `max lateness ${Math.max(...lateness)} ms`);
});

test('stop() waits for the checks in flight', async () => {
  let finished = false;
  const s = new Scheduler({
    concurrency: 1,
    run: async () => {
      await sleep(50);
      finished = true;
    },
  });
  s.schedule('slow', Date.now());
  s.start();
  await sleep(5);
  await s.stop();
  assert.equal(finished, true);
});
