// The spec's access section as the gateway takes it, and gateway audit events as store rows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { accessFromSpec, gatewayAuditEntry } from '../../src/gateway/index.ts';
import { loadSpec } from '../../src/spec/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-access-spec-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHcnFirGPFTEH5cnqBxdTIiMV5UhBDcRSKNU3nAW29Q8 alice@laptop';

function load(access: string) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `deployment: acme
operatorNetworks: [203.0.113.0/24]
environments:
  - name: prod
    hosts:
      - { name: db-1, address: 10.0.2.20, ssh: { port: 2200, extraPorts: [5432] } }
      - { name: web-1, address: 10.0.2.21 }
${access}`,
  );
  const result = loadSpec(file);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.spec;
}

test('users, host ports and limits (durations in ms) reach the gateway', () => {
  const access = accessFromSpec(
    load(`access:
  bastion: { placement: vpc, port: 2222, listen: 127.0.0.1 }
  users: [{ name: alice, keys: ["${KEY}"], environments: [prod] }]
  limits: { maxAuthTries: 3, userFailures: 4, banFor: 30m, loginGrace: 20s }
`),
  );
  assert.deepEqual(access.bastion, { placement: 'vpc', port: 2222, listen: '127.0.0.1' });
  assert.deepEqual(access.users, [{ name: 'alice', keys: [KEY], environments: ['prod'] }]);
  assert.deepEqual(access.hostPorts, { 'db-1': { ssh: 2200, extra: [5432] } });
  assert.equal(access.limits?.maxAuthTries, 3);
  assert.equal(access.limits?.loginGraceMs, 20_000);
  assert.deepEqual(access.limits?.user, { maxFailures: 4, windowMs: 600_000, banMs: 1_800_000 });
  assert.deepEqual(access.limits?.source, { maxFailures: 20, windowMs: 600_000, banMs: 1_800_000 });
});

test('a spec without access.bastion cannot run a gateway', () => {
  assert.throws(() => accessFromSpec(load('')), /no `access\.bastion`/);
});

test('audit events become store rows: actor, action, target, outcome, ip', () => {
  const refused = gatewayAuditEntry({
    ts: '2026-11-25T20:00:00.000Z',
    type: 'forward-refused',
    conn: 3,
    source: '203.0.113.9',
    user: 'alice',
    requestedHost: '10.0.2.20',
    requestedPort: 5432,
    reason: 'environment-not-granted',
  });
  assert.deepEqual(refused, {
    time: Date.parse('2026-11-25T20:00:00.000Z'),
    actor: 'alice',
    action: 'gateway.forward-refused',
    target: '10.0.2.20',
    outcome: 'refused',
    ip: '203.0.113.9',
    details: {
      conn: 3,
      source: '203.0.113.9',
      user: 'alice',
      requestedHost: '10.0.2.20',
      requestedPort: 5432,
      reason: 'environment-not-granted',
    },
  });
  assert.equal(
    gatewayAuditEntry({ type: 'auth', user: 'bob', result: 'refused', source: 'x' }).outcome,
    'refused',
  );
  assert.equal(gatewayAuditEntry({ type: 'forward', user: 'bob', host: 'db-1', source: 'x' }).outcome, 'ok');
  const ban = gatewayAuditEntry({ type: 'ban', scope: 'user', subject: 'mallory' });
  assert.deepEqual([ban.actor, ban.outcome], ['mallory', 'refused']);
  const grant = gatewayAuditEntry({ type: 'grant', user: 'bob', environment: 'prod', by: 'carol' });
  assert.deepEqual([grant.actor, grant.target], ['carol', 'prod']);
});
