/**
 * The monitoring host (steward serve, steward backup) in its own private subnet, reaching alert
 * services through NAT, and its dashboard published only through an HTTPS load balancer that
 * admits the operator networks alone.
 */
import { CfnOutput, CfnParameter } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { pinnedAddresses } from './addresses.ts';
import { STEWARD_SPEC_PATH } from './bastion.ts';
import type { BlueprintInput } from './blueprint-input.ts';
import type { EnvironmentProfile } from './environment-profile.ts';
import { HTTPS_PORT } from './flows.ts';
import { hardenedInstance, stewardServiceUserData } from './hardened-instance.ts';
import { enableAccessLogs } from './log-bucket.ts';
import { SUBNET_GROUPS } from './network.ts';

/** The dashboard's name for an environment: <environment>.<domain>. */
export function dashboardDomain(input: BlueprintInput, environment: string): string | undefined {
  return input.monitoring.domain ? `${environment.toLowerCase()}.${input.monitoring.domain}` : undefined;
}

export interface MonitoringParts {
  instance: ec2.Instance;
  loadBalancer: elbv2.ApplicationLoadBalancer;
}

function dashboardCertificate(
  scope: Construct,
  input: BlueprintInput,
  profile: EnvironmentProfile,
  zone: route53.IHostedZone | undefined,
): elbv2.IListenerCertificate {
  const { certificateArn } = input.monitoring;
  if (certificateArn) return elbv2.ListenerCertificate.fromArn(certificateArn);
  const domain = dashboardDomain(input, profile.name);
  if (domain) {
    // Without a hosted zone, ACM waits for the validation record the checklist asks for.
    return new acm.Certificate(scope, 'DashboardCertificate', {
      domainName: domain,
      validation: acm.CertificateValidation.fromDns(zone),
    });
  }
  // Neither a certificate nor a domain: the deployer supplies the certificate as a parameter.
  const parameter = new CfnParameter(scope, 'DashboardCertificateArn', {
    type: 'String',
    allowedPattern: '^arn:aws[\\w-]*:acm:.+',
    description: 'ARN of the ACM certificate for the monitoring dashboard load balancer',
  });
  return elbv2.ListenerCertificate.fromArn(parameter.valueAsString);
}

export function monitoring(
  scope: Construct,
  input: BlueprintInput,
  profile: EnvironmentProfile,
  vpc: ec2.IVpc,
  groups: { host: ec2.ISecurityGroup; loadBalancer: ec2.ISecurityGroup },
  logs: s3.IBucket,
): MonitoringParts {
  const port = input.monitoring.dashboardPort;
  const { hostedZone } = input.monitoring;
  const zone = hostedZone
    ? route53.PublicHostedZone.fromPublicHostedZoneAttributes(scope, 'Zone', {
        hostedZoneId: hostedZone.id,
        zoneName: hostedZone.name,
      })
    : undefined;
  const instance = hardenedInstance(scope, 'Monitoring', {
    vpc,
    subnetGroupName: SUBNET_GROUPS.monitoring,
    securityGroup: groups.host,
    instanceType: input.monitoring.instanceType ?? 't3.medium',
    name: `${input.deployment}-${profile.name}-monitoring`,
    rootVolumeGiB: 100,
    // Hosts' firewalls admit NRPE and SNMP from this address only (host-firewall.ts).
    privateIpAddress: pinnedAddresses(profile).monitoring,
    userData: stewardServiceUserData(
      'steward-serve',
      'Steward monitoring, alerting and dashboard',
      // The bastion may post its audit events (only those) from outside operatorNetworks.
      `serve --spec ${STEWARD_SPEC_PATH} --data /var/lib/steward/data --listen 0.0.0.0:${port} --audit-from ${bastionAuditSource(input, profile)}`,
    ),
  });

  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'DashboardLoadBalancer', {
    vpc,
    internetFacing: true,
    vpcSubnets: { subnetGroupName: SUBNET_GROUPS.public },
    securityGroup: groups.loadBalancer,
    dropInvalidHeaderFields: true,
  });
  enableAccessLogs(loadBalancer, logs, 'dashboard-lb');
  const listener = loadBalancer.addListener('Https', {
    port: HTTPS_PORT,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    certificates: [dashboardCertificate(scope, input, profile, zone)],
    sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    // The security group already admits the operator networks only; `open` would add 0.0.0.0/0.
    open: false,
  });
  listener.addTargets('Dashboard', {
    port,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    targets: [new targets.InstanceTarget(instance, port)],
    healthCheck: { path: '/healthz', protocol: elbv2.Protocol.HTTPS },
  });

  const domain = dashboardDomain(input, profile.name);
  if (domain && zone) {
    new route53.ARecord(scope, 'DashboardRecord', {
      zone,
      recordName: domain,
      target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(loadBalancer)),
    });
  }
  new CfnOutput(scope, 'DashboardUrl', {
    value: `https://${domain ?? loadBalancer.loadBalancerDnsName}/`,
    description: 'The monitoring dashboard (operator networks only).',
  });
  return { instance, loadBalancer };
}

/** Where the environment's bastion posts its audit events from, as a CIDR for --audit-from. */
function bastionAuditSource(input: BlueprintInput, profile: EnvironmentProfile): string {
  if (input.bastion.placement === 'vpc') return `${pinnedAddresses(profile).bastion}/32`;
  const address = input.bastion.address ?? '';
  return address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;
}
