import type { Access } from './authorization.ts';
import type { GatewayTarget } from './config.ts';

/**
 * What an operator sees when they `ssh` to the bastion itself: the bastion runs no shell, only this
 * list of hosts they may reach through it (and how), then the session ends.
 */
export function loginMenu(
  user: string,
  reachable: { target: GatewayTarget; access: Access }[],
  now: number,
): string {
  const lines = [`Steward bastion: no shell here, ${user}. Hosts you may reach through it with ssh -J:`, ''];
  if (reachable.length === 0) lines.push('  (none: ask for an environment grant)');
  const width = Math.max(4, ...reachable.map((r) => r.target.host.length));
  for (const { target, access } of reachable) {
    const via =
      access.via === 'grant'
        ? `grant until ${new Date(access.grant.expiresAt).toISOString()} (${access.grant.reason})`
        : 'standing access';
    const expiresIn =
      access.via === 'grant' ? `, ${Math.ceil((access.grant.expiresAt - now) / 60_000)} min left` : '';
    lines.push(`  ${target.host.padEnd(width)}  ${target.environment.padEnd(10)} ${via}${expiresIn}`);
  }
  lines.push(
    '',
    'Run `steward access ssh-config <you>` for a ~/.ssh/config block that reaches them by name.',
    '',
  );
  return lines.join('\r\n');
}
