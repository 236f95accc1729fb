import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { backupFixture } from './fixture.ts';
import { type PostgresCluster, startPostgres } from './postgres-cluster.ts';

let pg: PostgresCluster;
const cleanup: string[] = [];
before(async () => {
  pg = await startPostgres();
});
after(() => {
  pg?.stop();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

const rows = (db: string) => pg.sql(db, 'SELECT * FROM items ORDER BY id');

test('postgres: dump streamed into restic; each snapshot restores row for row; the drill verifies and prints RPO and RTO', () => {
  pg.sql('postgres', 'CREATE DATABASE shop');
  pg.sql(
    'shop',
    `CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), note text, at timestamptz);
     INSERT INTO items SELECT i, 'item ' || i, i * 1.25, CASE WHEN i % 7 = 0 THEN NULL ELSE E'tab\\there, back\\\\slash, ünïcode' END,
       '2026-01-01T00:00:00Z'::timestamptz + i * interval '1 minute' FROM generate_series(1, 2000) i;
     CREATE TABLE empty_table (x int);`,
  );
  const f = backupFixture(`    - name: shop
      repository: local
      postgres: { host: 127.0.0.1, port: ${pg.port}, database: shop, user: postgres }
      schedule: '0 2 * * *'
      keepDaily: 7
      rpoTarget: 1h
      rtoTarget: 5m
`);
  cleanup.push(f.dir);
  const first = f.backup(['run', 'shop']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /2 tables, 2000 rows/);
  const before = rows('shop');

  pg.sql(
    'shop',
    `UPDATE items SET price = price * 2 WHERE id <= 100; DELETE FROM items WHERE id > 1900; INSERT INTO items VALUES (5000, 'new', 1, NULL, now())`,
  );
  const second = f.backup(['run', 'shop']);
  assert.equal(second.code, 0, second.stderr);
  const afterChange = rows('shop');
  assert.notEqual(afterChange, before);

  const snapshots = JSON.parse(f.backup(['snapshots', 'shop', '--json']).stdout) as {
    id: string;
    time: string;
  }[];
  assert.equal(snapshots.length, 2);
  [before, afterChange].forEach((expected, i) => {
    const r = f.backup(['restore', 'shop', '--snapshot', snapshots[i]!.id, '--to', `restored_${i}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rows(`restored_${i}`), expected, `snapshot ${i} restores every row as it was`);
  });
  const refused = f.backup(['restore', 'shop', '--snapshot', 'latest', '--to', 'shop']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /already has tables/);

  const drill = f.backup(['drill', 'shop']);
  assert.equal(drill.code, 0, drill.stderr);
  assert.match(drill.stdout, /drill shop OK: restore verified/);
  assert.match(drill.stdout, /^RPO \S+ \(target 1h\)$/m);
  assert.match(drill.stdout, /^RTO \S+ \(target 5m\)$/m);
  // The scratch database is gone afterwards.
  assert.equal(
    pg.sql('postgres', "SELECT count(*) FROM pg_database WHERE datname LIKE 'steward_drill%'").trim(),
    '0',
  );

  // restic failing (wrong password) stops pg_dump too: the run ends with restic's error.
  const wrong = f.backup(['run', 'shop'], { STEWARD_TEST_RESTIC_PASSWORD: 'wrong-password' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /wrong password/);

  // A failing dump never becomes a snapshot.
  const broken = backupFixture(
    `    - name: gone
      repository: local
      postgres: { host: 127.0.0.1, port: ${pg.port}, database: no_such_db, user: postgres }
      schedule: '0 2 * * *'
      keepDaily: 7
`,
    { repository: f.repo },
  );
  cleanup.push(broken.dir);
  const failed = broken.backup(['run', 'gone']);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /backup gone FAILED/);
  assert.match(failed.stderr, /pg_dump of no_such_db failed/);
  assert.deepEqual(JSON.parse(broken.backup(['snapshots', 'gone', '--json']).stdout), []);
});
