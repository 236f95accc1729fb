import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeProgress, progressFromStatus } from '../../src/backup/progress.ts';
import { backupFixture } from './fixture.ts';

test('progress lines: restic status as percent, sizes, files and time; unknown totals left out', () => {
  const p = progressFromStatus('conf', 'backup', {
    message_type: 'status',
    seconds_elapsed: 75,
    seconds_remaining: 3700,
    percent_done: 0.5129,
    total_files: 3,
    files_done: 1,
    total_bytes: 12582912,
    bytes_done: 6453935,
  });
  assert.equal(
    describeProgress(p),
    'conf: backup 51.3% 6.2 MiB of 12.0 MiB 1/3 files 1:15 elapsed ~1:01:40 left',
  );
  // A dump streamed on stdin: restic knows neither the size nor a percentage.
  assert.equal(
    describeProgress(progressFromStatus('shop', 'backup', { percent_done: 0, bytes_done: 3 * 1024 ** 3 })),
    'shop: backup 3.00 GiB',
  );
  assert.equal(describeProgress({ job: 'conf', phase: 'verify' }), 'conf: verify');
});

test('a long backup shows progress on stderr while it runs; a database-free restore says it is restoring', () => {
  const f = backupFixture(`    - name: conf
      repository: local
      files: { paths: ['PLACEHOLDER'] }
      schedule: '@daily'
`);
  try {
    const src = join(f.dir, 'src');
    mkdirSync(src);
    for (let i = 0; i < 3; i++) writeFileSync(join(src, `f${i}.bin`), randomBytes(4 * 1024 * 1024));
    // 12 MiB at 2 MiB/s: six seconds, more than the 5-second interval of progress lines in logs.
    writeFileSync(
      f.spec,
      readFileSync(f.spec, 'utf8')
        .replace('PLACEHOLDER', src)
        .replace(
          'passwordEnv: STEWARD_TEST_RESTIC_PASSWORD }',
          'passwordEnv: STEWARD_TEST_RESTIC_PASSWORD, limitUpload: 2048 }',
        ),
    );
    const run = f.backup(['run', 'conf']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('conf: backup '));
    assert.ok(lines.length >= 2, `progress lines while running:\n${run.stderr}`);
    assert.match(lines[0]!, /^conf: backup 0\.0% 0\.0 MiB of [\d.]+ MiB/);
    assert.ok(
      lines.some((l) => /^conf: backup (\d\d|100)\.\d% [\d.]+ MiB of 12\.0 MiB [1-3]\/3 files/.test(l)),
      run.stderr,
    );
    const restore = f.backup(['restore', 'conf', '--snapshot', 'latest', '--to', join(f.dir, 'out')]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stderr, /^conf: restore/m);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});
