import { unmapIpv4 } from '../auth/operator-networks.ts';
import type { GatewayGrant, GatewayTarget } from './config.ts';

/** Why a user may reach a target: a standing environment from the spec, or a time-bound grant. */
export type Access = { via: 'environment' } | { via: 'grant'; grant: GatewayGrant };

export type ForwardDecision =
  | { allowed: true; target: GatewayTarget; access: Access }
  | {
      allowed: false;
      reason: 'unknown-target' | 'environment-not-granted' | 'grant-expired' | 'port-not-allowed';
      target?: GatewayTarget;
    };

export interface Grantee {
  name: string;
  environments: ReadonlySet<string>;
}

/** How `user` may reach `environment` at `now`, or undefined when they may not. */
export function environmentAccess(
  user: Grantee,
  environment: string,
  grants: readonly GatewayGrant[],
  now: number,
): Access | undefined {
  if (user.environments.has(environment)) return { via: 'environment' };
  // The longest-running grant wins, so the audit names the one that keeps access open longest.
  let best: GatewayGrant | undefined;
  for (const g of grants) {
    if (g.user === user.name && g.environment === environment && g.expiresAt > now) {
      if (!best || g.expiresAt > best.expiresAt) best = g;
    }
  }
  return best ? { via: 'grant', grant: best } : undefined;
}

export function allowedPorts(target: GatewayTarget): number[] {
  return [target.sshPort, ...(target.extraPorts ?? [])];
}

/** The host part of a direct-tcpip request, as OpenSSH sends it: a name or an address. */
function sameHost(requested: string, target: GatewayTarget): boolean {
  const host = unmapIpv4(requested.replace(/^\[(.*)\]$/, '$1')).toLowerCase();
  return host === target.host.toLowerCase() || host === target.address.toLowerCase();
}

/**
 * Decides one `direct-tcpip` request. The destination must be a known target (by spec name or
 * address), of an environment the user holds or has an unexpired grant for, on its SSH port or one
 * of its listed extra ports. Anything else is refused; the reason goes to the audit log.
 */
export function authorizeForward(
  user: Grantee,
  targets: readonly GatewayTarget[],
  grants: readonly GatewayGrant[],
  destHost: string,
  destPort: number,
  now: number,
): ForwardDecision {
  const candidates = targets.filter((t) => sameHost(destHost, t));
  if (candidates.length === 0) return { allowed: false, reason: 'unknown-target' };
  let portRefused: GatewayTarget | undefined;
  for (const target of candidates) {
    const access = environmentAccess(user, target.environment, grants, now);
    if (!access) continue;
    if (allowedPorts(target).includes(destPort)) return { allowed: true, target, access };
    portRefused = target;
  }
  if (portRefused) return { allowed: false, reason: 'port-not-allowed', target: portRefused };
  const target = candidates[0]!;
  const hadGrant = grants.some(
    (g) => g.user === user.name && candidates.some((t) => t.environment === g.environment),
  );
  return { allowed: false, reason: hadGrant ? 'grant-expired' : 'environment-not-granted', target };
}

/** Every target the user may reach now, for the login menu and the ssh config block. */
export function reachableTargets(
  user: Grantee,
  targets: readonly GatewayTarget[],
  grants: readonly GatewayGrant[],
  now: number,
): { target: GatewayTarget; access: Access }[] {
  const out: { target: GatewayTarget; access: Access }[] = [];
  for (const target of targets) {
    const access = environmentAccess(user, target.environment, grants, now);
    if (access) out.push({ target, access });
  }
  return out;
}
