import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { backupFixture, PASSWORD } from './fixture.ts';

/** Every file under dir (relative path → sha256), to compare trees byte for byte. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const cleanup: string[] = [];
after(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

test('files: back up, change, back up again; each snapshot restores byte for byte; retention keeps exactly the expected ones', () => {
  const f = backupFixture('');
  cleanup.push(f.dir);
  const src = join(f.dir, 'product');
  // Rewrite the spec with this job (paths known only now).
  const spec = readFileSync(f.spec, 'utf8');
  writeFileSync(
    f.spec,
    `${spec}    - name: conf
      repository: local
      files: { paths: ['${src}'], exclude: ['*.tmp'] }
      schedule: '30 2 * * *'
      timeZone: Europe/Amsterdam
      keepDaily: 1
`,
  );
  mkdirSync(join(src, 'conf'), { recursive: true });
  writeFileSync(join(src, 'conf', 'deployment.toml'), '[server]\nhostname = "apim"\n');
  writeFileSync(
    join(src, 'keystore.jks'),
    Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)),
  );
  writeFileSync(join(src, 'scratch.tmp'), 'excluded');
  const before = tree(src);

  const first = f.backup(['run', 'conf']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /backup conf OK: snapshot [0-9a-f]{8}/);
  assert.ok(!first.stdout.includes(PASSWORD) && !first.stderr.includes(PASSWORD));

  writeFileSync(join(src, 'conf', 'deployment.toml'), '[server]\nhostname = "apim-2"\n');
  writeFileSync(join(src, 'tenant.txt'), 'tenant 1\n');
  const afterChange = tree(src);
  const second = f.backup(['run', 'conf']);
  assert.equal(second.code, 0, second.stderr);

  const listed = f.backup(['snapshots', 'conf', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const snapshots = JSON.parse(listed.stdout) as { id: string; time: string }[];
  assert.equal(snapshots.length, 2);
  assert.ok(Date.parse(snapshots[0]!.time) <= Date.parse(snapshots[1]!.time));

  const expected = [before, afterChange].map((t) =>
    Object.fromEntries(Object.entries(t).filter(([p]) => !p.endsWith('.tmp'))),
  );
  snapshots.forEach((s, i) => {
    const to = join(f.dir, `restore-${i}`);
    const r = f.backup(['restore', 'conf', '--snapshot', s.id.slice(0, 8), '--to', to]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tree(join(to, src)), expected[i], `snapshot ${i} restores exactly what was backed up`);
  });
  // Refuses to restore over data.
  const over = f.backup(['restore', 'conf', '--snapshot', 'latest', '--to', join(f.dir, 'restore-0')]);
  assert.equal(over.code, 1);
  assert.match(over.stderr, /not empty/);

  // keepDaily: 1 keeps only the newest of today's two snapshots.
  const forget = f.backup(['forget', 'conf']);
  assert.equal(forget.code, 0, forget.stderr);
  assert.match(forget.stdout, /kept 1, removed 1/);
  const left = JSON.parse(f.backup(['snapshots', 'conf', '--json']).stdout) as { id: string }[];
  assert.deepEqual(
    left.map((s) => s.id),
    [snapshots[1]!.id],
  );
});

test('a wrong password is a clear error that never shows a password', () => {
  const f = backupFixture(`    - name: conf
      repository: local
      files: { paths: ['/etc/hostname'] }
      schedule: '@daily'
      keepDaily: 3
`);
  cleanup.push(f.dir);
  assert.equal(f.backup(['run', 'conf']).code, 0);
  const wrong = f.backup(['snapshots', 'conf'], { STEWARD_TEST_RESTIC_PASSWORD: 'not-the-password-42' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /repository "local": wrong password/);
  assert.ok(!wrong.stderr.includes('not-the-password-42'));
  const unset = f.backup(['snapshots', 'conf'], { STEWARD_TEST_RESTIC_PASSWORD: '' });
  assert.equal(unset.code, 1);
  assert.match(unset.stderr, /STEWARD_TEST_RESTIC_PASSWORD \(passwordEnv\) is not set/);
});
