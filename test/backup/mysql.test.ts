import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../helpers/steward-server.ts';
import { backupFixture } from './fixture.ts';
import { type MariadbServer, startMariadb } from './mariadb-server.ts';

const DB_PASSWORD = 's3cr"et\\pa ss#word';
const DB_ENV = { STEWARD_TEST_MYSQL_PASSWORD: DB_PASSWORD };

let db: MariadbServer;
let closedPort = 0;
const cleanup: string[] = [];
before(async () => {
  db = await startMariadb();
  closedPort = await freePort();
});
after(async () => {
  await db?.stop();
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

const rows = (database: string) => db.sql(database, 'SELECT * FROM items ORDER BY id');
const leftoverOptionFiles = () => readdirSync(tmpdir()).filter((n) => n.startsWith('steward-mysql-'));

test('mysql: mariadb-dump streamed into restic; each snapshot restores row for row with its routines and triggers; the drill verifies rows and prints RPO and RTO', () => {
  db.sql(
    'mysql',
    `CREATE USER backup@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}';
     -- The grants docs/spec.md lists: dump shop; restore into restored_* and drill scratch databases.
     GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON shop.* TO backup@'127.0.0.1';
     GRANT SELECT ON mysql.proc TO backup@'127.0.0.1';
     GRANT ALL ON \`steward\\_drill\\_%\`.* TO backup@'127.0.0.1';
     GRANT ALL ON \`restored\\_%\`.* TO backup@'127.0.0.1';
     GRANT SET USER ON *.* TO backup@'127.0.0.1';
     CREATE DATABASE shop CHARACTER SET utf8mb4;`,
  );
  db.sql(
    'shop',
    `CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(64), price DECIMAL(10,2), note TEXT, data BLOB, at DATETIME(3));
     INSERT INTO items SELECT seq, CONCAT('item ', seq), seq * 1.25,
       CASE WHEN seq % 7 = 0 THEN NULL ELSE 'tab\\there, quote '' ) (, back\\\\slash, ünïcode' END,
       UNHEX(SHA2(seq, 256)), TIMESTAMP('2026-01-01') + INTERVAL seq MINUTE
       FROM seq_1_to_2000;
     CREATE TABLE empty_table (x INT);
     CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, item INT);
     CREATE TRIGGER items_audit AFTER INSERT ON items FOR EACH ROW INSERT INTO audit (item) VALUES (NEW.id);
     CREATE PROCEDURE item_count() SELECT COUNT(*) FROM items;
     CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 10;`,
  );
  const f = backupFixture(`    - name: shop
      repository: local
      mysql: { host: 127.0.0.1, port: ${db.port}, database: shop, user: backup, passwordEnv: STEWARD_TEST_MYSQL_PASSWORD }
      schedule: '0 2 * * *'
      keepDaily: 7
      rpoTarget: 1h
      rtoTarget: 5m
`);
  cleanup.push(f.dir);
  const first = f.backup(['run', 'shop'], DB_ENV);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /3 tables, 2000 rows/);
  const before = rows('shop');

  db.sql(
    'shop',
    `UPDATE items SET price = price * 2 WHERE id <= 100; DELETE FROM items WHERE id > 1900;
     INSERT INTO items VALUES (5000, 'new', 1, NULL, NULL, NOW(3))`,
  );
  const second = f.backup(['run', 'shop'], DB_ENV);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /3 tables, 1902 rows/, 'the audit row written by the trigger is counted');
  const afterChange = rows('shop');
  assert.notEqual(afterChange, before);

  const snapshots = JSON.parse(f.backup(['snapshots', 'shop', '--json']).stdout) as { id: string }[];
  assert.equal(snapshots.length, 2);
  [before, afterChange].forEach((expected, i) => {
    const r = f.backup(['restore', 'shop', '--snapshot', snapshots[i]!.id, '--to', `restored_${i}`], DB_ENV);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^shop: restore into restored_${i} \\d+\\.\\d% [\\d.]+ MiB of [\\d.]+ MiB`, 'm'),
    );
    assert.equal(rows(`restored_${i}`), expected, `snapshot ${i} restores every row as it was`);
  });
  // Routines, triggers and views came along (--routines --triggers), in the restored database.
  assert.equal(db.sql('restored_1', 'SELECT COUNT(*) FROM audit').trim(), '1');
  assert.match(db.sql('restored_1', 'SHOW TRIGGERS'), /items_audit/);
  assert.match(db.sql('restored_1', 'CALL item_count()'), /^1901$/m);
  assert.match(db.sql('restored_1', 'SELECT COUNT(*) FROM cheap'), /^\d+$/m);

  const refused = f.backup(['restore', 'shop', '--snapshot', 'latest', '--to', 'shop'], DB_ENV);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /already has tables/);

  const drill = f.backup(['drill', 'shop'], DB_ENV);
  assert.equal(drill.code, 0, drill.stderr);
  assert.match(drill.stdout, /drill shop OK: restore verified/);
  assert.match(drill.stdout, /^RPO \S+ \(target 1h\)$/m);
  assert.match(drill.stdout, /^RTO \S+ \(target 5m\)$/m);
  assert.equal(
    db.sql('mysql', "SHOW DATABASES LIKE 'steward_drill%'").trim(),
    '',
    'scratch database dropped',
  );

  // The password never shows: not in output, history, nor left behind in an option file.
  const history = readFileSync(join(f.data, 'backup', 'history.jsonl'), 'utf8');
  for (const text of [first.stdout, first.stderr, drill.stdout, drill.stderr, history])
    assert.ok(!text.includes(DB_PASSWORD));
  assert.deepEqual(leftoverOptionFiles(), []);

  // A wrong database password: a clear error naming the variable, and no snapshot.
  const wrong = f.backup(['run', 'shop'], { STEWARD_TEST_MYSQL_PASSWORD: 'not-the-password' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /backup shop FAILED/);
  assert.match(wrong.stderr, /Access denied for user 'backup'/);
  assert.match(wrong.stderr, /password in \$STEWARD_TEST_MYSQL_PASSWORD/);
  assert.ok(!wrong.stderr.includes('not-the-password'));
  const unset = f.backup(['run', 'shop'], { STEWARD_TEST_MYSQL_PASSWORD: '' });
  assert.equal(unset.code, 1);
  assert.match(unset.stderr, /STEWARD_TEST_MYSQL_PASSWORD \(passwordEnv\) is not set/);
  assert.equal((JSON.parse(f.backup(['snapshots', 'shop', '--json']).stdout) as unknown[]).length, 2);

  // No server at the address: the error says where it looked.
  const down = backupFixture(
    `    - name: down
      repository: local
      mysql: { host: 127.0.0.1, port: ${closedPort}, database: shop, user: backup, passwordEnv: STEWARD_TEST_MYSQL_PASSWORD }
      schedule: '0 2 * * *'
`,
    { repository: f.repo },
  );
  cleanup.push(down.dir);
  const refusedConnection = down.backup(['run', 'down'], DB_ENV);
  assert.equal(refusedConnection.code, 1);
  assert.match(
    refusedConnection.stderr,
    new RegExp(`Is the server running at 127\\.0\\.0\\.1:${closedPort}\\?`),
  );
});
