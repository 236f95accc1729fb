import type { Spec } from '../spec/index.ts';
import { hostFirewallFromSpec } from '../synth/host-firewall.ts';
import { monitoringSourceOf } from './monitoring-source.ts';
import { renderNftables } from './nftables.ts';
import { renderSshdDropin } from './sshd-dropin.ts';

/** One file `steward render host` writes, relative to --out DIR, and where it goes on the host. */
export interface LockdownFile {
  path: string;
  installTo: string;
  content: string;
}

/**
 * Where a host's SSH may come from and its NRPE/SNMP polls: the spec's own
 * `access.bastion.address` first; for a `vpc` bastion without an address in a spec with `aws:`,
 * the address the AWS blueprint pins for the bastion in the host's environment (the one its
 * security groups allow). The polls: see monitoring-source.ts. Undefined when nothing says where
 * the bastion is.
 */
export function lockdownSources(
  spec: Spec,
  hostName: string,
): { bastionAddress: string; monitoringSubnet?: string } | undefined {
  const bastion = spec.access?.bastion;
  if (bastion === undefined) return undefined;
  const subnet = monitoringSourceOf(spec, hostName)?.subnet;
  if (bastion.address !== undefined) {
    return { bastionAddress: bastion.address, ...(subnet !== undefined ? { monitoringSubnet: subnet } : {}) };
  }
  // Only a spec that describes the AWS side (aws:) is deployed by the blueprint: for any other,
  // the blueprint's default addresses would be a guess, and a wrong one locks everyone out.
  if (spec.aws === undefined) return undefined;
  const blueprint = hostFirewallFromSpec(spec, hostName);
  if (blueprint === undefined || blueprint.bastionAddress === '') return undefined;
  return { bastionAddress: blueprint.bastionAddress, monitoringSubnet: subnet ?? blueprint.monitoringSubnet };
}

/**
 * The lockdown files of one host from the validated spec: the sshd drop-in (SSH only from the
 * bastion) and the nftables rules (SSH from the bastion, NRPE/SNMP from the monitoring subnet).
 * `steward render host` writes them next to snmpd.conf and nrpe.cfg.
 */
export function hostLockdownFiles(
  spec: Spec,
  hostName: string,
  /** The ports the host's nrpe and snmpd listen on, when not 5666 and 161. */
  agentPorts: { nrpe?: number; snmp?: number[] } = {},
): LockdownFile[] {
  const host = (spec.environments ?? []).flatMap((e) => e.hosts ?? []).find((h) => h.name === hostName);
  if (host === undefined) throw new Error(`no host "${hostName}" in the spec`);
  const bastion = spec.access?.bastion;
  if (bastion === undefined) {
    throw new Error(
      'the spec has no access.bastion, so there is nothing to lock SSH down to: add access: { bastion: { placement, port, address } }',
    );
  }
  const sources = lockdownSources(spec, hostName);
  if (sources === undefined) {
    throw new Error(
      "access.bastion.address is needed to lock hosts down: write the bastion's address as the hosts see it (an IP, or a CIDR for a NAT range), or describe the host's environment for the AWS blueprint (aws:, environments[].aws)",
    );
  }
  const { bastionAddress, monitoringSubnet } = sources;
  const sshPorts = host.ssh?.port !== undefined ? [host.ssh.port] : undefined;
  return [
    {
      path: 'sshd_config.d/50-steward.conf',
      installTo: '/etc/ssh/sshd_config.d/50-steward.conf',
      content: renderSshdDropin({
        host: hostName,
        bastionAddress,
        ...(sshPorts ? { ports: sshPorts } : {}),
      }),
    },
    {
      path: 'nftables/steward.nft',
      installTo: '/etc/nftables.d/steward.nft',
      content: renderNftables({
        host: hostName,
        bastionAddress,
        ...(sshPorts ? { sshPorts } : {}),
        ...(monitoringSubnet !== undefined ? { monitoringSubnet } : {}),
        ...(agentPorts.nrpe !== undefined ? { nrpePort: agentPorts.nrpe } : {}),
        ...(agentPorts.snmp !== undefined ? { snmpPorts: agentPorts.snmp } : {}),
      }),
    },
  ];
}
