import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { DATABASE_FILE, openSqliteStore } from '../../src/store/index.ts';
import { CRASH_OPTIONS, CRASH_SERIES, crashSeries, T0 } from './fixtures/crash-shared.ts';
import { tempDir } from './helpers.ts';

/** Runs the writer until it has reported `batches` commits, then kills it with SIGKILL. */
async function writeAndKill(dir: string, batches: number): Promise<number> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'crash-writer.ts'), dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  let last = -1;
  let buffered = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) last = Number(line);
    // Killed while it is in the middle of the next batch (or a buffer move, or maintenance).
    if (last >= batches - 1) child.kill('SIGKILL');
  });
  const signal = await exited;
  assert.equal(signal, 'SIGKILL', `the writer should have been killed, not exit by itself: ${stderr}`);
  return last;
}

describe('crash safety', () => {
  it('keeps every transaction committed before a SIGKILL, and the database consistent', async () => {
    using tmp = tempDir();
    const reported = await writeAndKill(tmp.dir, 120);

    const db = new DatabaseSync(join(tmp.dir, DATABASE_FILE));
    assert.deepEqual({ ...db.prepare('PRAGMA integrity_check').get() }, { integrity_check: 'ok' });
    db.close();

    const store = openSqliteStore(tmp.dir, CRASH_OPTIONS);
    try {
      // The child may have committed one more batch than it managed to report; never fewer.
      const committed = Number(store.getMeta('batch'));
      assert.ok(
        committed >= reported && committed <= reported + 1,
        `committed ${committed}, reported ${reported}`,
      );

      // Each batch is all there or not at all.
      const events = store.queryEvents({ limit: 10_000 });
      assert.deepEqual(
        events.map((e) => e.details?.batch).reverse(),
        Array.from({ length: committed + 1 }, (_, i) => i),
      );
      assert.equal(store.loadStatuses()[0]?.notificationNumber, committed);
      for (const i of [0, 1, CRASH_SERIES / 2, CRASH_SERIES - 1]) {
        const r = store.queryRange({
          series: crashSeries(i),
          from: T0,
          to: T0 + committed * 10_000,
          stepMs: 10_000,
        })!;
        assert.deepEqual(
          r.points.map((p) => p.avg),
          Array.from({ length: committed + 1 }, (_, b) => b),
          `series ${i}`,
        );
      }
      assert.equal(store.stats().rawSamples, (committed + 1) * CRASH_SERIES);

      // And it carries on: maintenance empties the buffer into samples without losing anything.
      while (!store.runMaintenance(T0 + (committed + 1) * 10_000).done) {}
      const db2 = new DatabaseSync(join(tmp.dir, DATABASE_FILE), { readOnly: true });
      try {
        assert.deepEqual(
          { ...db2.prepare('SELECT count(*) AS n FROM samples').get() },
          { n: (committed + 1) * CRASH_SERIES },
        );
        assert.deepEqual({ ...db2.prepare('SELECT count(*) AS n FROM samples_recent').get() }, { n: 0 });
      } finally {
        db2.close();
      }
    } finally {
      store.close();
    }
  });
});
