import type { LockdownFile } from './host-lockdown.ts';

/**
 * The install.sh lines for the lockdown files: check before enabling, so a bad file never
 * replaces a working sshd config (which would cut the only way in). Meant to be appended to the
 * install script `steward render host` writes; run from the --out directory on the host.
 */
export function lockdownInstallLines(files: LockdownFile[]): string[] {
  const lines: string[] = ['# SSH only from the bastion; NRPE/SNMP only from monitoring (Steward lockdown)'];
  for (const file of files) {
    lines.push(`install -D -m 0644 ${shellQuote(file.path)} ${shellQuote(file.installTo)}`);
  }
  if (files.some((f) => f.installTo.startsWith('/etc/ssh/'))) {
    lines.push('sshd -t  # refuses to go on with a config sshd would not start with', 'systemctl reload ssh');
  }
  const nft = files.find((f) => f.installTo.endsWith('.nft'));
  if (nft) {
    lines.push(
      `nft -c -f ${shellQuote(nft.installTo)}`,
      `nft -f ${shellQuote(nft.installTo)}`,
      'grep -q \'include "/etc/nftables.d/\\*.nft"\' /etc/nftables.conf || echo \'include "/etc/nftables.d/*.nft"\' >> /etc/nftables.conf',
    );
  }
  return lines;
}

function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
