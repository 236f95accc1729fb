import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/index.ts';
import { tempDir } from '../helpers/steward-server.ts';

test('the store keeps users, sessions and the audit log (migration 2)', () => {
  const dir = tempDir();
  try {
    const store = openSqliteStore(dir);
    const u = store.addUser({
      name: 'ana',
      passwordHash: 'scrypt$x',
      roles: { prod: 'viewer', '*': 'operator' },
    });
    assert.equal(u.totpSecret, null);
    assert.equal(u.totpLastStep, -1);
    assert.throws(() => store.addUser({ name: 'ana', passwordHash: 'p', roles: {} }), /exists already/);
    store.updateUser('ana', {
      totpSecret: 'ABC',
      totpConfirmed: true,
      recoveryCodes: ['h1'],
      failedLogins: 2,
    });
    const back = store.getUser('ana')!;
    assert.deepEqual(
      [back.totpSecret, back.totpConfirmed, back.recoveryCodes, back.failedLogins, back.roles.prod],
      ['ABC', true, ['h1'], 2, 'viewer'],
    );
    store.addSession({
      idHash: 'a'.repeat(64),
      userId: u.id,
      stage: 'full',
      csrfToken: 'c',
      createdAt: 1000,
      lastSeenAt: 1000,
      expiresAt: 10_000,
      ip: '127.0.0.1',
    });
    assert.equal(store.getSession('a'.repeat(64))?.userId, u.id);
    assert.equal(store.deleteExpiredSessions(5000, 1000), 1, 'idle for 4 s with a 1 s idle limit');
    assert.equal(store.getSession('a'.repeat(64)), null);
    store.appendAudit({
      time: 1,
      actor: 'ana',
      action: 'login',
      target: '',
      outcome: 'ok',
      ip: '::1',
      details: {},
    });
    store.appendAudit({
      time: 2,
      actor: '-',
      action: 'login_failed',
      target: 'bob',
      outcome: 'refused',
      ip: '::1',
      details: { reason: 'unknown user' },
    });
    assert.deepEqual(
      store.queryAudit({}).map((e) => e.action),
      ['login_failed', 'login'],
    );
    assert.deepEqual(
      store.queryAudit({ outcome: 'refused' }).map((e) => e.target),
      ['bob'],
    );
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
