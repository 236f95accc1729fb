import { parseDuration } from '../core/duration.ts';
import type { Spec } from '../spec/index.ts';
import type { GatewayLimits } from './config.ts';
import type { AccessSpec } from './from-deployment.ts';

/**
 * The validated spec's `access:` section (and the hosts' `ssh:` ports) in the shape
 * gatewayConfigFromDeployment takes. The spec loader has already checked keys, environments and
 * ports; what is left is the bastion's presence and unit conversion.
 */
export function accessFromSpec(spec: Spec): AccessSpec {
  const access = spec.access;
  if (access?.bastion === undefined) {
    throw new Error(
      'the spec has no `access.bastion`: add `access: { bastion: { placement: vpc, port: 2222 }, users: [...] }`',
    );
  }
  const hostPorts: NonNullable<AccessSpec['hostPorts']> = {};
  for (const environment of spec.environments ?? []) {
    for (const host of environment.hosts ?? []) {
      if (host.ssh === undefined) continue;
      hostPorts[host.name] = {
        ...(host.ssh.port !== undefined ? { ssh: host.ssh.port } : {}),
        ...(host.ssh.extraPorts !== undefined ? { extra: host.ssh.extraPorts } : {}),
      };
    }
  }
  const bastion = access.bastion;
  return {
    bastion: {
      placement: bastion.placement,
      port: bastion.port,
      ...(bastion.address !== undefined ? { address: bastion.address } : {}),
      ...(bastion.listen !== undefined ? { listen: bastion.listen } : {}),
      ...(bastion.name !== undefined ? { name: bastion.name } : {}),
      ...(bastion.reportTo !== undefined ? { reportTo: bastion.reportTo } : {}),
    },
    users: (access.users ?? []).map((u) => ({ name: u.name, keys: u.keys, environments: u.environments })),
    hostPorts,
    ...(access.limits !== undefined ? { limits: limitsFromSpec(access.limits) } : {}),
  };
}

type LimitsSpec = NonNullable<NonNullable<Spec['access']>['limits']>;

function limitsFromSpec(spec: LimitsSpec): Partial<GatewayLimits> {
  // Durations were validated by the schema, so parseDuration cannot fail here.
  const ms = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text)!);
  const limits: Partial<GatewayLimits> = {};
  if (spec.connectionsPerMinute !== undefined) limits.connectionsPerMinute = spec.connectionsPerMinute;
  if (spec.maxAuthTries !== undefined) limits.maxAuthTries = spec.maxAuthTries;
  if (spec.loginGrace !== undefined) limits.loginGraceMs = ms(spec.loginGrace)!;
  const window = ms(spec.failureWindow);
  const ban = ms(spec.banFor);
  if (spec.userFailures !== undefined || window !== undefined || ban !== undefined) {
    limits.user = {
      maxFailures: spec.userFailures ?? 5,
      windowMs: window ?? 10 * 60_000,
      banMs: ban ?? 15 * 60_000,
    };
  }
  if (spec.sourceFailures !== undefined || window !== undefined || ban !== undefined) {
    limits.source = {
      maxFailures: spec.sourceFailures ?? 20,
      windowMs: window ?? 10 * 60_000,
      banMs: ban ?? 15 * 60_000,
    };
  }
  return limits;
}
