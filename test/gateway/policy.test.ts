import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { operatorNetworkFilter } from '../../src/auth/operator-networks.ts';
import { authorizeForward, reachableTargets } from '../../src/gateway/authorization.ts';
import type { GatewayGrant, GatewayTarget } from '../../src/gateway/config.ts';
import { FailureLimiter, RateWindow } from '../../src/gateway/failure-limiter.ts';

const targets: GatewayTarget[] = [
  { host: 'apim-1', address: '10.20.11.10', environment: 'prod', sshPort: 22, extraPorts: [9443] },
  { host: 'apim-dev', address: '10.20.1.10', environment: 'dev', sshPort: 2200 },
];
const alice = { name: 'alice', environments: new Set(['dev']) };
const NOW = 1_700_000_000_000;

describe('operator networks', () => {
  it('admits addresses inside the CIDRs only, IPv4-mapped forms included', () => {
    const f = operatorNetworkFilter(['203.0.113.0/24', '127.0.0.1', '2001:db8::/32']);
    assert.equal(f.allows('203.0.113.77'), true);
    assert.equal(f.allows('::ffff:203.0.113.77'), true);
    assert.equal(f.allows('203.0.114.1'), false);
    assert.equal(f.allows('127.0.0.1'), true);
    assert.equal(f.allows('127.0.0.2'), false);
    assert.equal(f.allows('2001:db8::5'), true);
    assert.equal(f.allows('2001:db9::5'), false);
    assert.equal(f.allows('not an address'), false);
  });

  it('refuses malformed entries instead of guessing', () => {
    assert.throws(() => operatorNetworkFilter(['203.0.113.0/33']), /operatorNetworks\[0\].*0\.\.32/);
    assert.throws(
      () => operatorNetworkFilter(['10.0.0.0/8', 'office']),
      /operatorNetworks\[1\] "office" is not a CIDR/,
    );
  });
});

describe('forward authorization', () => {
  it('allows the SSH port of a granted environment, by name or address', () => {
    const byName = authorizeForward(alice, targets, [], 'apim-dev', 2200, NOW);
    assert.equal(byName.allowed && byName.target.host, 'apim-dev');
    const byAddress = authorizeForward(alice, targets, [], '10.20.1.10', 2200, NOW);
    assert.equal(byAddress.allowed && byAddress.access.via, 'environment');
  });

  it('refuses other environments, other ports and unknown hosts, saying why', () => {
    assert.deepEqual(authorizeForward(alice, targets, [], 'apim-1', 22, NOW), {
      allowed: false,
      reason: 'environment-not-granted',
      target: targets[0],
    });
    assert.equal(
      (authorizeForward(alice, targets, [], 'apim-dev', 22, NOW) as { reason: string }).reason,
      'port-not-allowed',
    );
    assert.equal(
      (authorizeForward(alice, targets, [], '8.8.8.8', 22, NOW) as { reason: string }).reason,
      'unknown-target',
    );
  });

  it('honours unexpired grants, extra ports, and says when a grant has expired', () => {
    const grants: GatewayGrant[] = [
      { user: 'alice', environment: 'prod', expiresAt: NOW + 60_000, reason: 'INC-1' },
    ];
    const d = authorizeForward(alice, targets, grants, 'apim-1', 9443, NOW);
    assert.ok(d.allowed);
    assert.equal(d.access.via === 'grant' && d.access.grant.reason, 'INC-1');
    const later = authorizeForward(alice, targets, grants, 'apim-1', 22, NOW + 60_000);
    assert.equal((later as { reason: string }).reason, 'grant-expired');
    const otherUser = authorizeForward(
      { name: 'bob', environments: new Set() },
      targets,
      grants,
      'apim-1',
      22,
      NOW,
    );
    assert.equal((otherUser as { reason: string }).reason, 'environment-not-granted');
  });

  it('lists reachable targets for the menu and the ssh config', () => {
    const grants: GatewayGrant[] = [
      { user: 'alice', environment: 'prod', expiresAt: NOW - 1, reason: 'old' },
    ];
    assert.deepEqual(
      reachableTargets(alice, targets, grants, NOW).map((r) => r.target.host),
      ['apim-dev'],
    );
  });
});

describe('failure limits', () => {
  it('bans a key after maxFailures within the window, for banMs', () => {
    const l = new FailureLimiter({ maxFailures: 3, windowMs: 1_000, banMs: 5_000 });
    assert.equal(l.fail('a', 0), undefined);
    assert.equal(l.fail('a', 2_000), undefined); // the first failure has left the window
    assert.equal(l.fail('a', 2_100), undefined);
    assert.equal(l.fail('a', 2_200), 7_200);
    assert.equal(l.bannedUntil('a', 7_199), 7_200);
    assert.equal(l.bannedUntil('a', 7_200), undefined);
    assert.deepEqual(l.banned(3_000), []);
  });

  it('forgets failures after a success', () => {
    const l = new FailureLimiter({ maxFailures: 2, windowMs: 10_000, banMs: 5_000 });
    l.fail('a', 0);
    l.succeed('a');
    assert.equal(l.fail('a', 1), undefined);
  });

  it('rate-limits connections per key in a sliding window', () => {
    const r = new RateWindow(2, 1_000);
    assert.equal(r.take('s', 0), true);
    assert.equal(r.take('s', 10), true);
    assert.equal(r.take('s', 20), false);
    assert.equal(r.take('t', 20), true);
    assert.equal(r.take('s', 1_001), true);
  });
});
