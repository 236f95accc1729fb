import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Deployment } from '../core/model.ts';
import type { GatewayConfig, GatewayLimits, GatewayTarget } from './config.ts';
import { grantFileSource } from './grant-file.ts';
import { readTotpSecret } from './totp-enrolment.ts';
import { fileTotpSteps, totpStepsFile } from './totp-steps.ts';

/**
 * The spec's `access` section as the gateway needs it. The spec loader owns the real schema; this
 * is the shape it should resolve to.
 */
export interface AccessSpec {
  bastion: {
    placement: 'vpc' | 'datacenter';
    /** the non-standard port the gateway listens on */
    port: number;
    /** the address operators connect to (public IP or DNS name), for ssh-config */
    address?: string;
    /** the local address to bind (default 0.0.0.0) */
    listen?: string;
    /** the bastion's name in the monitoring server's audit log */
    name?: string;
    /** where the audit log is shipped (the monitoring server) */
    reportTo?: { url: string; tokenEnv?: string; fingerprint?: string; ca?: string };
  };
  users: { name: string; keys: string[]; environments: string[] }[];
  /** per host name: its SSH port when not 22, and further ports operators may forward to */
  hostPorts?: Record<string, { ssh?: number; extra?: number[] }>;
  limits?: Partial<GatewayLimits>;
}

/** Where the gateway keeps its state under `--data DIR`. */
export function gatewayPaths(dataDir: string) {
  return {
    hostKeyFile: join(dataDir, 'gateway', 'host_ed25519'),
    grantsFile: join(dataDir, 'gateway', 'grants.json'),
    auditFile: join(dataDir, 'gateway', 'audit.jsonl'),
    /** how far the audit log was acknowledged by the monitoring server (audit-shipper.ts) */
    auditShippedFile: join(dataDir, 'gateway', 'audit.shipped.json'),
    totpStepsFile: totpStepsFile(dataDir),
  };
}

/**
 * Builds the gateway's config from the resolved deployment and its access section. Hosts whose
 * address is a DNS name are left out with a warning: the gateway does not resolve names, so that
 * a DNS answer cannot redirect an operator's session.
 */
export function gatewayConfigFromDeployment(
  deployment: Deployment,
  access: AccessSpec,
  opts: {
    dataDir: string;
    audit: GatewayConfig['audit'];
    /** Problems found while running (a TOTP step that could not be saved); default: the warnings. */
    warn?: (message: string) => void;
  },
): { config: GatewayConfig; warnings: string[] } {
  const warnings: string[] = [];
  const environments = new Set(deployment.environments.map((e) => e.name));
  for (const user of access.users) {
    for (const env of user.environments) {
      if (!environments.has(env)) {
        throw new Error(
          `access.users "${user.name}": environment "${env}" is not in the spec (environments: ${[...environments].join(', ')})`,
        );
      }
    }
  }
  const targets: GatewayTarget[] = [];
  for (const host of deployment.hosts) {
    // The backup pseudo-host's 127.0.0.1 would be the bastion's own sshd: never a jump target.
    if (host.pseudo) continue;
    if (isIP(host.address) === 0) {
      warnings.push(
        `host ${host.name}: address ${host.address} is a DNS name; give it an IP to reach it through the bastion`,
      );
      continue;
    }
    const ports = access.hostPorts?.[host.name];
    targets.push({
      host: host.name,
      address: host.address,
      environment: host.environment,
      sshPort: ports?.ssh ?? 22,
      ...(ports?.extra ? { extraPorts: ports.extra } : {}),
    });
  }
  const paths = gatewayPaths(opts.dataDir);
  const users = access.users.map((u) => {
    const totpSecret = readTotpSecret(opts.dataDir, u.name);
    if (totpSecret === undefined) {
      warnings.push(
        `user ${u.name} has no TOTP secret yet and cannot log in: run steward access enroll ${u.name}`,
      );
    }
    return { ...u, ...(totpSecret !== undefined ? { totpSecret } : {}) };
  });
  return {
    config: {
      listen: { host: access.bastion.listen ?? '0.0.0.0', port: access.bastion.port },
      operatorNetworks: deployment.operatorNetworks,
      hostKeyFile: paths.hostKeyFile,
      users,
      targets,
      grants: grantFileSource(paths.grantsFile),
      totpSteps: fileTotpSteps(paths.totpStepsFile, (err) =>
        (opts.warn ?? ((m: string) => warnings.push(m)))(`TOTP replay guard: ${err.message}`),
      ),
      audit: opts.audit,
      ...(access.limits ? { limits: access.limits } : {}),
    },
    warnings,
  };
}
