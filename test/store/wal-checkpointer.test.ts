import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WalCheckpointer } from '../../src/store/sqlite/wal-checkpointer.ts';
import { tempDir } from './helpers.ts';

describe('WalCheckpointer', () => {
  it('copies a grown WAL into the database file from its worker thread', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'test.db');
    const db = new DatabaseSync(path);
    // This connection never checkpoints by itself: whatever reaches the file is the worker's doing.
    db.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (x BLOB)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.exec('BEGIN');
    for (let i = 0; i < 2000; i++) insert.run(new Uint8Array(4000));
    db.exec('COMMIT');
    const before = statSync(path).size;
    assert.ok(statSync(`${path}-wal`).size > 4 * 1024 * 1024);

    const checkpointer = new WalCheckpointer(path, { intervalMs: 20, walBytes: 1024 * 1024 });
    try {
      let after = before;
      for (let i = 0; i < 100 && after < 6 * 1024 * 1024; i++) {
        await sleep(30);
        after = statSync(path).size;
      }
      assert.ok(after > 6 * 1024 * 1024, `database file grew from ${before} to ${after} bytes`);
    } finally {
      checkpointer.close();
      db.close();
    }
  });
});
