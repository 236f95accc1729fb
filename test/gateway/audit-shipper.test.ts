// The audit shipper against a receiver in the same process (it keeps what it got, by event id, as
// steward serve does): batches, partial and broken lines, failures with backoff, a lost answer,
// restarts from the durable offset, and a replaced log. The HTTPS side is in audit-shipping.test.ts.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type ShippedEntry, startAuditShipper } from '../../src/gateway/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import { waitFor } from './helpers/openssh.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-shipper-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A receiver that stores by (source, eventId) and can be told to fail or to lose its answer. */
function receiver() {
  const stored = new Map<string, ShippedEntry>();
  const r = {
    stored,
    posts: [] as number[],
    mode: 'ok' as 'ok' | 'down' | 'lose-answer',
    async post(body: { source: string; entries: ShippedEntry[] }) {
      r.posts.push(body.entries.length);
      if (r.mode === 'down') throw new Error('ECONNREFUSED');
      let fresh = 0;
      for (const e of body.entries) {
        const key = `${body.source}|${e.eventId}`;
        if (!stored.has(key)) fresh++;
        stored.set(key, e);
      }
      if (r.mode === 'lose-answer') {
        r.mode = 'ok';
        throw new Error('socket hang up'); // stored, but the shipper cannot know
      }
      return { stored: fresh, duplicates: body.entries.length - fresh };
    },
  };
  return r;
}

const line = (n: number, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ eventId: `ev-${n}`, ts: new Date(1_800_000_000_000 + n).toISOString(), type: 'connection', conn: n, source: '203.0.113.9', ...extra })}\n`;

function files(name: string) {
  return { auditFile: join(dir, `${name}.jsonl`), offsetFile: join(dir, `${name}.shipped.json`) };
}

function shipper(name: string, rx: ReturnType<typeof receiver>, batchSize = 3) {
  return startAuditShipper({
    ...files(name),
    source: 'bastion-1',
    post: (body) => rx.post(body),
    logger: silentLogger(),
    batchSize,
    pollMs: 20,
    backoffMs: 20,
    maxBackoffMs: 80,
  });
}

test('ships complete lines in batches, waits for a partial line, skips a broken one', async () => {
  const { auditFile } = files('batches');
  writeFileSync(
    auditFile,
    [1, 2, 3, 4, 5].map((n) => line(n)).join('') + 'not json\n' + line(6) + line(7).slice(0, 20),
  );
  const rx = receiver();
  const s = shipper('batches', rx);
  await waitFor(() => (rx.stored.size === 6 ? true : undefined), 'six events', 10_000);
  assert.deepEqual(rx.posts.slice(0, 2), [3, 3]); // 3, then 2 events + the broken line in one batch of 3 lines
  assert.equal(s.stats().pending, 0);
  const entry = rx.stored.get('bastion-1|ev-1')!;
  assert.equal(entry.action, 'gateway.connection');
  assert.equal(entry.ip, '203.0.113.9');
  assert.equal(entry.details.eventId, undefined, 'the id is not repeated in details');
  // The rest of line 7 arrives: shipped on the next look.
  appendFileSync(auditFile, line(7).slice(20));
  await waitFor(() => (rx.stored.has('bastion-1|ev-7') ? true : undefined), 'the completed line', 10_000);
  await s.close();
});

test('a down receiver keeps events queued (pending, failures) and gets them all once it is back', async () => {
  const { auditFile } = files('outage');
  writeFileSync(auditFile, line(1));
  const rx = receiver();
  rx.mode = 'down';
  const s = shipper('outage', rx);
  appendFileSync(auditFile, line(2) + line(3) + line(4));
  s.nudge();
  await waitFor(() => (s.stats().failures >= 3 ? true : undefined), 'three failures', 10_000);
  assert.equal(s.stats().pending, 4);
  assert.equal(s.stats().shipped, 0);
  const attempts = rx.posts.length;
  // Backoff: nudges during it do not add attempts.
  for (let i = 0; i < 20; i++) s.nudge();
  assert.ok(rx.posts.length <= attempts + 1);
  rx.mode = 'lose-answer';
  await waitFor(() => (s.stats().pending === 0 ? true : undefined), 'the queue to drain', 10_000);
  assert.equal(rx.stored.size, 4, 'each event stored once, though the first delivery was re-sent');
  assert.equal(s.stats().shipped, 4);
  await s.close();
});

test('a restart continues from the acknowledged offset; a replaced log is shipped from its start', async () => {
  const { auditFile } = files('restart');
  writeFileSync(auditFile, line(1) + line(2));
  const rx = receiver();
  let s = shipper('restart', rx);
  await waitFor(() => (rx.stored.size === 2 ? true : undefined), 'two events', 10_000);
  await s.close();
  appendFileSync(auditFile, line(3));
  const postsBefore = rx.posts.length;
  s = shipper('restart', rx);
  await waitFor(() => (rx.stored.size === 3 ? true : undefined), 'the third event', 10_000);
  assert.deepEqual(rx.posts.slice(postsBefore), [1], 'only the new line was sent');
  await s.close();

  // Rotated: a new file (new inode) with fewer bytes; its lines without ids get stable ones.
  rmSync(auditFile);
  writeFileSync(auditFile, '{"ts":"2026-11-25T10:00:00Z","type":"reload","result":"ok"}\n');
  s = shipper('restart', rx);
  await waitFor(() => (rx.stored.size === 4 ? true : undefined), 'the line of the new file', 10_000);
  const legacy = [...rx.stored.keys()].find((k) => k.startsWith('bastion-1|line-'));
  assert.ok(legacy, [...rx.stored.keys()].join(' '));
  await s.close();
});

test('drain ships what was written since the last look, without waiting for the poll', async () => {
  const { auditFile, offsetFile } = files('drain');
  writeFileSync(auditFile, line(1));
  const rx = receiver();
  const s = startAuditShipper({
    auditFile,
    offsetFile,
    source: 'bastion-1',
    post: (body) => rx.post(body),
    logger: silentLogger(),
    pollMs: 60_000,
  });
  await waitFor(() => (rx.stored.size === 1 ? true : undefined), 'the first event', 10_000);
  appendFileSync(auditFile, line(2));
  await s.drain(5_000);
  assert.ok(rx.stored.has('bastion-1|ev-2'), 'shipped by drain, a minute before the next poll');
  await s.close();
});
