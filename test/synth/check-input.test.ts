import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type BlueprintInput,
  BlueprintInputError,
  blueprintInputProblems,
  buildBlueprint,
  checkBlueprintInput,
  environmentProfile,
  isProduction,
} from '../../src/synth/index.ts';
import { playbookInput } from './fixtures.ts';

function problemsOf(change: (input: BlueprintInput) => void): string[] {
  const input = playbookInput();
  change(input);
  return blueprintInputProblems(input).map((p) => `${p.path}: ${p.message}`);
}

test('the playbook input is valid', () => {
  assert.deepEqual(blueprintInputProblems(playbookInput()), []);
  assert.doesNotThrow(() => checkBlueprintInput(playbookInput()));
});

test('the bastion must not be open to the world nor on port 22', () => {
  assert.deepEqual(
    problemsOf((i) => {
      i.operatorNetworks = ['0.0.0.0/0', 'not-a-cidr'];
      i.bastion.port = 22;
    }),
    [
      'operatorNetworks[0]: 0.0.0.0/0 admits the whole internet to the bastion and dashboard',
      'operatorNetworks[1]: "not-a-cidr" is not a CIDR',
      'bastion.port: the bastion must not listen on the standard SSH port',
    ],
  );
  assert.deepEqual(
    problemsOf((i) => (i.operatorNetworks = [])),
    ['operatorNetworks: no operator network'],
  );
});

test('a datacenter bastion needs a specific address', () => {
  assert.deepEqual(
    problemsOf((i) => (i.bastion = { placement: 'datacenter', port: 2222 })),
    ['bastion.address: a datacenter bastion needs its address'],
  );
  assert.deepEqual(
    problemsOf((i) => (i.bastion = { placement: 'datacenter', port: 2222, address: '::/0' })),
    ['bastion.address: admits every address to SSH'],
  );
  assert.deepEqual(
    problemsOf((i) => (i.bastion = { placement: 'datacenter', port: 2222, address: '198.51.100.7' })),
    [],
  );
});

test('product ports may not reuse SSH, NRPE or the bastion port', () => {
  assert.deepEqual(
    problemsOf((i) => {
      i.environments[0]!.hosts[0]!.productPorts = [22, 5666, 2222, 70000, 8080];
    }),
    [
      'environments[0].hosts[0].productPorts[0]: port 22 is reserved for SSH, NRPE or the bastion',
      'environments[0].hosts[0].productPorts[1]: port 5666 is reserved for SSH, NRPE or the bastion',
      'environments[0].hosts[0].productPorts[2]: port 2222 is reserved for SSH, NRPE or the bastion',
      'environments[0].hosts[0].productPorts[3]: not a port number',
    ],
  );
});

test('environment network settings are checked against what the VPC needs', () => {
  assert.deepEqual(
    problemsOf((i) => {
      const prod = i.environments[3]!;
      prod.cidr = '10.40.0.0/23';
      prod.natGateways = 0;
      prod.availabilityZones = ['us-east-1a', 'eu-west-1b'];
      prod.account = '1234';
      i.environments[0]!.region = 'Europe';
    }),
    [
      'environments[0].region: "Europe" is not an AWS region',
      'environments[3].account: not an AWS account id',
      'environments[3].availabilityZones: us-east-1a is not in eu-west-1',
      'environments[3].cidr: a /23 VPC cannot hold 8 /24 subnets (AWS allows /16 to /28)',
      'environments[3].natGateways: must be 1 to 2 (the monitoring host reaches alert services only through NAT)',
    ],
  );
});

test('a VPC CIDR with bits after the prefix is refused: CDK would move the VPC elsewhere', () => {
  const input = playbookInput();
  input.environments[2]!.cidr = '10.86.80.0/18';
  const problems = blueprintInputProblems(input);
  assert.deepEqual(
    problems.map((p) => [p.path, p.message, p.hint]),
    [
      [
        'environments[2].cidr',
        '10.86.80.0/18 has bits set after the /18 prefix',
        'write the network address, 10.86.64.0/18',
      ],
    ],
  );
});

test('names that collide as stack, bucket or IAM names are reported', () => {
  assert.deepEqual(
    problemsOf((i) => {
      i.environments[1]!.name = 'dev.';
      i.environments[0]!.name = 'dev_';
      i.backupBucket = { name: 'Acme_Backups' };
      i.operators.push({ name: 'alice' }, { name: 'has space' });
      i.environments[2]!.hosts.push({ name: 'apim-pp-1' });
      i.environments[2]!.database = { engine: 'postgres', backupRetentionDays: 40 };
    }).sort(),
    [
      'backupBucket.name: the bucket name Acme_Backups-dev. (name-environment) is not a valid S3 bucket name',
      'backupBucket.name: the bucket name Acme_Backups-dev_ (name-environment) is not a valid S3 bucket name',
      'backupBucket.name: the bucket name Acme_Backups-preprod (name-environment) is not a valid S3 bucket name',
      'backupBucket.name: the bucket name Acme_Backups-prod (name-environment) is not a valid S3 bucket name',
      'environments[1].name: its stack name acme-dev- is already used by environment dev_',
      'environments[2].database.backupRetentionDays: RDS keeps automated backups 1 to 35 days',
      'environments[2].hosts[2].name: apim-pp-1 is listed twice',
      'operators[2].name: alice is listed twice',
      'operators[3].name: "has space" is not a valid IAM user name',
    ],
  );
});

test('the error lists every problem with where and what to do, and synthesis refuses the input', () => {
  const input = playbookInput();
  input.bastion.port = 22;
  input.monitoring.domain = 'Not A Domain';
  assert.throws(
    () => buildBlueprint(input, '/nonexistent/never-written'),
    (error: unknown) =>
      error instanceof BlueprintInputError &&
      error.problems.length === 2 &&
      error.message.includes(
        'bastion.port: the bastion must not listen on the standard SSH port (choose a non-standard port, e.g. 2222)',
      ) &&
      error.message.includes('monitoring.domain: "Not A Domain" is not a domain name'),
  );
});

test('production is prod or production, not pre-production', () => {
  for (const name of ['prod', 'Prod', 'production', 'prod-eu', 'prod2'])
    assert.equal(isProduction(name), true, name);
  for (const name of ['preprod', 'pre-prod', 'dev', 'test', 'products', 'nonprod'])
    assert.equal(isProduction(name), false, name);
});

test('NAT defaults: one per AZ in production, one shared elsewhere', () => {
  const input = playbookInput();
  const [dev, , , prod] = input.environments;
  assert.equal(environmentProfile(input, prod!).natGateways, 2);
  assert.equal(environmentProfile(input, dev!).natGateways, 1);
  assert.equal(
    environmentProfile(input, { ...prod!, availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] })
      .natGateways,
    3,
  );
  assert.equal(environmentProfile(input, { ...dev!, natGateways: 2 }).natGateways, 2);
});
