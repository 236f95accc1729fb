/**
 * The VPC's address plan as plain data: which /24 each subnet gets and the fixed private
 * addresses of the bastion and the monitoring host. Pinning those two lets the hosts' own
 * firewalls (`steward render`) name them exactly, so the firewall and the security groups
 * admit the same sources.
 */
import { parseCidr } from './cidr.ts';
import type { EnvironmentProfile } from './environment-profile.ts';

/** Subnet groups in the order the VPC allocates them (network.ts), each a /24 per zone. */
export const SUBNET_TIERS = ['public', 'application', 'monitoring', 'data'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** The host part of the pinned addresses, inside the first zone's subnet (AWS reserves .0 to .3). */
const PINNED_HOST = 10;

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function vpcBase(profile: EnvironmentProfile): number {
  const cidr = parseCidr(profile.cidr);
  if (cidr?.family !== 4) throw new Error(`${profile.name}: the VPC CIDR ${profile.cidr} is not IPv4`);
  // checkBlueprintInput refuses a CIDR with host bits, so its address is the VPC's base.
  return ipv4ToNumber(cidr.address);
}

/** Each tier's subnets, one per zone in zone order: the VPC's /24s handed out tier by tier. */
export function subnetPlan(profile: EnvironmentProfile): Record<SubnetTier, string[]> {
  const base = vpcBase(profile);
  const plan = {} as Record<SubnetTier, string[]>;
  SUBNET_TIERS.forEach((tier, t) => {
    plan[tier] = Array.from(
      { length: profile.azCount },
      (_, zone) => `${numberToIpv4(base + (t * profile.azCount + zone) * 256)}/24`,
    );
  });
  return plan;
}

export interface PinnedAddresses {
  /** The `vpc` bastion, in the first public subnet. */
  bastion: string;
  /** The monitoring host, in the first monitoring subnet: where NRPE and SNMP polls come from. */
  monitoring: string;
}

export function pinnedAddresses(profile: EnvironmentProfile): PinnedAddresses {
  const base = vpcBase(profile);
  const first = (tier: SubnetTier) => base + SUBNET_TIERS.indexOf(tier) * profile.azCount * 256;
  return {
    bastion: numberToIpv4(first('public') + PINNED_HOST),
    monitoring: numberToIpv4(first('monitoring') + PINNED_HOST),
  };
}
