/**
 * `steward synth` and `steward diagram` as an operator runs them, on examples/acme.yaml (which
 * `steward validate` must accept too) and on broken copies of it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ingressRules } from './template-rules.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ACME = 'examples/acme.yaml';
const HOSTS = ['apim-dev-1', 'is-dev-1', 'apim-test-1', 'is-test-1', 'apim-pp-1', 'apim-pp-2', 'is-pp-1'];
const PROD_HOSTS = ['apim-1', 'apim-2', 'is-1', 'is-2'];

const work = mkdtempSync(path.join(tmpdir(), 'steward-synth-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

function steward(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/steward.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

function template(dir: string, stack: string): Template {
  return JSON.parse(readFileSync(path.join(dir, `${stack}.template.json`), 'utf8')) as Template;
}

function resources(t: Template, type: string) {
  return Object.values(t.Resources).filter((r) => r.Type === type);
}

/** acme.yaml with one edit, written next to the original's directory layout. */
function brokenAcme(from: string, to: string): string {
  const text = readFileSync(path.join(root, ACME), 'utf8');
  assert.ok(text.includes(from), from);
  const file = path.join(work, `acme-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text.replace(from, to));
  return file;
}

const out = path.join(work, 'cdk.out');
let synth: ReturnType<typeof steward>;
before(() => {
  synth = steward('synth', '--spec', ACME, '--out', out);
});

test('steward validate accepts examples/acme.yaml: four environments, the playbook hosts', () => {
  const run = steward('validate', ACME);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^acme: valid — 4 environments, 12 hosts, \d+ services\n$/); // 11 + backup
  assert.equal(run.stderr, '');
});

test('steward synth writes one stack per environment plus the account stack, and prints them and the checklist', () => {
  assert.equal(synth.code, 0, synth.stderr);
  const stacks = ['acme-account', 'acme-dev', 'acme-test', 'acme-preprod', 'acme-prod'];
  assert.match(synth.stdout, /^acme: 5 stacks in .*cdk\.out\/\n/);
  for (const stack of stacks) {
    assert.match(synth.stdout, new RegExp(`^  ${stack} +\\S*${stack}\\.template\\.json$`, 'm'));
    assert.ok(existsSync(path.join(out, `${stack}.template.json`)), stack);
  }
  const checklist = readFileSync(path.join(out, 'CHECKLIST.md'), 'utf8');
  const steps = checklist.split('\n').filter((line) => line.startsWith('- [ ] '));
  assert.match(synth.stdout, new RegExp(`CHECKLIST\\.md: ${steps.length} manual steps`));
  for (const step of steps) assert.ok(synth.stdout.includes(step), step);
  assert.match(checklist, /Root user: enable MFA/);
  assert.match(checklist, /Operator carol:/);
});

test("the templates carry the spec's settings: instance types, database, NAT, operators, CI", () => {
  const prod = template(out, 'acme-prod');
  const types = resources(prod, 'AWS::EC2::Instance').map((r) => r.Properties?.InstanceType);
  // bastion, monitoring host, two apim hosts from the spec's instanceType, two identity servers at the default
  assert.deepEqual(types.sort(), [
    'm7i.large',
    'm7i.large',
    'm7i.xlarge',
    'm7i.xlarge',
    't3.medium',
    't3.small',
  ]);
  const [db] = resources(prod, 'AWS::RDS::DBInstance');
  assert.equal(db?.Properties?.DBInstanceClass, 'db.m7g.large');
  assert.equal(db?.Properties?.BackupRetentionPeriod, 35);
  assert.equal(resources(prod, 'AWS::EC2::NatGateway').length, 2);
  const preprod = template(out, 'acme-preprod');
  assert.equal(resources(preprod, 'AWS::RDS::DBInstance')[0]?.Properties?.BackupRetentionPeriod, 14);
  assert.equal(resources(preprod, 'AWS::EC2::NatGateway').length, 1);
  const vpc = resources(preprod, 'AWS::EC2::VPC')[0];
  assert.equal(vpc?.Properties?.CidrBlock, '10.30.0.0/16');

  const buckets = resources(prod, 'AWS::S3::Bucket').map((r) => r.Properties?.BucketName);
  assert.ok(buckets.includes('acme-steward-backups-prod'), JSON.stringify(buckets));

  const account = JSON.stringify(template(out, 'acme-account'));
  for (const user of ['alice', 'bob', 'carol']) assert.ok(account.includes(`"UserName":"${user}"`), user);
  assert.match(account, /token\.actions\.githubusercontent\.com/);
  assert.match(account, /repo:acme\/infrastructure:ref:refs\/heads\/main/);
});

test('security groups: product ports from the roles reach the hosts only from the product load balancer', () => {
  const rules = ingressRules(template(out, 'acme-prod'));
  for (const host of ['apim-1', 'apim-2']) {
    assert.ok(rules.includes(`product-lb -> host:${host} tcp/8243`), host);
    assert.ok(rules.includes(`product-lb -> host:${host} tcp/9443`), host);
  }
  assert.ok(rules.includes('product-lb -> host:is-1 tcp/9443'));
  assert.ok(!rules.some((rule) => rule.endsWith('host:is-1 tcp/8243')));
  assert.ok(rules.includes('cidr:203.0.113.0/24 -> bastion tcp/2222'));
  assert.ok(!rules.some((rule) => rule.startsWith('cidr:0.0.0.0/0') && rule.endsWith('tcp/22')));
});

test('a blueprint rule broken in the spec fails synth with file:line:column and writes nothing', () => {
  const file = brokenAcme('bastion: { placement: vpc, port: 2222', 'bastion: { placement: vpc, port: 22');
  const target = path.join(work, 'not-written');
  const run = steward('synth', '--spec', file, '--out', target);
  assert.equal(run.code, 1);
  const lines = run.stderr.trim().split('\n');
  const at =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((line) => line.includes('port: 22,')) + 1;
  assert.match(
    lines[0]!,
    new RegExp(
      `^${path.basename(file).replace('.', '\\.')}:${at}:\\d+: error: access\\.bastion\\.port: the bastion must not listen on the standard SSH port$`.replace(
        '^',
        '^.*',
      ),
    ),
  );
  assert.match(lines[1]!, /^ {2}hint: choose a non-standard port/);
  assert.match(lines.at(-1)!, /cannot synthesize the AWS blueprint — 1 error$/);
  assert.equal(run.stdout, '');
  assert.ok(!existsSync(target));
});

test('a product port in a role that clashes is reported once, at the role', () => {
  const file = brokenAcme('productPorts: [8243, 9443]', 'productPorts: [8243, 5666]');
  const run = steward('diagram', '--spec', file);
  assert.equal(run.code, 1);
  const errors = run.stderr.split('\n').filter((line) => line.includes(': error: '));
  assert.equal(errors.length, 1, run.stderr);
  assert.match(errors[0]!, /:\d+:\d+: error: roles\.wso2-apim\.productPorts\[1\]: port 5666 is reserved/);
});

test('an invalid spec stops synth with the validation errors', () => {
  const file = brokenAcme('natGateways: 2', 'natGateways: 0');
  const run = steward('synth', '--spec', file, '--out', path.join(work, 'never'));
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /:\d+:18: error: environments\[3\]\.natGateways: the monitoring host reaches alert services only through NAT/,
  );
  assert.match(run.stderr, /invalid — 1 error\n$/);
});

test('steward diagram writes the SVG with every host, or prints it', () => {
  const file = path.join(work, 'docs', 'architecture.svg');
  const run = steward('diagram', '--spec', ACME, '--out', file);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${file}: acme, 4 environments, 11 hosts\n`);
  const svg = readFileSync(file, 'utf8');
  assert.match(
    svg,
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
  );
  for (const host of [...HOSTS, ...PROD_HOSTS]) assert.ok(svg.includes(`>${host}</text>`), host);
  const printed = steward('diagram', '--spec', ACME);
  assert.equal(printed.code, 0);
  assert.equal(printed.stdout, svg);
});

test('usage: both commands are listed, bad options exit 2', () => {
  const help = steward('--help');
  assert.match(help.stdout, /^ {2}synth +build the AWS blueprint/m);
  assert.match(help.stdout, /^ {2}diagram +draw the deployment's architecture/m);
  assert.match(steward('synth', '--help').stdout, /^Usage: steward synth \[--spec FILE\] \[--out DIR\]/);
  const bad = steward('diagram', '--nope');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /see: steward diagram --help/);
});
