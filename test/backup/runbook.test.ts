import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { renderRunbook } from '../../src/backup/runbook.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { backupFixture } from './fixture.ts';

test('the runbook lists what is backed up where, restores databases first, and quotes the last drill', () => {
  const f = backupFixture(`    - name: conf
      repository: local
      files: { paths: [/opt/wso2am/repository/conf], exclude: ['*.log'] }
      schedule: '0 * * * *'
      keepHourly: 24
    - name: apim-db
      repository: local
      postgres: { host: db.internal, database: apim_db, user: backup }
      schedule: '30 2 * * *'
      timeZone: Europe/Amsterdam
      keepDaily: 7
      rpoTarget: 26h
      rtoTarget: 30m
    - name: wiki-db
      repository: local
      mysql: { host: mysql.internal, database: wiki, user: backup, passwordEnv: WIKI_DB_PASSWORD }
      schedule: '0 3 * * *'
      keepDaily: 14
`);
  try {
    const loaded = loadSpec(f.spec);
    assert.ok(loaded.ok);
    const text = renderRunbook(
      loaded.deployment,
      [
        {
          type: 'drill',
          job: 'apim-db',
          at: '2026-11-20T05:00:00Z',
          ok: false,
          rpoMs: 3_600_000,
          rtoMs: 95_000,
          error: 'old',
        },
        {
          type: 'drill',
          job: 'apim-db',
          at: '2026-11-25T05:00:00Z',
          ok: true,
          rpoMs: 9_000_000,
          rtoMs: 125_000,
          snapshotId: 'abcdef0123',
          snapshotTime: '2026-11-25T01:30:00Z',
        },
      ],
      new Date('2026-11-25T12:00:00Z'),
    );
    assert.match(text, /\| local \| `.*repo` \| environment variable `STEWARD_TEST_RESTIC_PASSWORD` \|/);
    assert.match(
      text,
      /\| apim-db \| PostgreSQL database `apim_db` on db.internal:5432 \(logical dump\) \| local \| `30 2 \* \* \*` Europe\/Amsterdam \| 7 daily \| 1d2h \| 30m \|/,
    );
    assert.match(
      text,
      /\| wiki-db \| MySQL\/MariaDB database `wiki` on mysql.internal:3306 \(logical dump\) \|/,
    );
    assert.match(
      text,
      /steward backup restore wiki-db --spec \S+ --snapshot latest --to wiki_restored\n# [^\n]*MySQL cannot rename/,
    );
    // Databases before files.
    assert.match(
      text,
      /1\. apim-db — PostgreSQL[\s\S]*2\. wiki-db — MySQL[\s\S]*3\. conf — files `\/opt\/wso2am\/repository\/conf` \(excluding `\*\.log`\)/,
    );
    assert.match(text, /steward backup restore apim-db --spec \S+ --snapshot latest --to apim_db_restored/);
    // The newest drill, not the older failed one.
    assert.match(
      text,
      /Last drill 2026-11-25T05:00:00Z: \*\*passed\*\*; measured RPO 2h30m \(target 1d2h\), RTO 2m5s \(target 30m\); restored snapshot `abcdef01`/,
    );
    assert.match(text, /No drill recorded yet: run `steward backup drill conf`/);
    assert.ok(!text.includes('correct horse'), 'no password');
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});
