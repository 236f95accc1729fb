import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { authorizeForward } from '../../src/gateway/authorization.ts';
import { addGrant, grantFileSource, listGrants, revokeGrants } from '../../src/gateway/grant-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-grants-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const target = { host: 'apim-1', address: '10.0.0.1', environment: 'prod', sshPort: 22 };
const alice = { name: 'alice', environments: new Set<string>() };

describe('grant file', () => {
  it('grants take effect on the next read, revocation too, without reopening the source', () => {
    const file = join(dir, 'gateway', 'grants.json');
    const grants = grantFileSource(file);
    assert.deepEqual(grants(), [], 'no file yet: no grants');
    const now = Date.now();
    const g = addGrant(file, {
      user: 'alice',
      environment: 'prod',
      durationMs: 2 * 3600_000,
      reason: 'INC-123',
      now,
    });
    assert.equal(g.expiresAt, now + 2 * 3600_000);
    const d = authorizeForward(alice, [target], grants(), 'apim-1', 22, now + 1);
    assert.ok(d.allowed && d.access.via === 'grant' && d.access.grant.reason === 'INC-123');

    const revoked = revokeGrants(file, { user: 'alice', environment: 'prod', revokedBy: 'bob' });
    assert.equal(revoked.length, 1);
    assert.equal(authorizeForward(alice, [target], grants(), 'apim-1', 22, now + 2).allowed, false);
    const listed = listGrants(file);
    assert.equal(listed[0]?.revokedBy, 'bob');
    assert.equal(listed[0]?.active, false);
  });

  it('refuses grants without a reason or duration, and files that are not grant files', () => {
    const file = join(dir, 'other.json');
    assert.throws(
      () => addGrant(file, { user: 'a', environment: 'p', durationMs: 1000, reason: ' ' }),
      /reason/,
    );
    assert.throws(
      () => addGrant(file, { user: 'a', environment: 'p', durationMs: 0, reason: 'x' }),
      /duration/,
    );
    writeFileSync(file, '{"something":"else"}');
    assert.throws(() => grantFileSource(file)(), /not a Steward grants file/);
  });

  it('drops grants that ended more than a week ago when adding', () => {
    const file = join(dir, 'prune.json');
    const now = Date.now();
    addGrant(file, {
      user: 'a',
      environment: 'p',
      durationMs: 1000,
      reason: 'old',
      now: now - 8 * 24 * 3600_000,
    });
    addGrant(file, { user: 'a', environment: 'p', durationMs: 1000, reason: 'new', now });
    assert.deepEqual(
      listGrants(file, now).map((g) => g.reason),
      ['new'],
    );
  });
});
