import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter } from '../../src/backup/dump-manifest.ts';
import { mysqlOptionFile } from '../../src/backup/mysql.ts';
import { MysqlDumpRows } from '../../src/backup/mysql-dump-rows.ts';

function figures(dump: string) {
  const rows = new MysqlDumpRows();
  const lines = new LineSplitter((l) => rows.line(l));
  // Chunk boundaries fall anywhere, as in a stream.
  const bytes = Buffer.from(dump);
  for (let i = 0; i < bytes.length; i += 7) lines.push(bytes.subarray(i, i + 7));
  lines.end();
  return rows.tables;
}

const ONE_LINE = `CREATE TABLE \`items\` (
  \`id\` int(11) NOT NULL
);
CREATE TABLE \`empty\` (x int);
CREATE TABLE \`we\`\`ird\` (x int);
INSERT INTO \`items\` VALUES (1,'a (b), c'),(2,'it\\'s; ok'),(3,NULL),(4,'back\\\\'),(5,0x28);
INSERT INTO \`we\`\`ird\` VALUES (1);
`;
const ONE_TUPLE_PER_LINE = `CREATE TABLE \`items\` (
  \`id\` int(11) NOT NULL
);
CREATE TABLE \`empty\` (x int);
CREATE TABLE \`we\`\`ird\` (x int);
INSERT INTO \`items\` VALUES
(1,'a (b), c'),
(2,'it\\'s; ok'),
(3,NULL),
(4,'back\\\\'),
(5,0x28);
INSERT INTO \`we\`\`ird\` VALUES
(1);
`;

test('mysql dump rows: tuples counted and hashed the same in both INSERT layouts; quotes, parentheses and ; inside strings; empty tables listed', () => {
  const a = figures(ONE_LINE);
  const b = figures(ONE_TUPLE_PER_LINE);
  assert.deepEqual(Object.keys(a).sort(), ['empty', 'items', 'we`ird']);
  assert.equal(a.items!.rows, 5);
  assert.equal(a.empty!.rows, 0);
  assert.equal(a['we`ird']!.rows, 1);
  assert.deepEqual(a, b);
  // Row order does not matter; a changed value does.
  assert.deepEqual(
    figures(ONE_LINE.replace("(1,'a (b), c'),(2,'it\\'s; ok')", "(2,'it\\'s; ok'),(1,'a (b), c')")).items,
    a.items,
  );
  assert.notEqual(figures(ONE_LINE.replace('(3,NULL)', "(3,'')")).items!.hash, a.items!.hash);
});

test('mysql option file: the password quoted so quotes, backslashes and # survive; a missing variable is named', () => {
  const source = {
    kind: 'mysql' as const,
    host: '127.0.0.1',
    port: 3306,
    database: 'shop',
    user: 'backup',
    passwordEnv: 'DB_PW',
  };
  const text = mysqlOptionFile(source, { DB_PW: 'a"b\\c #d' });
  assert.match(text, /^\[client\]$/m);
  assert.match(text, /^port=3306$/m);
  assert.match(text, /^password="a\\"b\\\\c #d"$/m);
  assert.throws(() => mysqlOptionFile(source, {}), /DB_PW \(passwordEnv\) is not set/);
  assert.doesNotMatch(mysqlOptionFile({ ...source, passwordEnv: undefined } as never, {}), /password/);
});
