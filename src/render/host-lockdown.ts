import type { Spec } from '../spec/index.ts';
import { renderNftables } from './nftables.ts';
import { renderSshdDropin } from './sshd-dropin.ts';

/** One file `steward render host` writes, relative to --out DIR, and where it goes on the host. */
export interface LockdownFile {
  path: string;
  installTo: string;
  content: string;
}

/**
 * The lockdown files of one host from the validated spec: the sshd drop-in (SSH only from the
 * bastion) and the nftables rules (SSH from the bastion, NRPE/SNMP from the monitoring subnet).
 * `steward render host` writes them next to snmpd.conf and nrpe.cfg.
 */
export function hostLockdownFiles(spec: Spec, hostName: string): LockdownFile[] {
  const host = (spec.environments ?? []).flatMap((e) => e.hosts ?? []).find((h) => h.name === hostName);
  if (host === undefined) throw new Error(`no host "${hostName}" in the spec`);
  const bastion = spec.access?.bastion;
  if (bastion === undefined) {
    throw new Error(
      'the spec has no access.bastion, so there is nothing to lock SSH down to: add access: { bastion: { placement, port, address } }',
    );
  }
  if (bastion.address === undefined) {
    throw new Error(
      "access.bastion.address is needed to lock hosts down: write the bastion's address as the hosts see it (an IP, or a CIDR for a NAT range)",
    );
  }
  const sshPorts = host.ssh?.port !== undefined ? [host.ssh.port] : undefined;
  const monitoringSubnet = spec.monitoring?.subnet;
  return [
    {
      path: 'sshd_config.d/50-steward.conf',
      installTo: '/etc/ssh/sshd_config.d/50-steward.conf',
      content: renderSshdDropin({
        host: hostName,
        bastionAddress: bastion.address,
        ...(sshPorts ? { ports: sshPorts } : {}),
      }),
    },
    {
      path: 'nftables/steward.nft',
      installTo: '/etc/nftables.d/steward.nft',
      content: renderNftables({
        host: hostName,
        bastionAddress: bastion.address,
        ...(sshPorts ? { sshPorts } : {}),
        ...(monitoringSubnet !== undefined ? { monitoringSubnet } : {}),
      }),
    },
  ];
}
