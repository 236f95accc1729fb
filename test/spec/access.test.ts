// The `access:` section: users with OpenSSH public keys and declared environments, per-host SSH
// ports, gateway limits. Mistakes are reported where they were written.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadSpec } from '../../src/spec/index.ts';
import { writeFixture } from './fixture.ts';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpZ8W8Bn9z0Xq4VbqXQk7b2JrQ1GdJtUu3TG1a0rUuE alice@laptop';

function spec(access: string, hosts = '      - { name: web-1, address: 10.0.0.11 }'): string {
  return `deployment: acme
operatorNetworks: [203.0.113.0/24]
environments:
  - name: prod
    hosts:
${hosts}
  - name: staging
    hosts: []
access:
  bastion: { placement: vpc, port: 2222 }
${access}`;
}

describe('access: users', () => {
  test('users with keys and environments, host ssh ports and limits load', () => {
    const fixture = writeFixture({
      'steward.yaml': spec(
        `  users:
    - { name: alice, keys: ["${KEY}"], environments: [prod] }
  limits: { maxAuthTries: 3, banFor: 30m }
`,
        '      - { name: web-1, address: 10.0.0.11, ssh: { port: 2200, extraPorts: [5432] } }',
      ),
    });
    const result = loadSpec(fixture.main);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(result.spec.access?.users, [{ name: 'alice', keys: [KEY], environments: ['prod'] }]);
    assert.deepEqual(result.spec.access?.limits, { maxAuthTries: 3, banFor: '30m' });
    assert.deepEqual(result.spec.environments?.[0]?.hosts?.[0]?.ssh, { port: 2200, extraPorts: [5432] });
  });

  test('an undeclared environment is located, with did-you-mean', () => {
    const fixture = writeFixture({
      'steward.yaml': spec(`  users:
    - name: alice
      keys: ["${KEY}"]
      environments: [prod, ▶stagin]
`),
    });
    const result = loadSpec(fixture.main);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const error = result.errors.find((e) => e.message.includes('stagin'));
    assert.ok(error, JSON.stringify(result.errors));
    assert.equal(error.message, 'environment `stagin` is not declared');
    assert.equal(error.hint, 'did you mean `staging`?');
    assert.deepEqual([error.line, error.column], [fixture.marks[0]!.line, fixture.marks[0]!.column]);
  });

  test('damaged keys, private keys, old key types and duplicate users are refused where written', () => {
    const damaged = KEY.replace('AAAAC3NzaC1lZDI1NTE5AAAAI', 'AAAAC3NzaC1yc2EAAAAI');
    const fixture = writeFixture({
      'steward.yaml': spec(`  users:
    - name: alice
      keys:
        - ▶"${damaged}"
        - ▶"ssh-dss AAAAB3NzaC1kc3MAAACBAP"
        - ▶"-----BEGIN OPENSSH PRIVATE KEY-----"
      environments: [prod]
    - { name: ▶alice, keys: ["${KEY}"], environments: [] }
`),
    });
    const result = loadSpec(fixture.main);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const at = (i: number) => {
      const mark = fixture.marks[i]!;
      return result.errors.find((e) => e.line === mark.line && e.column === mark.column);
    };
    assert.match(at(0)?.message ?? JSON.stringify(result.errors), /damaged or does not match its type/);
    assert.match(at(1)?.message ?? '', /key type `ssh-dss` is not accepted/);
    assert.match(at(2)?.message ?? '', /private key/);
    assert.match(at(3)?.message ?? JSON.stringify(result.errors), /user `alice` is already listed/);
  });
});
