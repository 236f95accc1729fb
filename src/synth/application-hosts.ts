/**
 * The application hosts in the private application subnets, and the product load balancer in
 * the public subnets that alone reaches their product ports. The load balancer passes TCP
 * through: the product (an API gateway, an identity server) terminates its own TLS.
 */
import { CfnOutput } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { BlueprintEnvironment, BlueprintInput } from './blueprint-input.ts';
import { ConstructIds } from './construct-ids.ts';
import { hostComponent, productPorts } from './flows.ts';
import { hardenedInstance } from './hardened-instance.ts';
import { enableAccessLogs } from './log-bucket.ts';
import { SUBNET_GROUPS } from './network.ts';
import type { SecurityGroups } from './security-groups.ts';

export function applicationHosts(
  scope: Construct,
  input: BlueprintInput,
  env: BlueprintEnvironment,
  vpc: ec2.IVpc,
  groups: SecurityGroups,
  logs: s3.IBucket,
): Map<string, ec2.Instance> {
  const instances = new Map<string, ec2.Instance>();
  const ids = new ConstructIds();
  for (const host of env.hosts) {
    const instance = hardenedInstance(scope, ids.next('Host', host.name), {
      vpc,
      subnetGroupName: SUBNET_GROUPS.application,
      securityGroup: groups.get(hostComponent(host.name))!,
      instanceType: host.instanceType ?? 'm7i.large',
      name: `${input.deployment}-${env.name}-${host.name}`,
      rootVolumeGiB: 50,
    });
    if (host.role) instance.instance.tags.setTag('steward:role', host.role);
    instances.set(host.name, instance);
  }

  const ports = productPorts(env);
  const loadBalancerGroup = groups.get('product-lb');
  if (ports.length > 0 && loadBalancerGroup) {
    const loadBalancer = new elbv2.NetworkLoadBalancer(scope, 'ProductLoadBalancer', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetGroupName: SUBNET_GROUPS.public },
      securityGroups: [loadBalancerGroup],
      crossZoneEnabled: true,
    });
    enableAccessLogs(loadBalancer, logs, 'product-lb');
    for (const port of ports) {
      const listener = loadBalancer.addListener(`Tcp${port}`, { port, protocol: elbv2.Protocol.TCP });
      listener.addTargets(`Hosts${port}`, {
        port,
        protocol: elbv2.Protocol.TCP,
        targets: env.hosts
          .filter((host) => host.productPorts?.includes(port))
          .map((host) => new targets.InstanceTarget(instances.get(host.name)!, port)),
      });
    }
    new CfnOutput(scope, 'ProductEndpoint', {
      value: loadBalancer.loadBalancerDnsName,
      description: `The product load balancer (TCP ${ports.join(', ')}).`,
    });
  }
  return instances;
}
