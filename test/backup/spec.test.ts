import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { loadSpec } from '../../src/spec/index.ts';
import { backupFixture } from './fixture.ts';

test('backup jobs become passive services whose freshness follows the schedule', () => {
  const f = backupFixture(`    - name: db
      repository: local
      host: db-1
      postgres: { database: apim_db, user: backup }
      schedule: '0 2 * * 1-5'
      drillSchedule: '@weekly'
      keepDaily: 7
      rpoTarget: 26h
      rtoTarget: 30m
    - name: conf
      repository: local
      files: { paths: [/opt/conf] }
      schedule: '@hourly'
      keepHourly: 24
`);
  try {
    const loaded = loadSpec(f.spec);
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
    const { deployment } = loaded;
    const db = deployment.backup!.jobs.find((j) => j.name === 'db')!;
    assert.equal(db.serviceId, 'db-1/backup-db');
    assert.equal(db.runOn, 'steward');
    assert.deepEqual(db.source, {
      kind: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      database: 'apim_db',
      user: 'backup',
    });
    assert.equal(db.rpoTargetMs, 26 * 3_600_000);
    const backupDb = deployment.services.find((s) => s.id === 'db-1/backup-db')!;
    assert.equal(backupDb.probe.kind, 'passive');
    // Weekdays only: the longest gap is Friday 02:00 → Monday 02:00, plus 10% slack.
    assert.equal(backupDb.freshness?.thresholdMs, 72 * 3_600_000 + 7.2 * 3_600_000);
    assert.equal(backupDb.freshness?.staleState, 2);
    const drill = deployment.services.find((s) => s.id === 'db-1/drill-db')!;
    assert.equal(drill.freshness?.thresholdMs, (168 + 16.8) * 3_600_000);
    // A job without a host hangs off the `backup` pseudo-host, which has no host check.
    const hourly = deployment.services.find((s) => s.id === 'backup/backup-conf')!;
    assert.equal(hourly.freshness?.thresholdMs, 3_600_000 + 15 * 60_000);
    const pseudo = deployment.hosts.find((h) => h.name === 'backup')!;
    assert.equal(pseudo.probe, null);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('bad schedules, unknown repositories and two sources are located errors', () => {
  const f = backupFixture(`    - name: db
      repository: offsite
      files: { paths: [/a] }
      postgres: { database: x, user: y }
      schedule: '61 2 * * *'
      timeZone: Mars/Olympus
`);
  try {
    const loaded = loadSpec(f.spec);
    assert.ok(!loaded.ok);
    const text = loaded.errors.map((e) => `${e.line}: ${e.message}`).join('\n');
    assert.match(text, /repository "offsite" is not defined/);
    assert.match(text, /one source, not files and postgres/);
    assert.match(text, /unknown time zone "Mars\/Olympus"/);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('runOn: host needs a host and a files job, at the runOn line', () => {
  const f = backupFixture(`    - name: conf
      repository: local
      runOn: host
      files: { paths: [/opt/conf] }
      schedule: '@hourly'
    - name: db
      repository: local
      host: db-1
      runOn: host
      postgres: { database: apim_db, user: backup }
      schedule: '@daily'
`);
  try {
    const loaded = loadSpec(f.spec);
    assert.ok(!loaded.ok);
    const errors = loaded.errors.map((e) => `${e.line}: ${e.message}`);
    const runOnLines = readFileSync(f.spec, 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.includes('runOn: host') ? [i + 1] : []));
    assert.equal(runOnLines.length, 2);
    assert.ok(
      errors.some((e) => e.startsWith(`${runOnLines[0]}: runOn: host needs the host that runs the job`)),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.startsWith(`${runOnLines[1]}: runOn: host is for files jobs`)),
      errors.join('\n'),
    );
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('a repository URL with a password in it is a located error saying where credentials go instead', () => {
  const f = backupFixture(
    `    - name: conf
      repository: local
      files: { paths: [/a] }
      schedule: '@daily'
`,
    { repository: 'rest:https://backup:s3cret@vault.internal:8000/acme/' },
  );
  try {
    const loaded = loadSpec(f.spec);
    assert.ok(!loaded.ok);
    const error = loaded.errors.find((e) => /without a password/.test(e.message));
    assert.ok(error, JSON.stringify(loaded.errors));
    assert.equal(error.line, 11, 'the line of the repository URL');
    assert.match(error.hint ?? '', /RESTIC_REST_USERNAME and RESTIC_REST_PASSWORD/);
    assert.ok(!JSON.stringify(loaded.errors).includes('s3cret'), 'the password is not repeated');
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});
