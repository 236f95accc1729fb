import { PREFERRED_CLIENT_CIPHERS } from './algorithms.ts';
import { reachableTargets } from './authorization.ts';
import type { GatewayConfig } from './config.ts';

export interface SshConfigOptions {
  /** the `Host` alias of the bastion in the operator's config (default `steward-bastion`) */
  bastionAlias?: string;
  /** the bastion's port as operators reach it (default cfg.listen.port) */
  bastionPort?: number;
  /** the host key line (`ssh-ed25519 AAAA...`), printed as a known_hosts line to pin the bastion */
  hostPublicKey?: string;
  /** prefix for host aliases, when one laptop reaches several deployments with the same host names */
  hostPrefix?: string;
  /** ControlPersist: how long one TOTP login is reused by later ssh/scp/sftp runs (default 10m) */
  controlPersist?: string;
  /** ControlPath of the shared login (default ~/.ssh/steward-%C) */
  controlPath?: string;
  /** false: no ControlMaster lines, every ssh run logs in (key + a fresh TOTP code) on its own */
  multiplex?: boolean;
  now?: number;
}

/**
 * The operator's `~/.ssh/config` block: the bastion once, then every host they may reach now
 * (standing environments and unexpired grants) with `ProxyJump` through it, so nobody types an
 * address. ControlMaster on the bastion entry lets one key + TOTP login carry every ssh, scp and
 * sftp for a while: each TOTP code is good only once, so without it every run would wait for the
 * next code.
 */
export function sshConfigFor(
  userName: string,
  cfg: Pick<GatewayConfig, 'users' | 'targets' | 'grants' | 'listen'>,
  bastionAddress: string,
  opts: SshConfigOptions = {},
): string {
  const user = cfg.users.find((u) => u.name === userName);
  if (!user) {
    const known = cfg.users.map((u) => u.name).join(', ') || 'none';
    throw new Error(`no access user "${userName}" in the spec (access.users lists: ${known})`);
  }
  const now = opts.now ?? Date.now();
  const alias = opts.bastionAlias ?? 'steward-bastion';
  const port = opts.bastionPort ?? cfg.listen.port;
  const prefix = opts.hostPrefix ?? '';
  const grants = cfg.grants?.() ?? [];
  const reachable = reachableTargets(
    { name: user.name, environments: new Set(user.environments) },
    cfg.targets,
    grants,
    now,
  );
  const lines = [
    `# Steward bastion access for ${user.name}, generated ${new Date(now).toISOString()}.`,
    '# Paste into ~/.ssh/config (or Include it). Regenerate after the spec or your grants change.',
  ];
  if (opts.hostPublicKey) {
    const hostPattern = port === 22 ? bastionAddress : `[${bastionAddress}]:${port}`;
    lines.push(
      '# Pin the bastion: add this line to ~/.ssh/known_hosts',
      `#   ${hostPattern} ${opts.hostPublicKey}`,
    );
  }
  lines.push(
    '',
    `Host ${alias}`,
    `  HostName ${bastionAddress}`,
    `  Port ${port}`,
    `  User ${user.name}`,
    '  PreferredAuthentications publickey,keyboard-interactive',
    `  Ciphers ${PREFERRED_CLIENT_CIPHERS}`,
  );
  if (opts.multiplex !== false) {
    lines.push(
      '  ControlMaster auto',
      `  ControlPath ${opts.controlPath ?? '~/.ssh/steward-%C'}`,
      `  ControlPersist ${opts.controlPersist ?? '10m'}`,
    );
  }
  lines.push('  ServerAliveInterval 30');
  for (const { target, access } of reachable) {
    lines.push('');
    if (access.via === 'grant') {
      lines.push(
        `# ${target.environment} by grant until ${new Date(access.grant.expiresAt).toISOString()}: ${oneLine(access.grant.reason)}`,
      );
    }
    lines.push(
      `Host ${prefix}${target.host}`,
      `  HostName ${target.address}`,
      `  Port ${target.sshPort}`,
      `  ProxyJump ${alias}`,
      `  HostKeyAlias ${prefix}${target.host}`,
    );
  }
  if (reachable.length === 0) lines.push('', '# No hosts reachable: no environments granted.');
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
