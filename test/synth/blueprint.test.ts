/**
 * The playbook's deployment (four environments, VPC bastion, databases) synthesized once, with
 * cdk-nag on, and its templates inspected with aws-cdk-lib/assertions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  type BlueprintApp,
  BlueprintValidationError,
  buildBlueprint,
  synthesizeApp,
} from '../../src/synth/index.ts';
import { playbookInput } from './fixtures.ts';
import { componentsByLogicalId, ingressRules } from './template-rules.ts';

let outDir: string;
let blueprint: BlueprintApp;
const templates = new Map<string, Template>();

function template(name: string): Template {
  const found = templates.get(name);
  if (!found) throw new Error(`no template ${name}`);
  return found;
}

function resourcesOf(name: string, type: string): Record<string, { Properties: Record<string, unknown> }> {
  return template(name).findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

before(() => {
  outDir = mkdtempSync(join(tmpdir(), 'steward-synth-'));
  blueprint = buildBlueprint(playbookInput(), outDir);
  synthesizeApp(blueprint);
  templates.set('account', Template.fromStack(blueprint.accountStack));
  for (const [name, stack] of blueprint.environmentStacks) templates.set(name, Template.fromStack(stack));
});

after(() => rmSync(outDir, { recursive: true, force: true }));

describe('stacks', () => {
  test('one stack per environment plus the account stack, with account and region where given', () => {
    assert.deepEqual(
      [
        blueprint.accountStack.stackName,
        ...[...blueprint.environmentStacks.values()].map((s) => s.stackName),
      ],
      ['acme-account', 'acme-dev', 'acme-test', 'acme-preprod', 'acme-prod'],
    );
    const prod = blueprint.environmentStacks.get('prod')!;
    assert.equal(prod.account, '123456789012');
    assert.equal(prod.region, 'eu-west-1');
    assert.equal(prod.terminationProtection, true);
    assert.equal(blueprint.environmentStacks.get('dev')!.terminationProtection, false);
    // IAM goes where the first environment with an account goes.
    assert.equal(blueprint.accountStack.account, '123456789012');
  });

  test('offline: synthesis needed no context lookup, even for the stack with account and region', () => {
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.missing, undefined);
    assert.doesNotMatch(readFileSync(join(outDir, 'acme-prod.template.json'), 'utf8'), /dummy/);
  });

  test('plain CloudFormation: no Lambda-backed custom resources, no bootstrap version rule', () => {
    for (const [name, t] of templates) {
      assert.equal(Object.keys(t.findResources('AWS::Lambda::Function')).length, 0, name);
      assert.equal(Object.keys(t.findResources('AWS::CloudFormation::CustomResource')).length, 0, name);
      assert.equal(t.toJSON().Rules, undefined, `${name} has the bootstrap version rule`);
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  test('the synthesis passed: no validation plugin reports a failure or an AwsSolutions finding', () => {
    const report = JSON.parse(readFileSync(join(outDir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; violations: { ruleName: string }[] }[];
    };
    for (const plugin of report.pluginReports) {
      assert.equal(plugin.conclusion, 'success', plugin.pluginName);
      assert.deepEqual(
        plugin.violations.filter((v) => v.ruleName.startsWith('AwsSolutions')),
        [],
        plugin.pluginName,
      );
    }
  });

  test('every acknowledged AwsSolutions rule carries a reason', () => {
    const acknowledgements: [string, string][] = [];
    for (const construct of blueprint.app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          if (id.includes('AwsSolutions-')) acknowledgements.push([`${construct.node.path}: ${id}`, reason]);
        }
      }
    }
    assert.ok(acknowledgements.length >= 10, `found ${acknowledgements.length} acknowledgements`);
    for (const [id, reason] of acknowledgements)
      assert.ok(reason.length >= 40, `${id}: reason too short: "${reason}"`);
  });

  test('a violation fails synthesis with the rule and the construct named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-synth-nag-'));
    try {
      const input = playbookInput();
      input.environments = input.environments.filter((env) => env.name === 'test');
      const broken = buildBlueprint(input, dir);
      const stack = broken.environmentStacks.get('test')!;
      const vpc = stack.node.findChild('Vpc') as ec2.Vpc;
      const open = new ec2.SecurityGroup(stack, 'WideOpen', { vpc });
      open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
      assert.throws(
        () => synthesizeApp(broken),
        (error: unknown) =>
          error instanceof BlueprintValidationError &&
          /AwsSolutions-EC23 at acme-test\/WideOpen/.test(error.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('network', () => {
  test('VPC over two AZs with public, application, monitoring and isolated data subnets', () => {
    for (const env of ['dev', 'prod']) {
      const subnets = Object.values(resourcesOf(env, 'AWS::EC2::Subnet'));
      assert.equal(subnets.length, 8, env);
      const tiers = subnets.map(
        (s) =>
          (s.Properties.Tags as { Key: string; Value: string }[]).find((t) => t.Key === 'aws-cdk:subnet-name')
            ?.Value,
      );
      for (const tier of ['public', 'application', 'monitoring', 'data'])
        assert.equal(tiers.filter((t) => t === tier).length, 2, `${env} ${tier}`);
      for (const subnet of subnets) assert.equal(subnet.Properties.MapPublicIpOnLaunch, false);
    }
    const zones = Object.values(resourcesOf('prod', 'AWS::EC2::Subnet')).map(
      (s) => s.Properties.AvailabilityZone,
    );
    assert.deepEqual([...new Set(zones)].sort(), ['eu-west-1a', 'eu-west-1b']);
    template('preprod').hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.30.0.0/16' });
    template('dev').hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
  });

  test('a NAT gateway per AZ in prod, one shared in the other environments', () => {
    template('prod').resourceCountIs('AWS::EC2::NatGateway', 2);
    for (const env of ['dev', 'test', 'preprod']) template(env).resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('isolated data subnets have no default route; private ones leave through NAT only', () => {
    const t = template('prod');
    const routes = Object.values(resourcesOf('prod', 'AWS::EC2::Route'));
    const tables = resourcesOf('prod', 'AWS::EC2::RouteTable');
    const tierOf = (ref: unknown) => {
      const id = (ref as { Ref: string }).Ref;
      return String(
        (tables[id]!.Properties.Tags as { Key: string; Value: string }[]).find((tag) => tag.Key === 'Name')
          ?.Value,
      );
    };
    const byTier = (tier: string) =>
      routes.filter((r) => tierOf(r.Properties.RouteTableId).includes(`/${tier}Subnet`));
    assert.equal(byTier('data').length, 0);
    for (const tier of ['application', 'monitoring']) {
      assert.equal(byTier(tier).length, 2);
      for (const route of byTier(tier))
        assert.ok(route.Properties.NatGatewayId && !route.Properties.GatewayId, tier);
    }
    for (const route of byTier('public')) assert.ok(route.Properties.GatewayId);
    t.resourceCountIs('AWS::EC2::InternetGateway', 1);
  });

  test('VPC flow logs (all traffic) and the S3 and DynamoDB gateway endpoints', () => {
    for (const env of ['dev', 'prod']) {
      template(env).hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 's3',
      });
      template(env).hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.s3'])] }),
      });
      template(env).resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    }
  });
});

describe('security groups', () => {
  test('prod allows exactly the documented flows', () => {
    assert.deepEqual(ingressRules(template('prod').toJSON()), [
      'bastion -> host:apim-1 tcp/22',
      'bastion -> host:apim-2 tcp/22',
      'bastion -> host:is-1 tcp/22',
      'bastion -> monitoring tcp/22',
      'bastion -> monitoring tcp/8443',
      'cidr:0.0.0.0/0 -> product-lb tcp/8243',
      'cidr:0.0.0.0/0 -> product-lb tcp/9443',
      'cidr:2001:db8::/32 -> bastion tcp/2222',
      'cidr:2001:db8::/32 -> dashboard-lb tcp/443',
      'cidr:203.0.113.0/24 -> bastion tcp/2222',
      'cidr:203.0.113.0/24 -> dashboard-lb tcp/443',
      'dashboard-lb -> monitoring tcp/8443',
      'host:apim-1 -> database tcp/5432',
      'host:apim-2 -> database tcp/5432',
      'host:is-1 -> database tcp/5432',
      'monitoring -> bastion tcp/5666',
      'monitoring -> bastion udp/161',
      'monitoring -> database tcp/5432',
      'monitoring -> host:apim-1 tcp/5666',
      'monitoring -> host:apim-1 udp/161',
      'monitoring -> host:apim-2 tcp/5666',
      'monitoring -> host:apim-2 udp/161',
      'monitoring -> host:is-1 tcp/5666',
      'monitoring -> host:is-1 udp/161',
      'product-lb -> host:apim-1 tcp/8243',
      'product-lb -> host:apim-1 tcp/9443',
      'product-lb -> host:apim-2 tcp/8243',
      'product-lb -> host:apim-2 tcp/9443',
    ]);
  });

  test('no environment opens SSH or the bastion port to the internet; only product ports are public', () => {
    for (const [name, t] of templates) {
      if (name === 'account') continue;
      for (const rule of ingressRules(t.toJSON())) {
        if (!/^cidr:(0\.0\.0\.0|::)\/0 /.test(rule)) continue;
        assert.match(rule, / -> product-lb tcp\/(8243|9443)$/, `${name}: ${rule}`);
      }
      for (const rule of ingressRules(t.toJSON()).filter((r) => / tcp\/(22|2222)$/.test(r))) {
        assert.match(
          rule,
          /^(bastion -> |cidr:203\.0\.113\.0\/24 -> bastion |cidr:2001:db8::\/32 -> bastion )/,
          `${name}: ${rule}`,
        );
      }
    }
  });

  test('load balancers and the database send nothing except load balancers to their targets', () => {
    const t = template('prod').toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const components = componentsByLogicalId(t);
    const componentOf = (ref: unknown) =>
      components.get((ref as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]);
    for (const [id, resource] of Object.entries(t.Resources)) {
      if (resource.Type !== 'AWS::EC2::SecurityGroup') continue;
      const component = components.get(id);
      if (component !== 'dashboard-lb' && component !== 'product-lb' && component !== 'database') continue;
      // None, or CDK's "disallow all" placeholder (255.255.255.255/32).
      for (const rule of (resource.Properties.SecurityGroupEgress ?? []) as { CidrIp?: string }[]) {
        assert.equal(rule.CidrIp, '255.255.255.255/32', `${component} egress ${JSON.stringify(rule)}`);
      }
    }
    const egress = Object.values(t.Resources)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress')
      .map(
        (r) =>
          `${componentOf(r.Properties.GroupId)} -> ${componentOf(r.Properties.DestinationSecurityGroupId)} ${r.Properties.IpProtocol}/${r.Properties.FromPort}`,
      )
      .sort();
    assert.deepEqual(egress, [
      'dashboard-lb -> monitoring tcp/8443',
      'product-lb -> host:apim-1 tcp/8243',
      'product-lb -> host:apim-1 tcp/9443',
      'product-lb -> host:apim-2 tcp/8243',
      'product-lb -> host:apim-2 tcp/9443',
    ]);
  });
});

describe('instances', () => {
  test('every instance: IMDSv2 only, encrypted gp3 root volume, detailed monitoring, termination protection', () => {
    const instances = Object.values(resourcesOf('prod', 'AWS::EC2::Instance'));
    assert.equal(instances.length, 5); // bastion, monitoring, three application hosts
    for (const instance of instances) {
      assert.deepEqual(instance.Properties.MetadataOptions, {
        HttpTokens: 'required',
        HttpEndpoint: 'enabled',
        HttpPutResponseHopLimit: 1,
      });
      const [root] = instance.Properties.BlockDeviceMappings as {
        Ebs: { Encrypted: boolean; VolumeType: string };
      }[];
      assert.equal(root?.Ebs.Encrypted, true);
      assert.equal(root?.Ebs.VolumeType, 'gp3');
      assert.equal(instance.Properties.Monitoring, true);
      assert.equal(instance.Properties.DisableApiTermination, true);
      assert.equal(instance.Properties.KeyName, undefined);
    }
    template('prod').resourceCountIs('AWS::EC2::LaunchTemplate', 0);
  });

  test('the VPC bastion sits in a public subnet with an Elastic IP and runs steward gateway on the port', () => {
    const [bastion] = Object.values(resourcesOf('prod', 'AWS::EC2::Instance')).filter((i) =>
      (i.Properties.Tags as { Key: string; Value: string }[]).some(
        (t) => t.Key === 'Name' && t.Value === 'acme-prod-bastion',
      ),
    );
    assert.ok(bastion);
    const subnet = (bastion.Properties.SubnetId as { Ref: string }).Ref;
    assert.match(subnet, /^VpcpublicSubnet/);
    const userData = JSON.stringify(bastion.Properties.UserData);
    assert.match(
      userData,
      /ExecStart=\/opt\/steward\/bin\/steward gateway --spec \/etc\/steward\/steward.yaml --listen 0\.0\.0\.0:2222/,
    );
    // Site settings (the audit token, --report-to) come from an optional environment file.
    assert.match(userData, /EnvironmentFile=-\/etc\/steward\/steward-gateway\.env/);
    assert.match(userData, /--listen 0\.0\.0\.0:2222 \$STEWARD_ARGS/);
    const [monitoring] = Object.values(resourcesOf('prod', 'AWS::EC2::Instance')).filter((i) =>
      (i.Properties.Tags as { Key: string; Value: string }[]).some(
        (t) => t.Key === 'Name' && t.Value === 'acme-prod-monitoring',
      ),
    );
    // steward serve takes audit events (only those) from the bastion's pinned address.
    assert.match(
      JSON.stringify(monitoring!.Properties.UserData),
      new RegExp(`--audit-from ${(bastion.Properties.PrivateIpAddress as string).replaceAll('.', '\\.')}/32`),
    );
    template('prod').hasResourceProperties('AWS::EC2::EIP', { Domain: 'vpc', InstanceId: Match.anyValue() });
    template('prod').hasOutput('BastionEndpoint', Match.anyValue());
  });

  test('application hosts in the application subnets, monitoring in the monitoring subnet', () => {
    const instances = Object.values(resourcesOf('prod', 'AWS::EC2::Instance'));
    const subnetOf = (name: string) => {
      const instance = instances.find((i) =>
        (i.Properties.Tags as { Key: string; Value: string }[]).some(
          (t) => t.Key === 'Name' && t.Value === name,
        ),
      );
      assert.ok(instance, name);
      return (instance.Properties.SubnetId as { Ref: string }).Ref;
    };
    for (const host of ['apim-1', 'apim-2', 'is-1'])
      assert.match(subnetOf(`acme-prod-${host}`), /^VpcapplicationSubnet/);
    assert.match(subnetOf('acme-prod-monitoring'), /^VpcmonitoringSubnet/);
  });
});

describe('dashboard and product load balancers', () => {
  test('the dashboard is an internet-facing HTTPS load balancer forwarding to steward serve', () => {
    const t = template('prod');
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'application',
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: Match.anyValue() }],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8443,
      Protocol: 'HTTPS',
      HealthCheckPath: '/healthz',
      TargetType: 'instance',
    });
    t.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP' }, 0);
  });

  test('an ACM certificate validated in the hosted zone, and the dashboard record', () => {
    template('prod').hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'prod.monitor.acme.example',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [
        { DomainName: 'prod.monitor.acme.example', HostedZoneId: 'Z0123456789ABCDEFGHIJ' },
      ],
    });
    template('prod').hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'prod.monitor.acme.example.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
    });
  });

  test('the product load balancer passes the product ports through to the hosts that serve them', () => {
    const t = template('prod');
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'network',
      Scheme: 'internet-facing',
    });
    for (const port of [8243, 9443]) {
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: port, Protocol: 'TCP' });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: port,
        Protocol: 'TCP',
        Targets: [Match.objectLike({ Port: port }), Match.objectLike({ Port: port })],
      });
    }
    // test has one product port on one host; no database, so no database group.
    template('test').resourcePropertiesCountIs(
      'AWS::ElasticLoadBalancingV2::Listener',
      { Protocol: 'TCP' },
      1,
    );
    template('test').resourceCountIs('AWS::RDS::DBInstance', 0);
  });
});

describe('data', () => {
  test('prod database: Multi-AZ, deletion protection, encrypted, 35 days of backups, no public access', () => {
    template('prod').hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      MultiAZ: true,
      DeletionProtection: true,
      StorageEncrypted: true,
      BackupRetentionPeriod: 35,
      PubliclyAccessible: false,
      ManageMasterUserPassword: true,
      EnableIAMDatabaseAuthentication: true,
    });
    template('prod').hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
  });

  test('other databases: single AZ, no deletion protection, retention from the input or 7 days', () => {
    template('dev').hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql',
      EngineVersion: '8.4.10',
      MultiAZ: false,
      DeletionProtection: false,
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
    });
    template('preprod').hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mariadb',
      BackupRetentionPeriod: 14,
      MultiAZ: false,
    });
  });

  test('backup bucket: encrypted, versioned, public access blocked, lifecycle, TLS-only, logged', () => {
    const t = template('prod');
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'acme-steward-backups-prod',
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'backup-bucket/' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            ExpirationInDays: 90,
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
          }),
        ],
      },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    // Every bucket of every environment denies plain HTTP.
    for (const [name, tpl] of templates) {
      const buckets = Object.keys(tpl.findResources('AWS::S3::Bucket'));
      const policies = Object.values(tpl.findResources('AWS::S3::BucketPolicy')).filter((p) =>
        JSON.stringify(p).includes('aws:SecureTransport'),
      );
      assert.equal(policies.length, buckets.length, name);
    }
  });

  test('the monitoring host may list, read, write and delete backup objects, nothing broader', () => {
    const policies = Object.values(resourcesOf('prod', 'AWS::IAM::Policy'));
    const actions = policies.flatMap((p) =>
      (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
        (s) => s.Action,
      ),
    );
    assert.deepEqual(actions.sort(), [
      's3:DeleteObject',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
  });
});

describe('account stack: IAM and mail', () => {
  test('MFA is enforced: everything but enrolling an own MFA device is denied without MFA', () => {
    const [policy] = Object.values(resourcesOf('account', 'AWS::IAM::ManagedPolicy'));
    assert.ok(policy);
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    const deny = statements.find((s) => s.Effect === 'Deny');
    assert.ok(deny);
    assert.deepEqual(deny.Condition, { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } });
    assert.equal(deny.Resource, '*');
    assert.equal(deny.Action, undefined);
    const allowedWithoutMfa = deny.NotAction as string[];
    for (const action of [
      'iam:CreateVirtualMFADevice',
      'iam:EnableMFADevice',
      'iam:ListMFADevices',
      'iam:ChangePassword',
      'sts:GetSessionToken',
    ]) {
      assert.ok(allowedWithoutMfa.includes(action), action);
    }
    for (const action of allowedWithoutMfa)
      assert.match(action, /^(iam:(Create|Enable|Get|List|Resync|Change)\w+|sts:GetSessionToken)$/);
    assert.ok(!allowedWithoutMfa.includes('iam:DeactivateMFADevice'), 'removing MFA needs MFA');
    const own = statements.find((s) => s.Sid === 'AllowManageOwnUserMFA');
    assert.match(JSON.stringify(own?.Resource), /:user\/\$\{aws:username\}/);
  });

  test('operators group: the playbook admin policies plus the MFA policy; one user per operator', () => {
    const t = template('account');
    const [group] = Object.values(resourcesOf('account', 'AWS::IAM::Group'));
    const arns = JSON.stringify(group?.Properties.ManagedPolicyArns);
    for (const policy of ['VPC', 'EC2', 'RDS', 'S3', 'SES', 'Route53'])
      assert.ok(arns.includes(`policy/Amazon${policy}FullAccess`), policy);
    assert.ok(arns.includes('"Ref":"RequireMfa'));
    for (const name of ['alice', 'bob'])
      t.hasResourceProperties('AWS::IAM::User', { UserName: name, Groups: [Match.anyValue()] });
    t.resourceCountIs('AWS::IAM::User', 2);
    t.resourceCountIs('AWS::IAM::AccessKey', 0);
    t.resourceCountIs('AWS::IAM::UserToGroupAddition', 0);
  });

  test('the automation role is assumed with MFA or from CI via OIDC, for an hour at most', () => {
    template('account').hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'acme-automation',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          }),
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
              StringLike: {
                'token.actions.githubusercontent.com:sub': ['repo:acme/infra:ref:refs/heads/main'],
              },
            },
          }),
        ],
      },
    });
    template('account').hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test('SES identity for the alert sender, verified through the hosted zone', () => {
    template('account').hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'acme.example' });
  });
});
