/**
 * The spec → BlueprintInput mapping, and problems the blueprint finds located at the spec's
 * file:line:column, also inside included files and roles.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadSpec } from '../../src/spec/index.ts';
import { blueprintFromSpec, blueprintInputOf, specPathOf } from '../../src/synth/from-spec.ts';
import { hostFirewallFromSpec } from '../../src/synth/host-firewall.ts';

function specFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-synth-spec-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return path.join(dir, 'steward.yaml');
}

function load(file: string) {
  const loaded = loadSpec(file, { env: {} });
  assert.ok(loaded.ok, loaded.ok ? '' : JSON.stringify(loaded.errors, null, 2));
  return loaded;
}

const MAIN = `deployment: acme
operatorNetworks: [203.0.113.0/24]
include: [prod.yaml]
access:
  bastion: { placement: vpc, port: 2222 }
monitoring: { domain: monitor.acme.example, alertEmail: alerts@acme.example }
backup:
  repositories: []
  bucket: { name: acme-backups, retentionDays: 30 }
aws:
  operators: [{ name: alice }]
  ci: { issuer: token.actions.githubusercontent.com, subjects: ["repo:acme/infra:*"] }
environments:
  - name: dev
    cidr: 10.10.0.0/16
    hosts:
      - { name: apim-dev-1, address: 10.10.2.10, roles: [linux, apim], productPorts: [8080, 8243] }
roles:
  linux: { checks: [] }
  apim:
    productPorts: [8243, 9443]
    checks: []
`;

const PROD = `environments:
  - name: prod
    account: "123456789012"
    region: eu-west-1
    cidr: 10.40.0.0/16
    database: { engine: postgres, backupRetentionDays: 30 }
    hosts:
      - { name: apim-1, address: 10.40.2.10, roles: [apim], instanceType: m7i.xlarge }
`;

test('the spec becomes the blueprint input: sections, environment settings from included files, ports of host and roles', () => {
  const { input, problems } = blueprintFromSpec(
    load(specFiles({ 'steward.yaml': MAIN, 'prod.yaml': PROD })).spec,
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(input, {
    deployment: 'acme',
    operatorNetworks: ['203.0.113.0/24'],
    bastion: { placement: 'vpc', port: 2222 },
    monitoring: { dashboardPort: 8443, domain: 'monitor.acme.example', alertEmail: 'alerts@acme.example' },
    operators: [{ name: 'alice' }],
    backupBucket: { name: 'acme-backups', retentionDays: 30 },
    ci: { issuer: 'token.actions.githubusercontent.com', subjects: ['repo:acme/infra:*'] },
    environments: [
      {
        name: 'dev',
        cidr: '10.10.0.0/16',
        // the host's own ports first, then its roles', each once; shown as its product role
        hosts: [{ name: 'apim-dev-1', role: 'apim', productPorts: [8080, 8243, 9443] }],
      },
      {
        name: 'prod',
        account: '123456789012',
        region: 'eu-west-1',
        cidr: '10.40.0.0/16',
        database: { engine: 'postgres', backupRetentionDays: 30 },
        hosts: [{ name: 'apim-1', role: 'apim', productPorts: [8243, 9443], instanceType: 'm7i.xlarge' }],
      },
    ],
  });
});

test('input paths map to spec paths: role ports to the role, nested keys below the nearest known ancestor', () => {
  const { origins } = blueprintFromSpec(load(specFiles({ 'steward.yaml': MAIN, 'prod.yaml': PROD })).spec);
  assert.deepEqual(specPathOf(origins, 'environments[0].hosts[0].productPorts[1]'), [
    'environments',
    0,
    'hosts',
    0,
    'productPorts',
    1,
  ]);
  assert.deepEqual(specPathOf(origins, 'environments[0].hosts[0].productPorts[2]'), [
    'roles',
    'apim',
    'productPorts',
    1,
  ]);
  assert.deepEqual(specPathOf(origins, 'environments[1].database.backupRetentionDays'), [
    'environments',
    1,
    'database',
    'backupRetentionDays',
  ]);
  assert.deepEqual(specPathOf(origins, 'bastion.port'), ['access', 'bastion', 'port']);
  assert.deepEqual(specPathOf(origins, 'operators[0].name'), ['aws', 'operators', 0, 'name']);
  assert.deepEqual(specPathOf(origins, 'ci.subjects'), ['aws', 'ci', 'subjects']);
  assert.deepEqual(specPathOf(origins, 'backupBucket.name'), ['backup', 'bucket', 'name']);
});

test("the blueprint's own rules are reported at file:line:column, in the included file and in the role", () => {
  const main = MAIN.replace('productPorts: [8243, 9443]', 'productPorts: [8243, 5666]').replace(
    'port: 2222',
    'port: 22',
  );
  const prod = PROD.replace('cidr: 10.40.0.0/16', 'cidr: 10.0.0.0/12');
  const file = specFiles({ 'steward.yaml': main, 'prod.yaml': prod });
  const result = blueprintInputOf(load(file));
  assert.ok(!result.ok);
  const where = result.errors.map(
    (e) => `${path.basename(e.file)}:${e.line}:${e.column} ${e.path}: ${e.message}`,
  );
  assert.deepEqual(where, [
    'steward.yaml:5:36 access.bastion.port: the bastion must not listen on the standard SSH port',
    // once, although two hosts (dev and prod) take the role
    'steward.yaml:21:26 roles.apim.productPorts[1]: port 5666 is reserved for SSH, NRPE or the bastion',
    'prod.yaml:5:11 environments[0].cidr: a /12 VPC cannot hold 8 /24 subnets (AWS allows /16 to /28)',
  ]);
  assert.ok(result.errors.every((e) => e.severity === 'error' && (e.hint ?? '') !== ''));
});

test('a spec without access.bastion cannot be a blueprint, and says what to add', () => {
  const file = specFiles({
    'steward.yaml': MAIN.replace('  bastion: { placement: vpc, port: 2222 }\n', '').replace('access:\n', ''),
    'prod.yaml': PROD,
  });
  const result = blueprintInputOf(load(file));
  assert.ok(!result.ok);
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0]!.message, /access\.bastion` is missing/);
  assert.match(result.errors[0]!.hint ?? '', /placement: vpc, port: 2222/);
  assert.equal(result.errors[0]!.line, 1);
});

test('a datacenter bastion without its address points at the bastion', () => {
  const file = specFiles({
    'steward.yaml': MAIN.replace('placement: vpc', 'placement: datacenter'),
    'prod.yaml': PROD,
  });
  const result = blueprintInputOf(load(file));
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => [e.path, e.line, e.message]),
    [['access.bastion.address', 5, 'a datacenter bastion needs its address']],
  );
});

test('operators default to the names in access.users, located there', () => {
  const spec = load(specFiles({ 'steward.yaml': MAIN, 'prod.yaml': PROD })).spec;
  delete spec.aws;
  (spec.access as Record<string, unknown>).users = [{ name: 'dave' }, { name: 'erin' }];
  const { input, origins } = blueprintFromSpec(spec);
  assert.deepEqual(input.operators, [{ name: 'dave' }, { name: 'erin' }]);
  assert.deepEqual(specPathOf(origins, 'operators[1].name'), ['access', 'users', 1, 'name']);
});

test('an environment setting written in two files is an error at the second', () => {
  const prod = `${PROD}  - name: dev\n    cidr: 10.11.0.0/16\n`;
  const loaded = loadSpec(specFiles({ 'steward.yaml': MAIN, 'prod.yaml': prod }), { env: {} });
  assert.ok(!loaded.ok);
  assert.deepEqual(
    loaded.errors.map((e) => [path.basename(e.file), e.line, e.column]),
    [['prod.yaml', 10, 5]],
  );
  assert.match(
    loaded.errors[0]!.message,
    /^cidr of environment `dev` is already set at .*steward\.yaml:15:11$/,
  );
});

test('the backup bucket name is checked per environment and located in backup.bucket', () => {
  const file = specFiles({
    'steward.yaml': MAIN.replace('name: acme-backups', 'name: Acme_Backups'),
    'prod.yaml': PROD,
  });
  const result = blueprintInputOf(load(file));
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => [e.path, e.line, e.column]),
    [
      ['backup.bucket.name', 9, 19],
      ['backup.bucket.name', 9, 19],
    ],
  );
  assert.match(result.errors[0]!.message, /Acme_Backups-dev .* not a valid S3 bucket name/);
  assert.match(result.errors[1]!.message, /Acme_Backups-prod .* not a valid S3 bucket name/);
});

test("a bastion address or monitoring subnet that misses the blueprint's pinned hosts is an error there", () => {
  const main = MAIN.replace('port: 2222 }', 'port: 2222, address: 10.10.0.10 }').replace(
    'monitoring: { domain',
    'monitoring: { subnet: 10.10.4.0/24, domain',
  );
  const result = blueprintInputOf(load(specFiles({ 'steward.yaml': main, 'prod.yaml': PROD })));
  assert.ok(!result.ok);
  assert.deepEqual(
    result.errors.map((e) => [e.path, e.line, e.message, e.hint]),
    [
      [
        'access.bastion.address',
        5,
        "hosts' firewalls would admit SSH only from 10.10.0.10, but the bastion is at 10.40.0.10 in prod",
        'write a network holding 10.10.0.10, 10.40.0.10, or leave it out',
      ],
      [
        'monitoring.subnet',
        6,
        "hosts' firewalls would admit NRPE and SNMP only from 10.10.4.0/24, but the monitoring host is at 10.40.4.10 in prod",
        'write a network holding 10.10.4.10, 10.40.4.10, or leave it out',
      ],
    ],
  );

  const covering = MAIN.replace('port: 2222 }', 'port: 2222, address: 10.0.0.0/8 }').replace(
    'monitoring: { domain',
    'monitoring: { subnet: 10.0.0.0/8, domain',
  );
  assert.ok(blueprintInputOf(load(specFiles({ 'steward.yaml': covering, 'prod.yaml': PROD }))).ok);
  const datacenter = MAIN.replace(
    'placement: vpc, port: 2222 }',
    'placement: datacenter, port: 2222, address: 198.51.100.7 }',
  );
  assert.ok(blueprintInputOf(load(specFiles({ 'steward.yaml': datacenter, 'prod.yaml': PROD }))).ok);
});

test("a host's firewall input from a blueprint spec: its environment's pinned bastion and monitoring host", () => {
  const spec = load(specFiles({ 'steward.yaml': MAIN, 'prod.yaml': PROD })).spec;
  assert.deepEqual(hostFirewallFromSpec(spec, 'apim-1'), {
    host: 'apim-1',
    bastionAddress: '10.40.0.10/32',
    monitoringSubnet: '10.40.4.10/32',
  });
  assert.deepEqual(hostFirewallFromSpec(spec, 'apim-dev-1'), {
    host: 'apim-dev-1',
    bastionAddress: '10.10.0.10/32',
    monitoringSubnet: '10.10.4.10/32',
  });
  assert.equal(hostFirewallFromSpec(spec, 'nope'), undefined);
  const datacenter = load(
    specFiles({
      'steward.yaml': MAIN.replace(
        'placement: vpc, port: 2222 }',
        'placement: datacenter, port: 2222, address: 198.51.100.7 }',
      ),
      'prod.yaml': PROD,
    }),
  ).spec;
  assert.equal(hostFirewallFromSpec(datacenter, 'apim-1')?.bastionAddress, '198.51.100.7/32');
  delete spec.access;
  assert.equal(hostFirewallFromSpec(spec, 'apim-1'), undefined, 'not a blueprint without access.bastion');
});
