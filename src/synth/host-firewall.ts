/**
 * What each host's own firewall must admit (the input of src/render/nftables.ts), from the same
 * blueprint that synthesizes the security groups: SSH from the bastion (its pinned address in
 * the VPC, or the datacenter bastion's), NRPE and SNMP from the monitoring host's pinned
 * address. Two layers, one source, so they allow the same flows.
 */
import { pinnedAddresses } from './addresses.ts';
import type { BlueprintEnvironment, BlueprintInput } from './blueprint-input.ts';
import { parseAddressOrCidr } from './cidr.ts';
import { environmentProfile } from './environment-profile.ts';

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
