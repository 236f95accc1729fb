// The lockdown files of a host from a spec: bastion address, the host's SSH port and the
// monitoring subnet flow into the sshd drop-in and the nftables rules.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { hostLockdownFiles, lockdownInstallLines, lockdownSources } from '../../src/render/lockdown.ts';
import { loadSpec } from '../../src/spec/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-lockdown-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function load(access: string, monitoring = '') {
  const file = join(dir, `spec-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `deployment: acme
operatorNetworks: [203.0.113.0/24]
${monitoring}environments:
  - name: prod
    hosts:
      - { name: web-1, address: 10.0.2.11, ssh: { port: 2200 } }
      - { name: web-2, address: 10.0.2.12 }
access:
${access}`,
  );
  const result = loadSpec(file);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.spec;
}

test('a host gets the drop-in and rules for its bastion, its SSH port and the monitoring subnet', () => {
  const spec = load(
    '  bastion: { placement: vpc, port: 2222, address: 10.0.0.5 }\n',
    'monitoring: { subnet: 10.0.1.0/24 }\n',
  );
  const files = hostLockdownFiles(spec, 'web-1');
  assert.deepEqual(
    files.map((f) => [f.path, f.installTo]),
    [
      ['sshd_config.d/50-steward.conf', '/etc/ssh/sshd_config.d/50-steward.conf'],
      ['nftables/steward.nft', '/etc/nftables.d/steward.nft'],
    ],
  );
  const [sshd, nft] = files.map((f) => f.content);
  assert.match(sshd!, /^AllowUsers \*@10\.0\.0\.5$/m);
  assert.match(sshd!, /^Port 2200$/m);
  assert.match(nft!, /tcp dport 2200 ip saddr 10\.0\.0\.5 accept/);
  assert.match(nft!, /tcp dport 5666 ip saddr 10\.0\.1\.0\/24 accept/);
  const nftFile = join(dir, 'web-1.nft');
  writeFileSync(nftFile, nft!);
  const checked = spawnSync('nft', ['-c', '-f', nftFile], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stderr);

  const web2 = hostLockdownFiles(spec, 'web-2');
  assert.doesNotMatch(web2[0]!.content, /^Port /m);
  assert.match(web2[1]!.content, /tcp dport 22 ip saddr 10\.0\.0\.5 accept/);

  const script = join(dir, 'install.sh');
  writeFileSync(script, `set -e\n${lockdownInstallLines(files).join('\n')}\n`);
  assert.equal(spawnSync('bash', ['-n', script]).status, 0);
  assert.ok(
    lockdownInstallLines(files).indexOf(
      'sshd -t  # refuses to go on with a config sshd would not start with',
    ) < lockdownInstallLines(files).indexOf('systemctl reload ssh'),
  );
});

test('without a bastion address, or for an unknown host, the error says what to add', () => {
  const spec = load('  bastion: { placement: vpc, port: 2222 }\n');
  assert.throws(() => hostLockdownFiles(spec, 'web-1'), /access\.bastion\.address is needed/);
  assert.throws(() => hostLockdownFiles(spec, 'web-9'), /no host "web-9" in the spec/);
});

test("a vpc bastion without an address: the blueprint's pinned bastion and monitoring addresses", () => {
  const result = loadSpec(new URL('../../examples/acme.yaml', import.meta.url).pathname);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.equal(result.spec.access?.bastion?.address, undefined);
  const sources = lockdownSources(result.spec, 'apim-dev-1');
  assert.ok(sources, 'the blueprint gives the bastion address');
  assert.match(sources.bastionAddress, /^10\.\d+\.\d+\.\d+\/32$/);
  assert.match(sources.monitoringSubnet ?? '', /^10\.\d+\.\d+\.\d+\/32$/);
  const [sshd, nft] = hostLockdownFiles(result.spec, 'apim-dev-1').map((f) => f.content);
  assert.ok(sshd!.includes(`AllowUsers *@${sources.bastionAddress}`));
  assert.ok(nft!.includes(`ip saddr ${sources.bastionAddress} accept`));
  const nftFile = join(dir, 'apim-dev-1.nft');
  writeFileSync(nftFile, nft!);
  const checked = spawnSync('nft', ['-c', '-f', nftFile], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stderr);
});
