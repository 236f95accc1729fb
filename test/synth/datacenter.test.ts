/**
 * A datacenter bastion, a region-agnostic environment without database, domain or certificate:
 * synthesized through synthesize(), which writes the templates and CHECKLIST.md to disk.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import { type BlueprintInput, synthesize } from '../../src/synth/index.ts';
import { ingressRules } from './template-rules.ts';

const input: BlueprintInput = {
  deployment: 'globex',
  operatorNetworks: ['192.0.2.0/24'],
  environments: [
    {
      name: 'staging',
      natGateways: 2,
      productClients: ['198.51.100.0/24'],
      hosts: [
        { name: 'esb-1', role: 'wso2-mi', productPorts: [8290] },
        { name: 'batch-1', instanceType: 'c7i.large' },
        // Same letters and digits as esb-1: construct ids must still be distinct.
        { name: 'esb1' },
      ],
    },
  ],
  bastion: { placement: 'datacenter', port: 2200, address: '198.51.100.7' },
  monitoring: { dashboardPort: 9000, alertEmail: 'noc@globex.example' },
  operators: [{ name: 'carol' }, { name: 'car.ol' }],
};

let outDir: string;
let result: ReturnType<typeof synthesize>;
let staging: Template;
let account: Template;

before(() => {
  outDir = mkdtempSync(join(tmpdir(), 'steward-synth-dc-'));
  result = synthesize(input, outDir);
  staging = Template.fromJSON(JSON.parse(readFileSync(join(outDir, 'globex-staging.template.json'), 'utf8')));
  account = Template.fromJSON(JSON.parse(readFileSync(join(outDir, 'globex-account.template.json'), 'utf8')));
});

after(() => rmSync(outDir, { recursive: true, force: true }));

test('synthesize writes a cloud assembly with every stack, and reports the stack names', () => {
  assert.deepEqual(result.stacks, ['globex-account', 'globex-staging']);
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
  assert.ok(manifest.artifacts['globex-staging']);
  assert.ok(manifest.artifacts['globex-account']);
});

test('datacenter bastion: no bastion instance or group; SSH only from its address', () => {
  assert.deepEqual(ingressRules(staging.toJSON()), [
    'cidr:192.0.2.0/24 -> dashboard-lb tcp/443',
    'cidr:198.51.100.0/24 -> product-lb tcp/8290',
    'cidr:198.51.100.7/32 -> host:batch-1 tcp/22',
    'cidr:198.51.100.7/32 -> host:esb-1 tcp/22',
    'cidr:198.51.100.7/32 -> host:esb1 tcp/22',
    'cidr:198.51.100.7/32 -> monitoring tcp/22',
    'cidr:198.51.100.7/32 -> monitoring tcp/9000',
    'dashboard-lb -> monitoring tcp/9000',
    'monitoring -> host:batch-1 tcp/5666',
    'monitoring -> host:batch-1 udp/161',
    'monitoring -> host:esb-1 tcp/5666',
    'monitoring -> host:esb-1 udp/161',
    'monitoring -> host:esb1 tcp/5666',
    'monitoring -> host:esb1 udp/161',
    'product-lb -> host:esb-1 tcp/8290',
  ]);
  // Monitoring and three hosts; no Elastic IP besides the NAT gateways'.
  staging.resourceCountIs('AWS::EC2::Instance', 4);
  staging.resourceCountIs('AWS::EC2::EIP', 2);
  assert.doesNotMatch(JSON.stringify(staging.toJSON()), /steward gateway/);
  staging.hasResourceProperties('AWS::EC2::Instance', { InstanceType: 'c7i.large' });
});

test('the NAT count is configurable: two gateways outside production when asked', () => {
  staging.resourceCountIs('AWS::EC2::NatGateway', 2);
});

test('region-agnostic: AZs chosen by CloudFormation, load balancer access logs waived with a reason', () => {
  const subnets = Object.values(staging.findResources('AWS::EC2::Subnet')) as {
    Properties: { AvailabilityZone: unknown };
  }[];
  for (const subnet of subnets)
    assert.deepEqual(Object.keys(subnet.Properties.AvailabilityZone as object), ['Fn::Select']);
  staging.resourcePropertiesCountIs(
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    { LoadBalancerAttributes: [{ Key: 'access_logs.s3.enabled', Value: 'true' }] },
    0,
  );
});

test('without certificate or domain, the dashboard certificate is a deploy-time parameter', () => {
  staging.hasParameter('DashboardCertificateArn', { Type: 'String' });
  staging.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  staging.resourceCountIs('AWS::Route53::RecordSet', 0);
  staging.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Port: 443,
    Protocol: 'HTTPS',
    Certificates: [{ CertificateArn: { Ref: 'DashboardCertificateArn' } }],
  });
});

test('no database: no RDS instance and no database security group', () => {
  staging.resourceCountIs('AWS::RDS::DBInstance', 0);
  assert.doesNotMatch(JSON.stringify(staging.toJSON()), /"steward:component","Value":"database"/);
});

test('an unnamed backup bucket still gets every protection', () => {
  const buckets = Object.values(staging.findResources('AWS::S3::Bucket')) as {
    Properties: Record<string, unknown>;
  }[];
  const backups = buckets.find((b) => b.Properties.VersioningConfiguration);
  assert.ok(backups);
  assert.equal(backups.Properties.BucketName, undefined);
  assert.deepEqual(backups.Properties.LifecycleConfiguration, {
    Rules: [
      {
        Id: 'expire-backups',
        Status: 'Enabled',
        ExpirationInDays: 90,
        NoncurrentVersionExpiration: { NoncurrentDays: 7 },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
      },
    ],
  });
});

test('SES identity for the alert address; no CI provider unless asked', () => {
  account.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'noc@globex.example' });
  account.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  account.hasResourceProperties('AWS::IAM::User', { UserName: 'carol' });
  account.hasResourceProperties('AWS::IAM::User', { UserName: 'car.ol' });
});

test('CHECKLIST.md lists what CDK cannot do, for this deployment', () => {
  const checklist = readFileSync(join(outDir, 'CHECKLIST.md'), 'utf8');
  assert.ok(existsSync(join(outDir, 'CHECKLIST.md')));
  assert.match(checklist, /^# globex: manual steps/);
  const items = checklist.split('\n').filter((line) => line.startsWith('- [ ] '));
  assert.equal(items.length, result.checklist.length);
  assert.match(checklist, /Root user: enable MFA/);
  assert.match(checklist, /Operator carol: create a console password/);
  assert.match(checklist, /verification link that SES mails to noc@globex\.example/);
  assert.match(checklist, /pass DashboardCertificateArn/);
  assert.match(checklist, /Datacenter bastion: connect the datacenter to each VPC .* from 198\.51\.100\.7/);
  assert.match(checklist, /rotate them every 90 days/);
  assert.doesNotMatch(checklist, /steward gateway on port/);
});
