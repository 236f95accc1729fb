/**
 * The environment's VPC: public subnets (bastion, NAT, load balancers), private application and
 * monitoring subnets (internet only through NAT), isolated data subnets, flow logs to the log
 * bucket, and gateway endpoints so S3 and DynamoDB traffic stays off the NAT.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { EnvironmentProfile } from './environment-profile.ts';

export const SUBNET_GROUPS = {
  public: 'public',
  application: 'application',
  monitoring: 'monitoring',
  data: 'data',
} as const;

export function blueprintVpc(scope: Construct, profile: EnvironmentProfile, logs: s3.IBucket): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(profile.cidr),
    ...(profile.availabilityZones
      ? { availabilityZones: profile.availabilityZones }
      : { maxAzs: profile.azCount }),
    natGateways: profile.natGateways,
    natGatewaySubnets: { subnetGroupName: SUBNET_GROUPS.public },
    subnetConfiguration: [
      // No automatic public addresses: only the bastion gets one, an Elastic IP on purpose.
      {
        name: SUBNET_GROUPS.public,
        subnetType: ec2.SubnetType.PUBLIC,
        cidrMask: 24,
        mapPublicIpOnLaunch: false,
      },
      { name: SUBNET_GROUPS.application, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      { name: SUBNET_GROUPS.monitoring, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      { name: SUBNET_GROUPS.data, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
    // Restricting the default security group needs a Lambda-backed custom resource (an asset to
    // bootstrap); nothing uses the default group, and the checklist says to empty it.
    restrictDefaultSecurityGroup: false,
    gatewayEndpoints: {
      S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
    },
  });
  vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toS3(logs, 'vpc-flow-logs/'),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
  return vpc;
}
