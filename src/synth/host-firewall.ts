/**
 * What each host's own firewall must admit (the input of src/render/nftables.ts), from the same
 * blueprint that synthesizes the security groups: SSH from the bastion (its pinned address in
 * the VPC, or the datacenter bastion's), NRPE and SNMP from the monitoring host's pinned
 * address. Two layers, one source, so they allow the same flows.
 */
import type { Spec } from '../spec/index.ts';
import { pinnedAddresses } from './addresses.ts';
import type { BlueprintEnvironment, BlueprintInput } from './blueprint-input.ts';
import { blueprintInputProblems } from './check-input.ts';
import { parseAddressOrCidr } from './cidr.ts';
import { environmentProfile } from './environment-profile.ts';
import { blueprintFromSpec } from './from-spec.ts';

export interface HostFirewallInput {
  host: string;
  /** IP or CIDR the bastion's SSH connections come from. */
  bastionAddress: string;
  /** Where NRPE and SNMP polls come from: the monitoring host, as a /32. */
  monitoringSubnet: string;
}

export function hostFirewallInputs(input: BlueprintInput, env: BlueprintEnvironment): HostFirewallInput[] {
  const pinned = pinnedAddresses(environmentProfile(input, env));
  const bastionAddress =
    input.bastion.placement === 'vpc'
      ? `${pinned.bastion}/32`
      : (parseAddressOrCidr(input.bastion.address ?? '')?.text ?? '');
  return env.hosts.map((host) => ({
    host: host.name,
    bastionAddress,
    monitoringSubnet: `${pinned.monitoring}/32`,
  }));
}

/**
 * The firewall input of one host of a spec that describes the AWS blueprint (access.bastion and
 * the host's environment), for `steward render host` when the spec names no bastion address or
 * monitoring subnet: they are then the blueprint's own, per environment. Undefined when the spec
 * is not a blueprint (no access.bastion) or has no such host.
 */
export function hostFirewallFromSpec(spec: Spec, hostName: string): HostFirewallInput | undefined {
  const { input, problems } = blueprintFromSpec(spec);
  if (problems.length > 0) return undefined;
  for (const env of input.environments) {
    if (!env.hosts.some((host) => host.name === hostName)) continue;
    if (blueprintInputProblems(input).length > 0) return undefined;
    return hostFirewallInputs(input, env).find((firewall) => firewall.host === hostName);
  }
  return undefined;
}
