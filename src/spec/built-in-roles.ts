/**
 * Roles Steward ships, usable in `roles:` without being defined: `linux` (host basics over SNMP)
 * and the WSO2 products (`wso2-apim`, `wso2-is`, `wso2-mi`: health endpoints, ports, JVM heap),
 * which build on `linux` (so `roles: [linux, wso2-apim]` and `roles: [wso2-apim]` are the same). A role of the same name in the spec replaces the built-in one. They are
 * written here as data and handed to the loader as one more (generated) YAML file, so they are
 * validated, merged and located like any included file.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import type { LoadedFile } from './include-loader.ts';
import { asObject } from './plain-data.ts';
import { fragmentSchema } from './schema/spec.ts';
import { parseSourceFile } from './source-file.ts';

/** The name built-in roles are located in (messages say "<built-in roles>:12:5"). */
export const BUILT_IN_ROLES_FILE = path.join(import.meta.dirname, '<built-in roles>.yaml');

type Check = Record<string, unknown>;

/** Linux basics from the host's snmpd: one walk per host feeds them all. */
const LINUX_CHECKS: Check[] = [
  { name: 'cpu', snmp: { metric: 'cpu.usage' }, warning: '85', critical: '95' },
  { name: 'load', snmp: { metric: 'load.5' }, warning: '8', critical: '16' },
  { name: 'memory', snmp: { metric: 'memory.used_percent' }, warning: '90', critical: '95' },
  { name: 'swap', snmp: { metric: 'swap.used_percent' }, warning: '50', critical: '80' },
  // Every mount the agent reports; the fullest one decides.
  { name: 'disk', snmp: { metric: 'disk.*.used_percent' }, warning: '80', critical: '90' },
  // Uptime under 10 minutes: the host rebooted.
  { name: 'uptime', snmp: { metric: 'uptime.seconds' }, warning: '600:' },
];

/** Heap of the product's JVM (started with -Dcarbon.home=...), agentless over NRPE. */
const WSO2_HEAP: Check = {
  name: 'heap',
  jvm: { metric: 'heap', nrpe: { command: 'check_wso2_heap', args: ['-m', 'carbon.home'] } },
  warning: '80',
  critical: '90',
};

const http = (
  scheme: 'http' | 'https',
  port: number,
  urlPath: string,
  expectStatus?: number[],
): Record<string, unknown> => ({
  url: `${scheme}://{{address}}:${port}${urlPath}`,
  // The products ship self-signed certificates (wso2carbon.jks); a host's own CA is set in the spec.
  ...(scheme === 'https' ? { insecure: true } : {}),
  ...(expectStatus ? { expectStatus } : {}),
});

/*
 * Endpoints and ports as WSO2 documents them (default port offset; an offset moves every port):
 * - API Manager 4.x, "Basic Health Checks": the Version service answers on the servlet ports
 *   9443/9763 once the server is up; GET /api/am/gateway/v2/server-startup-healthcheck on 9443
 *   answers 200 only when every API is deployed in the gateway (their Kubernetes readiness probe).
 *   https://apim.docs.wso2.com/en/4.2.0/install-and-setup/setup/deployment-best-practices/basic-health-checks/
 *   Ports (8243/8280 passthrough HTTPS/HTTP):
 *   https://apim.docs.wso2.com/en/4.2.0/install-and-setup/setup/reference/default-product-ports/
 * - Identity Server (5.7.0 and later): the Carbon health check API, GET /api/health-check/v1.0/health
 *   on 9443, 200 when healthy, 503 with an `errors` list when a data source or user store fails.
 *   https://wso2docs.atlassian.net/wiki/spaces/ADMIN44x/pages/6688183/Monitoring+Server+Health
 * - Micro Integrator 4.x (internal offset 10): passthrough 8290 (HTTP) and 8253 (HTTPS); the
 *   internal HTTP API on 9201 serves /healthz (ready only when every CApp deployed) and /liveness;
 *   the management API is HTTPS on 9164.
 *   https://mi.docs.wso2.com/en/latest/install-and-setup/setup/deployment-best-practices/basic-health-checks/
 *   https://mi.docs.wso2.com/en/latest/install-and-setup/setup/reference/default-product-ports/
 */
export const BUILT_IN_ROLES: Record<string, { description: string; roles?: string[]; checks: Check[] }> = {
  linux: {
    description: 'Linux host basics over SNMP: CPU, load, memory, swap, disk per mount, uptime.',
    // No SSH check: SSH is admitted from the bastion only (security groups, host firewall), so a
    // connection from monitoring would fail on every healthy host. docs/spec.md shows how the
    // host's own nrpe can watch sshd instead.
    checks: LINUX_CHECKS,
  },
  'wso2-apim': {
    description:
      'WSO2 API Manager 4.x: server up (Version service, 9443), gateway ready with every API deployed, gateway HTTPS (8243) and HTTP (8280), heap; builds on linux.',
    roles: ['linux'],
    checks: [
      { name: 'apim-health', http: http('https', 9443, '/services/Version', [200]) },
      {
        name: 'gateway-health',
        http: http('https', 9443, '/api/am/gateway/v2/server-startup-healthcheck', [200]),
      },
      { name: 'gateway-https', tcp: { port: 8243 } },
      { name: 'gateway-http', tcp: { port: 8280 } },
      WSO2_HEAP,
    ],
  },
  'wso2-is': {
    description:
      'WSO2 Identity Server: health check API on 9443 (data sources, user stores), heap; builds on linux.',
    roles: ['linux'],
    checks: [
      { name: 'is-health', http: http('https', 9443, '/api/health-check/v1.0/health', [200]) },
      WSO2_HEAP,
    ],
  },
  'wso2-mi': {
    description:
      'WSO2 Micro Integrator 4.x: readiness (every CApp deployed) and liveness on the internal API (9201), HTTP (8290) and HTTPS (8253) passthrough, management API (9164), heap; builds on linux.',
    roles: ['linux'],
    checks: [
      { name: 'mi-health', http: http('http', 9201, '/healthz', [200]) },
      { name: 'mi-liveness', http: http('http', 9201, '/liveness', [200]) },
      { name: 'mi-http', tcp: { port: 8290 } },
      { name: 'mi-https', tcp: { port: 8253 } },
      { name: 'mi-management', tcp: { port: 9164 } },
      WSO2_HEAP,
    ],
  },
};

let parsed: ReturnType<typeof parseSourceFile> | undefined;

/**
 * The built-in roles the spec's files do not define themselves, as one more loaded file (none
 * when every built-in role is overridden).
 */
export function builtInRolesFile(files: LoadedFile[]): LoadedFile | undefined {
  const defined = new Set<string>();
  for (const f of files)
    for (const name of Object.keys(asObject(asObject(f.data)?.roles) ?? {})) defined.add(name);
  parsed ??= parseSourceFile(BUILT_IN_ROLES_FILE, stringify({ roles: BUILT_IN_ROLES }, { lineWidth: 0 }));
  const roles: Record<string, unknown> = {};
  for (const [name, role] of Object.entries(asObject(asObject(parsed.data)?.roles) ?? {})) {
    if (!defined.has(name)) roles[name] = role;
  }
  if (Object.keys(roles).length === 0) return undefined;
  const data = { roles };
  return { file: parsed.file, data, valid: fragmentSchema.safeParse(data).success, isMain: false };
}
