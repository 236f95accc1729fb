import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Deployment, HostModel } from '../../src/core/model.ts';
import {
  accessFromSpec,
  addGrant,
  enrollTotp,
  gatewayConfigFromDeployment,
} from '../../src/gateway/index.ts';
import { loadSpec } from '../../src/spec/index.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'steward-gw-deploy-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function host(name: string, address: string, environment: string): HostModel {
  return {
    kind: 'host',
    id: name,
    name,
    address,
    environment,
    roles: [],
    parents: [],
    labels: {},
    probe: null,
  } as unknown as HostModel;
}

const deployment = {
  name: 'acme',
  operatorNetworks: ['203.0.113.0/24'],
  environments: [{ name: 'dev' }, { name: 'prod' }],
  hosts: [host('apim-1', '10.20.11.10', 'prod'), host('apim-dev', 'apim-dev.internal', 'dev')],
  services: [],
  pluginDirs: [],
  files: [],
} as Deployment;

describe('gatewayConfigFromDeployment', () => {
  it('maps hosts, users, TOTP secrets, grants and paths from the spec and the data directory', () => {
    const { secret } = enrollTotp(dataDir, 'alice', { issuer: 'acme' });
    const { config, warnings } = gatewayConfigFromDeployment(
      deployment,
      {
        bastion: { placement: 'vpc', port: 2222 },
        users: [
          { name: 'alice', keys: ['ssh-ed25519 AAAA'], environments: ['prod'] },
          { name: 'bob', keys: [], environments: ['dev'] },
        ],
        hostPorts: { 'apim-1': { extra: [9443] } },
      },
      { dataDir, audit: () => {} },
    );
    assert.deepEqual(config.listen, { host: '0.0.0.0', port: 2222 });
    assert.deepEqual(config.operatorNetworks, ['203.0.113.0/24']);
    assert.equal(config.hostKeyFile, join(dataDir, 'gateway', 'host_ed25519'));
    assert.deepEqual(config.targets, [
      { host: 'apim-1', address: '10.20.11.10', environment: 'prod', sshPort: 22, extraPorts: [9443] },
    ]);
    assert.equal(config.users[0]?.totpSecret, secret);
    assert.equal(config.users[1]?.totpSecret, undefined);
    assert.ok(warnings.some((w) => w.includes('apim-dev') && w.includes('DNS name')));
    assert.ok(warnings.some((w) => w.includes('steward access enroll bob')));
    addGrant(join(dataDir, 'gateway', 'grants.json'), {
      user: 'bob',
      environment: 'prod',
      durationMs: 60_000,
      reason: 'INC-9',
    });
    assert.equal(config.grants?.()[0]?.reason, 'INC-9');
  });

  it("never offers the backup pseudo-host (127.0.0.1: the bastion's own sshd) as a jump target", () => {
    const specFile = join(dataDir, 'with-backup.yaml');
    writeFileSync(
      specFile,
      `deployment: acme
operatorNetworks: [203.0.113.0/24]
environments:
  - name: prod
    hosts: [{ name: apim-1, address: 10.20.11.10 }]
access:
  bastion: { placement: datacenter, port: 2222, address: 10.0.0.5 }
  users: [{ name: alice, keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ"], environments: [prod] }]
backup:
  repositories: [{ name: local, restic: { repository: /srv/restic, passwordEnv: RESTIC_PASSWORD } }]
  jobs: [{ name: etc, repository: local, files: { paths: [/etc] }, schedule: '@daily', keepDaily: 7 }]
`,
    );
    const loaded = loadSpec(specFile, { env: { RESTIC_PASSWORD: 'x' } });
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
    assert.ok(
      loaded.deployment.hosts.some((h) => h.name === 'backup'),
      'the pseudo-host carries the job',
    );
    const { config } = gatewayConfigFromDeployment(loaded.deployment, accessFromSpec(loaded.spec), {
      dataDir,
      audit: () => {},
    });
    assert.deepEqual(
      config.targets.map((t) => t.host),
      ['apim-1'],
    );
  });

  it('refuses a user granted an environment the spec does not have', () => {
    assert.throws(
      () =>
        gatewayConfigFromDeployment(
          deployment,
          {
            bastion: { placement: 'vpc', port: 2222 },
            users: [{ name: 'c', keys: [], environments: ['qa'] }],
          },
          { dataDir, audit: () => {} },
        ),
      /access.users "c": environment "qa" is not in the spec \(environments: dev, prod\)/,
    );
  });
});
