/**
 * A `vpc` bastion: an instance in the public subnet with an Elastic IP (a stable address for
 * operators' SSH config), running `steward gateway` on the spec's non-standard port.
 */
import { CfnOutput } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { pinnedAddresses } from './addresses.ts';
import type { BlueprintInput } from './blueprint-input.ts';
import type { EnvironmentProfile } from './environment-profile.ts';
import { hardenedInstance, stewardServiceUserData } from './hardened-instance.ts';
import { SUBNET_GROUPS } from './network.ts';

export const STEWARD_SPEC_PATH = '/etc/steward/steward.yaml';

export function bastionInstance(
  scope: Construct,
  input: BlueprintInput,
  profile: EnvironmentProfile,
  vpc: ec2.IVpc,
  securityGroup: ec2.ISecurityGroup,
): ec2.Instance {
  const instance = hardenedInstance(scope, 'Bastion', {
    vpc,
    subnetGroupName: SUBNET_GROUPS.public,
    securityGroup,
    instanceType: input.bastion.instanceType ?? 't3.small',
    name: `${input.deployment}-${profile.name}-bastion`,
    rootVolumeGiB: 20,
    // Hosts' firewalls admit SSH from this address only (host-firewall.ts).
    privateIpAddress: pinnedAddresses(profile).bastion,
    userData: stewardServiceUserData(
      'steward-gateway',
      'Steward SSH gateway (bastion)',
      `gateway --spec ${STEWARD_SPEC_PATH} --listen 0.0.0.0:${input.bastion.port}`,
    ),
  });
  const address = new ec2.CfnEIP(scope, 'BastionAddress', { domain: 'vpc', instanceId: instance.instanceId });
  new CfnOutput(scope, 'BastionEndpoint', {
    value: `${address.attrPublicIp}:${input.bastion.port}`,
    description: 'Operators connect here (steward gateway); nothing else is exposed.',
  });
  return instance;
}
