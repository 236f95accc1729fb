/**
 * The network flows a deployment allows, as plain data: the one list from which the security
 * groups are synthesized and the diagram is drawn (and, later, hosts' firewalls rendered), so
 * the network and the access rules cannot disagree. Anything not listed here is denied.
 */
import type { BlueprintEnvironment, BlueprintInput } from './blueprint-input.ts';
import { parseAddressOrCidr } from './cidr.ts';
import { databasePort, environmentProfile } from './environment-profile.ts';

/** The things inside an environment's VPC that get a security group. */
export type Component =
  | 'bastion'
  | 'monitoring'
  | 'dashboard-lb'
  | 'product-lb'
  | 'database'
  | `host:${string}`;

export type FlowSource =
  | { kind: 'component'; component: Component }
  | { kind: 'network'; cidr: string; label: 'operators' | 'datacenter-bastion' | 'product-clients' };

export interface Flow {
  from: FlowSource;
  to: Component;
  protocol: 'tcp' | 'udp';
  port: number;
  purpose: string;
}

export const SSH_PORT = 22;
export const NRPE_PORT = 5666;
export const SNMP_PORT = 161;
export const HTTPS_PORT = 443;

export function hostComponent(hostName: string): Component {
  return `host:${hostName}`;
}

/** The components of an environment, in the order their security groups are created. */
export function environmentComponents(input: BlueprintInput, env: BlueprintEnvironment): Component[] {
  const components: Component[] = [];
  if (input.bastion.placement === 'vpc') components.push('bastion');
  components.push('monitoring', 'dashboard-lb');
  if (env.hosts.some((host) => (host.productPorts ?? []).length > 0)) components.push('product-lb');
  if (env.database) components.push('database');
  for (const host of env.hosts) components.push(hostComponent(host.name));
  return components;
}

/** Product ports served in the environment, each once, ascending. */
export function productPorts(env: BlueprintEnvironment): number[] {
  return [...new Set(env.hosts.flatMap((host) => host.productPorts ?? []))].sort((a, b) => a - b);
}

function networks(
  cidrs: string[],
  label: 'operators' | 'datacenter-bastion' | 'product-clients',
): FlowSource[] {
  return cidrs.map((cidr) => ({ kind: 'network', cidr: parseAddressOrCidr(cidr)?.text ?? cidr, label }));
}

export function networkFlows(input: BlueprintInput, env: BlueprintEnvironment): Flow[] {
  const profile = environmentProfile(input, env);
  const flows: Flow[] = [];
  const operators = networks(input.operatorNetworks, 'operators');
  const inVpc = input.bastion.placement === 'vpc';
  const bastion: FlowSource[] = inVpc
    ? [{ kind: 'component', component: 'bastion' }]
    : networks([input.bastion.address ?? ''], 'datacenter-bastion');
  const monitoring: FlowSource = { kind: 'component', component: 'monitoring' };
  const hosts = env.hosts.map((host) => hostComponent(host.name));

  if (inVpc) {
    for (const from of operators) {
      flows.push({
        from,
        to: 'bastion',
        protocol: 'tcp',
        port: input.bastion.port,
        purpose: 'operators to the steward gateway',
      });
    }
  }
  // Every host, the monitoring host included, takes SSH from the bastion only.
  for (const to of ['monitoring' as const, ...hosts]) {
    for (const from of bastion)
      flows.push({ from, to, protocol: 'tcp', port: SSH_PORT, purpose: 'SSH from the bastion' });
  }
  // The monitoring host polls agents; the bastion is a host like the others.
  for (const to of [...(inVpc ? ['bastion' as const] : []), ...hosts]) {
    flows.push({
      from: monitoring,
      to,
      protocol: 'tcp',
      port: NRPE_PORT,
      purpose: 'NRPE checks from monitoring',
    });
    flows.push({
      from: monitoring,
      to,
      protocol: 'udp',
      port: SNMP_PORT,
      purpose: 'SNMP polling from monitoring',
    });
  }
  for (const from of operators) {
    flows.push({
      from,
      to: 'dashboard-lb',
      protocol: 'tcp',
      port: HTTPS_PORT,
      purpose: 'operators to the dashboard (HTTPS)',
    });
  }
  flows.push({
    from: { kind: 'component', component: 'dashboard-lb' },
    to: 'monitoring',
    protocol: 'tcp',
    port: input.monitoring.dashboardPort,
    purpose: 'dashboard load balancer to steward serve',
  });
  for (const from of bastion) {
    flows.push({
      from,
      to: 'monitoring',
      protocol: 'tcp',
      port: input.monitoring.dashboardPort,
      purpose: "the bastion's audit events to steward serve",
    });
  }
  for (const host of env.hosts.filter((h) => h.runsBackups)) {
    flows.push({
      from: { kind: 'component', component: hostComponent(host.name) },
      to: 'monitoring',
      protocol: 'tcp',
      port: input.monitoring.dashboardPort,
      purpose: 'backup run results from the host to steward serve',
    });
  }
  for (const port of productPorts(env)) {
    for (const from of networks(profile.productClients, 'product-clients')) {
      flows.push({ from, to: 'product-lb', protocol: 'tcp', port, purpose: 'clients to the product' });
    }
  }
  for (const host of env.hosts) {
    for (const port of [...new Set(host.productPorts ?? [])].sort((a, b) => a - b)) {
      flows.push({
        from: { kind: 'component', component: 'product-lb' },
        to: hostComponent(host.name),
        protocol: 'tcp',
        port,
        purpose: 'product load balancer to the product',
      });
    }
  }
  if (env.database) {
    const port = databasePort(env.database.engine);
    for (const from of hosts) {
      flows.push({
        from: { kind: 'component', component: from },
        to: 'database',
        protocol: 'tcp',
        port,
        purpose: 'application to the database',
      });
    }
    flows.push({
      from: monitoring,
      to: 'database',
      protocol: 'tcp',
      port,
      purpose: 'database checks and backups from monitoring',
    });
  }
  return flows;
}
