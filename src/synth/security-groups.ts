/**
 * One security group per component, and exactly the ingress rules of networkFlows(): the groups
 * start empty (no default ingress), so anything not listed as a flow is denied.
 */
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { isWholeInternet, parseAddressOrCidr } from './cidr.ts';
import { ConstructIds } from './construct-ids.ts';
import type { Component, Flow } from './flows.ts';
import { acknowledgeRule } from './nag.ts';

/** Tag on every security group naming its component, for operators and for the tests. */
export const COMPONENT_TAG = 'steward:component';

export type SecurityGroups = Map<Component, ec2.SecurityGroup>;

/** Load balancers and the database only answer; hosts need egress (NAT, package mirrors, alerts). */
function answersOnly(component: Component): boolean {
  return component === 'dashboard-lb' || component === 'product-lb' || component === 'database';
}

function peerOf(flow: Flow, groups: SecurityGroups): ec2.IPeer {
  if (flow.from.kind === 'component') {
    const group = groups.get(flow.from.component);
    if (!group) throw new Error(`internal: flow from ${flow.from.component}, which has no security group`);
    return group;
  }
  const network = parseAddressOrCidr(flow.from.cidr);
  if (!network) throw new Error(`internal: flow from "${flow.from.cidr}", which is not a CIDR`);
  return network.family === 4 ? ec2.Peer.ipv4(network.text) : ec2.Peer.ipv6(network.text);
}

export function securityGroups(
  scope: Construct,
  vpc: ec2.IVpc,
  components: Component[],
  flows: Flow[],
): SecurityGroups {
  const groups: SecurityGroups = new Map();
  const ids = new ConstructIds();
  for (const component of components) {
    const group = new ec2.SecurityGroup(scope, ids.next('', component, 'SecurityGroup'), {
      vpc,
      description: `Steward ${component}`,
      allowAllOutbound: !answersOnly(component),
    });
    Tags.of(group).add(COMPONENT_TAG, component);
    groups.set(component, group);
  }
  for (const flow of flows) {
    const group = groups.get(flow.to);
    if (!group) throw new Error(`internal: flow to ${flow.to}, which has no security group`);
    const port = flow.protocol === 'tcp' ? ec2.Port.tcp(flow.port) : ec2.Port.udp(flow.port);
    group.addIngressRule(peerOf(flow, groups), port, flow.purpose);
    // A load balancer or database group allows no egress by default; let the source reach it.
    if (flow.from.kind === 'component' && answersOnly(flow.from.component)) {
      groups.get(flow.from.component)?.addEgressRule(group, port, flow.purpose);
    }
  }
  const publicProduct = flows.some((flow) => {
    if (flow.to !== 'product-lb' || flow.from.kind !== 'network') return false;
    const network = parseAddressOrCidr(flow.from.cidr);
    return network !== null && isWholeInternet(network);
  });
  const productGroup = groups.get('product-lb');
  if (publicProduct && productGroup) {
    acknowledgeRule(
      productGroup,
      'AwsSolutions-EC23',
      "The product load balancer is the product's public entry point (productClients): it admits the product ports only, and forwards them to the application hosts alone.",
    );
  }
  return groups;
}
