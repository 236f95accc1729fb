/**
 * Where a host's NRPE and SNMP polls come from, which its nrpe.cfg, snmpd.conf and firewall admit
 * and nothing else: `monitoring.subnet` when the spec writes one (one monitoring subnet for the
 * whole deployment, or a datacenter), otherwise, for a spec that describes the AWS side (`aws:`),
 * the monitoring host the blueprint pins in the host's own environment: every environment has its
 * own VPC, monitoring subnet and monitoring host, and its security groups admit exactly that host.
 */
import type { Spec } from '../spec/index.ts';
import { hostFirewallFromSpec } from '../synth/host-firewall.ts';

export interface MonitoringSource {
  /** CIDR the polls come from. */
  subnet: string;
  /** Where the value came from, for the comments in the rendered files and for errors. */
  from: string;
  /** The monitoring host's own address, when the blueprint pins it. */
  monitoringHost?: string;
}

export function monitoringSourceOf(spec: Spec, hostName: string): MonitoringSource | undefined {
  // Only a spec that describes the AWS side is deployed by the blueprint: for any other, the
  // blueprint's addresses would be a guess, and a wrong one leaves the agents answering no one.
  const firewall = spec.aws === undefined ? undefined : hostFirewallFromSpec(spec, hostName);
  const subnet = spec.monitoring?.subnet;
  if (subnet !== undefined) {
    const source: MonitoringSource = { subnet, from: 'monitoring.subnet' };
    if (firewall !== undefined) source.monitoringHost = firewall.monitoringSubnet.replace(/\/32$/, '');
    return source;
  }
  if (firewall === undefined) return undefined;
  const environment = (spec.environments ?? []).find((e) => (e.hosts ?? []).some((h) => h.name === hostName));
  return {
    subnet: firewall.monitoringSubnet,
    monitoringHost: firewall.monitoringSubnet.replace(/\/32$/, ''),
    from: `the monitoring host of environment ${environment?.name ?? '?'} (AWS blueprint)`,
  };
}

/** The error when a host has agents to configure and nothing says whom they answer. */
export function noMonitoringSourceError(hostName: string, spec: Spec): Error {
  const aws =
    spec.aws === undefined
      ? 'or describe the AWS side (aws:, access.bastion, the environment account/region/cidr) so each environment uses its blueprint monitoring host'
      : 'or fix the AWS description (steward synth --spec FILE says what the blueprint lacks)';
  return new Error(
    `the agents of ${hostName} would not know whom to answer: add \`monitoring: { subnet: 10.0.9.0/24 }\` (where Steward polls from), ${aws}`,
  );
}
