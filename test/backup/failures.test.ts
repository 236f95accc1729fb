import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { STEWARD } from '../helpers/steward-server.ts';
import { backupFixture, PASSWORD, PASSWORD_ENV } from './fixture.ts';

const cleanup: string[] = [];
after(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function filesJob(src: string): string {
  return `    - name: data
      repository: local
      files: { paths: ['${src}'] }
      schedule: '@daily'
      keepDaily: 3
`;
}

function packs(repo: string): string[] {
  const root = join(repo, 'data');
  return readdirSync(root).flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p)));
}

test('a corrupted pack makes check and the drill fail loudly', () => {
  const f = backupFixture('');
  cleanup.push(f.dir);
  const src = join(f.dir, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'big.bin'), randomBytes(3 * 1024 * 1024));
  writeFileSync(f.spec, readFileSync(f.spec, 'utf8') + filesJob(src));
  const run = f.backup(['run', 'data']);
  assert.equal(run.code, 0, run.stderr);
  const clean = f.backup(['check', 'data']);
  assert.equal(clean.code, 0, clean.stderr);

  // The largest pack holds the file's data: flip bytes in its middle.
  const largest = packs(f.repo).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  const bytes = readFileSync(largest);
  for (let i = 0; i < 64; i++) bytes[Math.floor(bytes.length / 2) + i]! ^= 0xff;
  writeFileSync(largest, bytes);

  const check = f.backup(['check', 'data']);
  assert.equal(check.code, 1);
  assert.match(check.stderr, /repository local is DAMAGED/);
  const drill = f.backup(['drill', 'data']);
  assert.equal(drill.code, 1);
  assert.match(drill.stdout, /drill data FAILED/);
});

test('a killed backup leaves the repository consistent; stale locks are cleared and the next run succeeds', async () => {
  const f = backupFixture('');
  cleanup.push(f.dir);
  const src = join(f.dir, 'src');
  mkdirSync(src);
  for (let i = 0; i < 8; i++) writeFileSync(join(src, `f${i}.bin`), randomBytes(1024 * 1024));
  const base = readFileSync(f.spec, 'utf8');
  // Slow uploads so the backup is surely still running when it is killed.
  writeFileSync(f.spec, base.replace('passwordEnv: ', 'limitUpload: 256, passwordEnv: ') + filesJob(src));
  const child = spawn(
    process.execPath,
    [STEWARD, 'backup', 'run', 'data', '--spec', f.spec, '--data', f.data],
    {
      env: { ...process.env, [PASSWORD_ENV]: PASSWORD },
      detached: true,
      stdio: 'ignore',
    },
  );
  const locks = join(f.repo, 'locks');
  for (let i = 0; i < 100 && !(existsSync(locks) && readdirSync(locks).length > 0); i++) await sleep(100);
  assert.ok(readdirSync(locks).length > 0, 'restic took its lock');
  await sleep(500);
  process.kill(-child.pid!, 'SIGKILL');
  await new Promise((r) => child.once('exit', r));
  // Until the killed restic is reaped it still counts as alive, and its lock as held.
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      break;
    }
    await sleep(100);
  }
  assert.ok(readdirSync(locks).length > 0, 'the killed restic left its lock behind');
  assert.ok(existsSync(join(f.data, 'backup', 'locks', 'local.lock')), "and Steward's repository lock");

  writeFileSync(f.spec, base + filesJob(src));
  // check needs an exclusive lock: the stale one is removed, and the repository is consistent.
  const check = f.backup(['check', 'data']);
  assert.equal(check.code, 0, check.stderr);
  assert.deepEqual(
    JSON.parse(f.backup(['snapshots', 'data', '--json']).stdout),
    [],
    'no snapshot from the killed run',
  );
  const run = f.backup(['run', 'data']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal((JSON.parse(f.backup(['snapshots', 'data', '--json']).stdout) as unknown[]).length, 1);
});
