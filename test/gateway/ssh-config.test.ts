import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GatewayConfig } from '../../src/gateway/index.ts';
import { gatewayMetricsText, sshConfigFor } from '../../src/gateway/index.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const cfg: Pick<GatewayConfig, 'users' | 'targets' | 'grants' | 'listen'> = {
  listen: { host: '0.0.0.0', port: 2222 },
  users: [{ name: 'alice', keys: [], environments: ['dev'] }],
  targets: [
    { host: 'apim-dev', address: '10.20.1.10', environment: 'dev', sshPort: 22 },
    { host: 'apim-1', address: '10.20.11.10', environment: 'prod', sshPort: 22 },
    { host: 'is-1', address: '10.20.11.20', environment: 'prod', sshPort: 2200 },
    { host: 'db-test', address: '10.20.2.10', environment: 'test', sshPort: 22 },
  ],
  grants: () => [
    { user: 'alice', environment: 'prod', expiresAt: NOW + 2 * 3600_000, reason: 'INC-123\nnight call' },
    { user: 'alice', environment: 'test', expiresAt: NOW - 1, reason: 'expired' },
  ],
};

describe('sshConfigFor', () => {
  it('writes the bastion once and a ProxyJump entry per reachable host', () => {
    const text = sshConfigFor('alice', cfg, 'bastion.acme.example', {
      now: NOW,
      hostPublicKey: 'ssh-ed25519 AAAATEST',
    });
    assert.match(
      text,
      /^Host steward-bastion\n {2}HostName bastion\.acme\.example\n {2}Port 2222\n {2}User alice\n/m,
    );
    assert.match(text, /ControlMaster auto/);
    assert.match(text, /#\s+\[bastion\.acme\.example\]:2222 ssh-ed25519 AAAATEST/);
    assert.match(
      text,
      /Host apim-dev\n {2}HostName 10\.20\.1\.10\n {2}Port 22\n {2}ProxyJump steward-bastion\n/,
    );
    assert.match(text, /Host is-1\n {2}HostName 10\.20\.11\.20\n {2}Port 2200\n/);
    // The grant is named, on one line, with its end; the expired grant gives nothing.
    assert.match(text, /# prod by grant until 2026-01-01T02:00:00\.000Z: INC-123 night call\nHost apim-1\n/);
    assert.doesNotMatch(text, /db-test/);
  });

  it('leaves multiplexing out on request', () => {
    const text = sshConfigFor('alice', cfg, 'b', { now: NOW, multiplex: false });
    assert.doesNotMatch(text, /Control(Master|Path|Persist)/);
    assert.match(text, /Host apim-dev/);
  });

  it('says which users exist when asked for an unknown one', () => {
    assert.throws(() => sshConfigFor('mallory', cfg, 'b'), /no access user "mallory".*lists: alice/);
  });
});

describe('gatewayMetricsText', () => {
  it('exposes every counter in Prometheus text format', () => {
    const text = gatewayMetricsText({
      connectionsOpen: 2,
      connectionsAccepted: 10,
      connectionsRefused: 3,
      authAccepted: 7,
      authRefused: 4,
      forwardsOpen: 1,
      forwardsOpened: 9,
      forwardsRefused: 2,
      bytesToTargets: 1234,
      bytesFromTargets: 5678,
      bannedSources: 0,
      bannedUsers: 1,
    });
    assert.match(
      text,
      /^# TYPE steward_gateway_connections_refused_total counter\nsteward_gateway_connections_refused_total 3$/m,
    );
    assert.match(text, /^steward_gateway_bytes_from_targets_total 5678$/m);
    assert.match(text, /^# TYPE steward_gateway_forwards_open gauge\nsteward_gateway_forwards_open 1$/m);
  });
});
