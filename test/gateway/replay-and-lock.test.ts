// The TOTP replay guard survives a restart (steps kept in the data dir), and concurrent
// `steward access grant` runs do not lose each other's grants (the grants file is locked).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { base32Decode, totpCode, totpStep, verifyTotp } from '../../src/auth/totp.ts';
import { fileTotpSteps, generateTotpSecret, listGrants, withFileLock } from '../../src/gateway/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-gw-replay-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('TOTP replay across restarts', () => {
  test('a code accepted before a restart is refused after it', () => {
    const file = join(dir, 'gateway', 'totp-steps.json');
    const secret = base32Decode(generateTotpSecret());
    const now = Date.now();
    const code = totpCode(secret, now);
    const before = fileTotpSteps(file);
    const first = verifyTotp(secret, code, now, before.get('alice'));
    assert.equal(first.ok, true);
    if (first.ok) before.set('alice', first.step);
    // a new gateway process reads the file
    const restarted = fileTotpSteps(file);
    assert.equal(restarted.get('alice'), totpStep(now));
    const replay = verifyTotp(secret, code, now, restarted.get('alice'));
    assert.deepEqual(replay, { ok: false, reason: 'reused' });
    assert.equal(restarted.get('bob'), undefined);
  });

  test('an unreadable steps file refuses every code from before now', () => {
    const file = join(dir, 'broken-steps.json');
    writeFileSync(file, '{not json');
    const errors: Error[] = [];
    const steps = fileTotpSteps(file, (err) => errors.push(err));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /unreadable/);
    assert.ok((steps.get('alice') ?? -1) >= totpStep(Date.now()) - 1);
  });
});

describe('grants file lock', () => {
  test('eight concurrent `access grant` processes keep all eight grants', async () => {
    const grants = join(dir, 'gateway', 'grants.json');
    const node = process.execPath;
    const script = `import { addGrant } from ${JSON.stringify(new URL('../../src/gateway/index.ts', import.meta.url).href)};
      addGrant(${JSON.stringify(grants)}, { user: 'u' + process.argv[1], environment: 'prod', durationMs: 3600000, reason: 'INC-1' });`;
    const runs = Array.from(
      { length: 8 },
      (_, i) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(node, ['--input-type=module', '-e', script, String(i)], { stdio: 'inherit' });
          child.once('exit', resolve);
        }),
    );
    assert.deepEqual(await Promise.all(runs), Array(8).fill(0));
    assert.deepEqual(
      listGrants(grants)
        .map((g) => g.user)
        .sort(),
      Array.from({ length: 8 }, (_, i) => `u${i}`).sort(),
    );
  });

  test('a lock held by a live process times out with a clear error; a dead holder is taken over', () => {
    const file = join(dir, 'locked.json');
    writeFileSync(`${file}.lock`, `${process.pid}\n`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    assert.throws(
      () => withFileLock(file, () => 1, 200),
      /locked\.json\.lock is held by another steward process/,
    );
    writeFileSync(`${file}.lock`, '999999999\n');
    utimesSync(`${file}.lock`, old, old);
    assert.equal(
      withFileLock(file, () => 42, 200),
      42,
    );
  });
});
