// The rendered nftables rules, syntax-checked by nft itself (`nft -c`: check only, nothing is
// loaded into this machine's firewall).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { renderNftables } from '../../src/render/nftables.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-nft-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function nftCheck(text: string): { status: number | null; stderr: string } {
  const file = join(dir, `rules-${Math.random().toString(36).slice(2)}.nft`);
  writeFileSync(file, text);
  const r = spawnSync('nft', ['-c', '-f', file], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('nftables rules', () => {
  test('SSH only from the bastion, NRPE and SNMP only from the monitoring subnet; nft -c accepts it', () => {
    const rules = renderNftables({
      host: 'web-1',
      bastionAddress: '10.0.0.5',
      monitoringSubnet: '10.0.1.0/24',
      sshPorts: [22, 2200],
    });
    assert.match(rules, /tcp dport \{ 22, 2200 \} ip saddr 10\.0\.0\.5 accept/);
    assert.match(rules, /tcp dport \{ 22, 2200 \} counter drop/);
    assert.match(rules, /tcp dport 5666 ip saddr 10\.0\.1\.0\/24 accept/);
    assert.match(rules, /udp dport 161 ip saddr 10\.0\.1\.0\/24 accept/);
    assert.match(rules, /udp dport 161 counter drop/);
    // accepts come before the drops of the same port
    assert.ok(rules.indexOf('dport 5666 ip saddr') < rules.indexOf('dport 5666 counter drop'));
    const checked = nftCheck(rules);
    assert.equal(checked.status, 0, checked.stderr);
  });

  test('IPv6 sources use ip6 saddr; without a monitoring subnet NRPE and SNMP are closed', () => {
    const rules = renderNftables({ host: 'web-2', bastionAddress: '2001:db8::5' });
    assert.match(rules, /tcp dport 22 ip6 saddr 2001:db8::5 accept/);
    assert.doesNotMatch(rules, /dport 5666 ip/);
    assert.match(rules, /tcp dport 5666 counter drop/);
    const checked = nftCheck(rules);
    assert.equal(checked.status, 0, checked.stderr);
  });

  test('nft -c really checks: a damaged rule set is refused', () => {
    const rules = renderNftables({ host: 'web-1', bastionAddress: '10.0.0.5' }).replace(
      '"lo" accept',
      '"lo" acept',
    );
    assert.notEqual(nftCheck(rules).status, 0);
  });

  test('a DNS name as the bastion is refused', () => {
    assert.throws(
      () => renderNftables({ host: 'web-1', bastionAddress: 'bastion.acme.example' }),
      /host web-1: bastion address "bastion.acme.example" is not an IP address or CIDR/,
    );
  });
});
