import { isIP } from 'node:net';

/**
 * The sshd drop-in (`/etc/ssh/sshd_config.d/50-steward.conf`) that locks a host down to the
 * bastion: only connections from the bastion's address may log in, by public key only, never as
 * root, with the same modern algorithms the gateway speaks. Debian's sshd_config includes
 * sshd_config.d/*.conf first, and the first value sshd reads for a keyword wins, so these lines
 * override the distribution defaults below them.
 */
export interface SshdDropinInput {
  /** the host the drop-in is for (named in the header only) */
  host: string;
  /** the bastion's address as the host sees it: an IP, or a CIDR for a datacenter bastion's NAT range */
  bastionAddress: string;
  /** SSH port(s) sshd listens on; omitted: the distribution's (22) */
  ports?: number[];
  /** login names operators may use on the host; omitted: any (still only from the bastion) */
  users?: string[];
}

export const SSHD_KEX = [
  'sntrup761x25519-sha512@openssh.com',
  'curve25519-sha256',
  'curve25519-sha256@libssh.org',
];
export const SSHD_CIPHERS = [
  'chacha20-poly1305@openssh.com',
  'aes256-gcm@openssh.com',
  'aes128-gcm@openssh.com',
];
export const SSHD_MACS = ['hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com'];
export const SSHD_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'rsa-sha2-512',
  'rsa-sha2-256',
];

/** An IP or CIDR, validated: the address goes into sshd patterns where a typo would lock everyone out. */
export function checkAddressOrCidr(text: string, what: string): string {
  const [address, prefix, ...rest] = text.split('/');
  const family = isIP(address ?? '');
  const max = family === 6 ? 128 : 32;
  const prefixOk =
    prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) >= 0 && Number(prefix) <= max);
  if (family === 0 || !prefixOk || rest.length > 0) {
    throw new Error(
      `${what} "${text}" is not an IP address or CIDR; write e.g. 10.0.0.5 or 198.51.100.0/28 (names are not allowed: DNS must not decide who may log in)`,
    );
  }
  return text;
}

const LOGIN_NAME = /^[a-z_][a-z0-9_.-]*\$?$/i;

export function renderSshdDropin(input: SshdDropinInput): string {
  const bastion = checkAddressOrCidr(input.bastionAddress, `host ${input.host}: bastion address`);
  const users = input.users ?? ['*'];
  for (const user of users) {
    if (user !== '*' && !LOGIN_NAME.test(user)) {
      throw new Error(`host ${input.host}: "${user}" is not a login name (letters, digits, . _ -)`);
    }
  }
  for (const port of input.ports ?? []) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`host ${input.host}: SSH port ${port} is not 1..65535`);
  }
  const lines = [
    `# Steward: SSH to ${input.host} only through the bastion (${bastion}).`,
    '# Rendered by `steward render host`; edit the spec, not this file.',
    ...(input.ports ?? []).map((port) => `Port ${port}`),
    '',
    '# Public keys only: no passwords, no keyboard-interactive, no root.',
    'PubkeyAuthentication yes',
    'AuthenticationMethods publickey',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitEmptyPasswords no',
    'PermitRootLogin no',
    'MaxAuthTries 3',
    'LoginGraceTime 30',
    'UseDNS no',
    '',
    '# Modern algorithms only (the set the gateway speaks).',
    `KexAlgorithms ${SSHD_KEX.join(',')}`,
    `Ciphers ${SSHD_CIPHERS.join(',')}`,
    `MACs ${SSHD_MACS.join(',')}`,
    `HostKeyAlgorithms ${SSHD_HOST_KEY_ALGORITHMS.join(',')}`,
    `PubkeyAcceptedAlgorithms ${SSHD_HOST_KEY_ALGORITHMS.join(',')}`,
    '',
    '# Only from the bastion: AllowUsers names it as the only source, and any other source is',
    '# denied again by the Match block (belt and braces if another file widens AllowUsers).',
    `AllowUsers ${users.map((u) => `${u}@${bastion}`).join(' ')}`,
    `Match Address *,!${bastion}`,
    '    DenyUsers *',
    '# Back to the global context, so lines after this file are not caught by the Match.',
    'Match all',
    '',
  ];
  return lines.join('\n');
}
